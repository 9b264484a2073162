package dev.latchkey.spring.boot;

import dev.latchkey.engine.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/**
 * The request the application sees after the servlet filter's grant, as with {@code ApiKeyFilter}: the key is its
 * principal, its scopes are its roles, {@code getAuthType()} is {@code API_KEY}.
 */
final class KeyRequest extends HttpServletRequestWrapper {

    private final ApiKeyPrincipal principal;

    KeyRequest(HttpServletRequest request, ApiKeyPrincipal principal) {
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
        return LatchkeyServletFilter.AUTH_TYPE;
    }

    @Override
    public boolean isUserInRole(String role) {
        return role != null && (role.equals("**") || principal.hasScope(role));
    }
}
