package dev.latchkey.spring.boot;

/**
 * A library under Latchkey is older than it supports; the message names the library, the version found, and the fix
 * for the project's {@code pom.xml}. Spring Boot reports it as a start-up failure with that action.
 *
 * @since 0.1
 */
public class LatchkeyVersionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public LatchkeyVersionException(String message) {
        super(message);
    }
}
