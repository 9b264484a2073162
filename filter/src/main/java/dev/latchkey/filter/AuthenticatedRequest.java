package dev.latchkey.filter;

import dev.latchkey.engine.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/** The request the application sees after a grant: the key is its principal and its scopes are its roles. */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    private final ApiKeyPrincipal principal;

    AuthenticatedRequest(HttpServletRequest request, ApiKeyPrincipal principal) {
        super(request);
        this.principal = principal;
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
