package dev.latchkey.spring.boot;

import dev.latchkey.engine.Denial;
import java.util.Objects;
import org.springframework.security.core.AuthenticationException;

/**
 * The engine refused an API key: carries the {@link Denial} (401, 403, 429, 503 or 400) so that the answer is the
 * one the servlet filter would give.
 *
 * @since 0.1
 */
public class LatchkeyAuthenticationException extends AuthenticationException {

    private static final long serialVersionUID = 1L;

    private final transient Denial denial;

    /** Creates the exception for a denial (its detail is the message; it never holds a token). */
    public LatchkeyAuthenticationException(Denial denial) {
        super(Objects.requireNonNull(denial, "denial").detail());
        this.denial = denial;
    }

    /** Returns the engine's denial. */
    public Denial denial() {
        return denial;
    }
}
