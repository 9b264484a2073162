package dev.latchkey.spring.boot;

import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.Denial;
import dev.latchkey.filter.ApiKeyFilter;
import dev.latchkey.filter.ServletAuthRequest;
import dev.latchkey.filter.ServletProblems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Spring Security's door for API keys: it hands each request to the {@link AuthenticationManager} (by default a
 * {@link LatchkeyAuthenticationProvider}) as a {@link LatchkeyAuthentication} and puts a granted key into the
 * {@link SecurityContext}. What it does with each outcome:
 * <ul>
 *   <li>a granted key: the context holds it ({@code SCOPE_} authorities) and the request goes on;</li>
 *   <li>no key at all: the request goes on unauthenticated, so the chain's authorization rules decide (a
 *       {@code permitAll} path answers, another mechanism such as HTTP Basic may authenticate it, and otherwise the
 *       {@link LatchkeyAuthenticationEntryPoint} answers Latchkey's 401);</li>
 *   <li>a request carrying another scheme's credential ({@code Authorization: Basic ...}) and no API key: left to
 *       that scheme, without asking the engine;</li>
 *   <li>a path that needs no key ({@code latchkey.exclude}, an allowed preflight): goes on, marked with the request
 *       attribute {@value #PASSED_ATTRIBUTE} (see {@link LatchkeyHttpConfigurer#passedOrAuthenticated()});</li>
 *   <li>any other refusal (a bad, blocked or expired key, a route rule's scope, an IP rule, 429, 503): answered at
 *       once with the servlet filter's problem body and headers.</li>
 * </ul>
 *
 * @since 0.1
 */
public class LatchkeyAuthenticationFilter extends OncePerRequestFilter {

    /** The request attribute set on requests that need no key. */
    public static final String PASSED_ATTRIBUTE = "latchkey.passed";

    private static final Logger LOG = LoggerFactory.getLogger(LatchkeyAuthenticationFilter.class);

    private final AuthenticationManager manager;
    private final AuthSettings settings;
    private final Clock clock = Clock.systemUTC();
    private SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

    /**
     * Creates the filter.
     *
     * @param manager  authenticates {@link LatchkeyAuthentication} requests (a {@link LatchkeyAuthenticationProvider})
     * @param settings the engine's settings (for the API-key header)
     */
    public LatchkeyAuthenticationFilter(AuthenticationManager manager, AuthSettings settings) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Sets the strategy that holds the security context (Spring Security's {@code ObjectPostProcessor} hook). */
    public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy strategy) {
        this.contexts = Objects.requireNonNull(strategy, "strategy");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (otherSchemeOnly(request)) {
            chain.doFilter(request, response);
            return;
        }
        Authentication result;
        try {
            result = manager.authenticate(LatchkeyAuthentication.unauthenticated(new ServletAuthRequest(request)));
        } catch (LatchkeyAuthenticationException e) {
            Denial denial = e.denial();
            if (denial.reason().equals("missing")) {
                chain.doFilter(request, response);
                return;
            }
            contexts.clearContext();
            ServletProblems.write(request, response, clock, denial);
            return;
        } catch (AuthenticationException e) {
            // Another provider of a user's own AuthenticationManager refused: as Spring Security's filters do.
            contexts.clearContext();
            throw e;
        } catch (RuntimeException e) {
            LOG.error("API-key check failed unexpectedly for {} {}", request.getMethod(), request.getRequestURI(), e);
            contexts.clearContext();
            ServletProblems.write(request, response, clock, 500, "internal", "Internal error",
                    "The API key could not be checked");
            return;
        }
        if (result == null || !result.isAuthenticated()) {
            request.setAttribute(PASSED_ATTRIBUTE, Boolean.TRUE);
            chain.doFilter(request, response);
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(result);
        contexts.setContext(context);
        // Error and async dispatches of this request see the key too (the context lives in a request attribute).
        repository.saveContext(context, request, response);
        if (result instanceof LatchkeyAuthentication key) {
            for (Map.Entry<String, String> h : key.headers().entrySet()) {
                response.setHeader(h.getKey(), h.getValue());
            }
            request.setAttribute(ApiKeyFilter.KEY_ATTRIBUTE, key.getPrincipal());
        }
        chain.doFilter(request, response);
    }

    /** Returns whether the request carries another scheme's {@code Authorization} and no API-key header. */
    private boolean otherSchemeOnly(HttpServletRequest request) {
        String header = settings.apiKeyHeader();
        if (header != null && request.getHeader(header) != null) {
            return false;
        }
        Enumeration<String> values = request.getHeaders("Authorization");
        if (values == null || !values.hasMoreElements()) {
            return false;
        }
        while (values.hasMoreElements()) {
            String scheme = values.nextElement().strip().split("[ \t]", 2)[0].toLowerCase(Locale.ROOT);
            if (scheme.equals("bearer") || scheme.equals("token")) {
                return false;
            }
        }
        return true;
    }
}
