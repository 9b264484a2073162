package dev.latchkey.spring.boot;

import dev.latchkey.engine.ApiKeyPrincipal;
import dev.latchkey.engine.AuthRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An API key as a Spring Security {@code Authentication}. Before authentication it carries the request for the engine
 * to judge ({@link #unauthenticated}); after, the key's {@link ApiKeyPrincipal} as principal, one {@code SCOPE_<scope>}
 * authority per granted scope (the OAuth2 resource-server convention, so
 * {@code hasAuthority('SCOPE_reports:read')} works) and no credentials: the token is never kept.
 *
 * @since 0.1
 */
public final class LatchkeyAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    /** The prefix of every authority made from a scope. */
    public static final String SCOPE_PREFIX = "SCOPE_";

    private final transient @Nullable AuthRequest request;
    private final transient @Nullable ApiKeyPrincipal principal;
    private final Map<String, String> headers;

    private LatchkeyAuthentication(@Nullable AuthRequest request, @Nullable ApiKeyPrincipal principal,
            Collection<? extends GrantedAuthority> authorities, Map<String, String> headers) {
        super(authorities);
        this.request = request;
        this.principal = principal;
        this.headers = Map.copyOf(headers);
        super.setAuthenticated(principal != null);
    }

    /** Returns an authentication request for the engine to judge. */
    public static LatchkeyAuthentication unauthenticated(AuthRequest request) {
        return new LatchkeyAuthentication(Objects.requireNonNull(request, "request"), null, List.of(), Map.of());
    }

    /**
     * Returns the authentication of a granted key.
     *
     * @param headers headers the engine asked the answer to carry (rate-limit headers); empty when none
     */
    public static LatchkeyAuthentication authenticated(ApiKeyPrincipal principal, Map<String, String> headers) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String scope : principal.scopes()) {
            authorities.add(new SimpleGrantedAuthority(SCOPE_PREFIX + scope));
        }
        return new LatchkeyAuthentication(null, Objects.requireNonNull(principal, "principal"), authorities, headers);
    }

    /** Returns the request to judge, or {@code null} once authenticated. */
    public @Nullable AuthRequest request() {
        return request;
    }

    /** Returns the headers the engine asked the answer to carry. */
    public Map<String, String> headers() {
        return headers;
    }

    /** Returns {@code null}: the token is never kept. */
    @Override
    public @Nullable Object getCredentials() {
        return null;
    }

    /** Returns the {@link ApiKeyPrincipal}, or {@code null} before authentication. */
    @Override
    public @Nullable ApiKeyPrincipal getPrincipal() {
        return principal;
    }

    /** Returns the key id, or {@code ""} before authentication. */
    @Override
    public String getName() {
        return principal == null ? "" : principal.getName();
    }

    /** Refuses to mark an authentication request as authenticated; only the provider makes authenticated ones. */
    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated && principal == null) {
            throw new IllegalArgumentException("only LatchkeyAuthenticationProvider authenticates an API key");
        }
        super.setAuthenticated(authenticated);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatchkeyAuthentication other && super.equals(other)
                && Objects.equals(principal, other.principal);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Objects.hashCode(principal);
    }
}
