package dev.latchkey.samples.demo;

import dev.latchkey.engine.ApiKeyPrincipal;
import dev.latchkey.filter.ApiKeyFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The bodies the demo routes answer, shared by the servlets and the Spring Boot sample's controller. Bodies are
 * plain maps so any JSON library renders them with the wire names of API.md §7.
 */
public final class DemoViews {

    private DemoViews() {
    }

    /**
     * Returns the principal {@link ApiKeyFilter} gave this request: {@code getUserPrincipal()}, else the
     * {@value ApiKeyFilter#KEY_ATTRIBUTE} attribute; {@code null} when the request did not pass the filter.
     */
    public static @Nullable ApiKeyPrincipal principal(HttpServletRequest request) {
        if (request.getUserPrincipal() instanceof ApiKeyPrincipal p) {
            return p;
        }
        return request.getAttribute(ApiKeyFilter.KEY_ATTRIBUTE) instanceof ApiKeyPrincipal p ? p : null;
    }

    /**
     * Returns the {@code /hello} body: {@code key_id}, {@code tenant_id}, {@code environment}, {@code scopes} and
     * {@code client_ip}, the address the filter decided the client has ({@link ApiKeyPrincipal#clientIp()}):
     * {@code null} when it could not tell (a trusted proxy forwarded {@code unknown}), never the socket peer, which
     * is then the proxy.
     */
    public static Map<String, @Nullable Object> hello(ApiKeyPrincipal principal) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("key_id", principal.keyId());
        body.put("tenant_id", principal.tenantId());
        body.put("environment", principal.environment());
        body.put("scopes", principal.scopes());
        body.put("client_ip", principal.clientIp());
        return body;
    }

    /** Returns the {@code /health} body. */
    public static Map<String, Object> health() {
        return Map.of("status", "up");
    }
}
