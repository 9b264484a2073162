package dev.latchkey.core;

import java.io.Serial;

/** A key with the same id, or the same imported token, already exists. */
public class DuplicateKeyException extends LatchkeyException {

    @Serial
    private static final long serialVersionUID = 1L;

    public DuplicateKeyException(String message) {
        super(message);
    }
}
