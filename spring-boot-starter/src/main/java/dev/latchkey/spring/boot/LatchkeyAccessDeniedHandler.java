package dev.latchkey.spring.boot;

import dev.latchkey.core.VerifyCode;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.engine.Denial;
import dev.latchkey.filter.ApiKeyFilter;
import dev.latchkey.filter.ServletProblems;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;

/**
 * Answers Spring Security's refusal of a key-authenticated request as the servlet filter answers a missing scope: 403
 * {@code insufficient_scope} with RFC 6750 {@code WWW-Authenticate: Bearer ..., error="insufficient_scope",
 * scope="..."}, naming the scopes the refused rule asked for when Spring Security says which
 * ({@code hasAuthority('SCOPE_...')} in {@code requestMatchers(...)} or {@code @PreAuthorize}). Requests authenticated
 * otherwise (HTTP Basic) get Spring Security's own 403.
 *
 * @since 0.1
 */
public final class LatchkeyAccessDeniedHandler implements AccessDeniedHandler {

    private static final Pattern SCOPE_IN_EXPRESSION = Pattern.compile("SCOPE_([^'\"\\s,)]+)");

    private final Authenticator authenticator;
    private final SecurityContextHolderStrategy contexts;
    private final AccessDeniedHandler others = new AccessDeniedHandlerImpl();
    private final Clock clock = Clock.systemUTC();

    /** Creates the handler in the authenticator's realm. */
    public LatchkeyAccessDeniedHandler(Authenticator authenticator) {
        this(authenticator, SecurityContextHolder.getContextHolderStrategy());
    }

    /** Creates the handler in the authenticator's realm, reading the authentication from {@code contexts}. */
    public LatchkeyAccessDeniedHandler(Authenticator authenticator, SecurityContextHolderStrategy contexts) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.contexts = Objects.requireNonNull(contexts, "contexts");
    }

    /** Returns whether the request's authentication is an API key. */
    boolean keyAuthenticated(HttpServletRequest request) {
        return request.getAttribute(ApiKeyFilter.KEY_ATTRIBUTE) != null
                || contexts.getContext().getAuthentication() instanceof LatchkeyAuthentication;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException, ServletException {
        if (!keyAuthenticated(request) || response.isCommitted()) {
            others.handle(request, response, e);
            return;
        }
        List<String> scopes = List.copyOf(requiredScopes(e));
        Denial denial = scopes.isEmpty()
                ? new Denial(403, "insufficient_scope", "insufficient_scope", "Insufficient scope",
                        "insufficient_scope: the key's scopes do not allow this request",
                        authenticator.denials().challenge() + ", error=\"insufficient_scope\"", null, Map.of())
                : authenticator.denials().of(VerifyCode.INSUFFICIENT_SCOPE, scopes);
        ServletProblems.write(request, response, clock, denial);
    }

    /** Returns the scopes a refused rule asked for, as far as Spring Security tells. */
    static Set<String> requiredScopes(AccessDeniedException e) {
        Set<String> scopes = new LinkedHashSet<>();
        if (!(e instanceof AuthorizationDeniedException denied)) {
            return scopes;
        }
        AuthorizationResult result = denied.getAuthorizationResult();
        if (result instanceof AuthorityAuthorizationDecision authorities) {
            for (GrantedAuthority a : authorities.getAuthorities()) {
                String name = a.getAuthority();
                if (name != null && name.startsWith(LatchkeyAuthentication.SCOPE_PREFIX)) {
                    scopes.add(name.substring(LatchkeyAuthentication.SCOPE_PREFIX.length()));
                }
            }
        } else if (result instanceof ExpressionAuthorizationDecision expression) {
            Matcher m = SCOPE_IN_EXPRESSION.matcher(expression.getExpression().getExpressionString());
            while (m.find()) {
                scopes.add(m.group(1));
            }
        }
        return scopes;
    }
}
