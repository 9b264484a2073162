package dev.latchkey.spring.boot;

import dev.latchkey.engine.Allow;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.engine.Decision;
import dev.latchkey.engine.Denial;
import dev.latchkey.engine.Pass;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The starter's servlet filter, for applications without Spring Security: {@code ApiKeyFilter}'s door on the
 * application's {@link Authenticator} bean, so the filter, the health contributor and the application's own code share
 * one engine (one key cache, one usage recorder, one set of meters). A grant passes the request on with the key as
 * {@code getUserPrincipal()} and the request attribute {@value #KEY_ATTRIBUTE}; a denial is answered as the filter
 * answers it. The filter owns nothing: the authenticator and the store are beans, closed by Spring in that order.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class LatchkeyServletFilter implements Filter {

    /** The request attribute that holds the {@link dev.latchkey.engine.ApiKeyPrincipal} (as {@code ApiKeyFilter}). */
    public static final String KEY_ATTRIBUTE = "latchkey.key";
    /** What {@code getAuthType()} answers for an authenticated request (as {@code ApiKeyFilter}). */
    public static final String AUTH_TYPE = "API_KEY";

    private static final Logger LOG = LoggerFactory.getLogger(LatchkeyServletFilter.class);

    private final Authenticator authenticator;
    private final Clock clock = Clock.systemUTC();

    /** Creates the filter on an authenticator that the caller owns. */
    public LatchkeyServletFilter(Authenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        Decision decision;
        try {
            decision = authenticator.authenticate(new ServletAuthRequest(request));
        } catch (IllegalStateException e) {
            LatchkeyProblems.write(request, response, clock, 503, "store_unavailable", "Store unavailable",
                    "The API-key filter is not running");
            return;
        } catch (RuntimeException e) {
            LOG.error("API-key check failed unexpectedly for {} {}", request.getMethod(), request.getRequestURI(), e);
            LatchkeyProblems.write(request, response, clock, 500, "internal", "Internal error",
                    "The API key could not be checked");
            return;
        }
        if (decision instanceof Allow allow) {
            for (Map.Entry<String, String> h : allow.headers().entrySet()) {
                response.setHeader(h.getKey(), h.getValue());
            }
            KeyRequest wrapped = new KeyRequest(request, allow.principal());
            wrapped.setAttribute(KEY_ATTRIBUTE, allow.principal());
            chain.doFilter(wrapped, response);
        } else if (decision instanceof Denial denial) {
            LatchkeyProblems.write(request, response, clock, denial);
        } else if (decision instanceof Pass) {
            chain.doFilter(request, response);
        }
    }
}
