package dev.latchkey.filter;

import dev.latchkey.engine.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.Objects;

/**
 * The request the application sees after a grant, for any servlet door on an {@link dev.latchkey.engine.Authenticator}:
 * the key's {@link ApiKeyPrincipal} is {@code getUserPrincipal()}, its id is {@code getRemoteUser()},
 * {@code getAuthType()} is {@value ApiKeyFilter#AUTH_TYPE}, and its scopes are its roles (wildcards as core's
 * {@code Scopes} reads them). It does not set the {@value ApiKeyFilter#KEY_ATTRIBUTE} request attribute; a door that
 * wants it sets it.
 *
 * @since 0.1
 */
public final class AuthenticatedRequest extends HttpServletRequestWrapper {

    private final ApiKeyPrincipal principal;

    /**
     * Wraps {@code request} for the key {@code principal}.
     *
     * @throws NullPointerException when either is null
     */
    public AuthenticatedRequest(HttpServletRequest request, ApiKeyPrincipal principal) {
        super(request);
        this.principal = Objects.requireNonNull(principal, "principal");
    }

    /** Returns the key's principal. */
    public ApiKeyPrincipal principal() {
        return principal;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public String getAuthType() {
        return ApiKeyFilter.AUTH_TYPE;
    }

    /** True for each granted scope (wildcards as core's {@code Scopes} reads them), and for {@code **}. */
    @Override
    public boolean isUserInRole(String role) {
        if (role == null) {
            return false;
        }
        return role.equals("**") || principal.hasScope(role);
    }
}
