package dev.latchkey.core;

import java.io.Serial;

/**
 * The key store could not be reached or did not answer in time. Callers fail closed: a key that cannot be
 * verified is denied with 503, never treated as invalid (401) or valid.
 */
public class StoreUnavailableException extends LatchkeyException {

    @Serial
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
