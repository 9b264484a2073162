package dev.latchkey.core;

import java.io.Serial;

/** The root of Latchkey's unchecked exceptions. Messages never contain a token or a secret. */
public class LatchkeyException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public LatchkeyException(String message) {
        super(message);
    }

    public LatchkeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
