package dev.latchkey.spring.boot;

import dev.latchkey.engine.Authenticator;
import dev.latchkey.engine.Denial;
import dev.latchkey.filter.ServletProblems;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a request that needs authentication and carries no API key as the servlet filter does: 401
 * {@code unauthenticated} ({@code missing}) with {@code WWW-Authenticate: Bearer realm="..."} and a problem body.
 * It leaves {@code ERROR} dispatches alone: their status and challenge were set by whoever refused the original request
 * (HTTP Basic's {@code sendError(401)}, say), and an application that does not permit its error page would otherwise
 * see that answer replaced by this one.
 *
 * @since 0.1
 */
public final class LatchkeyAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final Denial missing;
    private final Clock clock = Clock.systemUTC();

    /** Creates the entry point in the authenticator's realm and API-key header. */
    public LatchkeyAuthenticationEntryPoint(Authenticator authenticator) {
        Objects.requireNonNull(authenticator, "authenticator");
        this.missing = authenticator.denials().missing(authenticator.settings().apiKeyHeader());
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (request.getDispatcherType() == DispatcherType.ERROR || response.isCommitted()) {
            return;
        }
        ServletProblems.write(request, response, clock,
                e instanceof LatchkeyAuthenticationException k ? k.denial() : missing);
    }
}
