package dev.latchkey.spring.boot;

import dev.latchkey.engine.Allow;
import dev.latchkey.engine.AuthRequest;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.engine.Decision;
import dev.latchkey.engine.Denial;
import dev.latchkey.engine.Pass;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/**
 * Authenticates a {@link LatchkeyAuthentication} request with the engine's {@link Authenticator}: a granted key
 * becomes an authenticated {@link LatchkeyAuthentication} ({@code SCOPE_} authorities); a refusal throws
 * {@link LatchkeyAuthenticationException} with the engine's {@link Denial}; a request that needs no key
 * ({@code latchkey.exclude}, an allowed CORS preflight) gives {@code null}, as a provider that cannot decide does.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class LatchkeyAuthenticationProvider implements AuthenticationProvider {

    private final Authenticator authenticator;

    /** Creates the provider on an authenticator that the caller owns. */
    public LatchkeyAuthenticationProvider(Authenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) {
        if (!(authentication instanceof LatchkeyAuthentication latchkey) || latchkey.isAuthenticated()) {
            return authentication.isAuthenticated() ? authentication : null;
        }
        AuthRequest request = Objects.requireNonNull(latchkey.request(), "request");
        Decision decision;
        try {
            decision = authenticator.authenticate(request);
        } catch (IllegalStateException closed) {
            // The application is shutting down: its authenticator is closed.
            throw new LatchkeyAuthenticationException(authenticator.denials().storeUnavailable());
        }
        if (decision instanceof Allow allow) {
            return LatchkeyAuthentication.authenticated(allow.principal(), allow.headers());
        }
        if (decision instanceof Denial denial) {
            throw new LatchkeyAuthenticationException(denial);
        }
        if (decision instanceof Pass) {
            return null;
        }
        throw new IllegalStateException("unknown decision " + decision);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return LatchkeyAuthentication.class.isAssignableFrom(authentication);
    }
}
