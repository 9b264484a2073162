package dev.latchkey.admin;

import dev.latchkey.core.admin.Actor;
import dev.latchkey.engine.Allow;
import dev.latchkey.engine.Decision;
import dev.latchkey.engine.Denial;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.Resource;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates {@code /v1} calls (API.md §3): {@code Authorization: Bearer} with the root token (compared in
 * constant time) or an admin key, decided by the admin service's own {@link dev.latchkey.engine.Authenticator} and
 * mapped with {@link Actor#forKey}. No credentials: 401 with {@code WWW-Authenticate: Bearer realm="latchkey"};
 * a bad token: the same plus {@code error="invalid_token"}; a valid key without a platform scope: 403. The actor
 * is handed to resources as the {@link SecurityContext}'s principal.
 */
@Priority(Priorities.AUTHENTICATION)
final class AdminAuthFilter implements ContainerRequestFilter {

    static final String REALM = "latchkey";
    /** The request property (a Grizzly request attribute) that carries an actor authenticated before Jersey. */
    static final String ACTOR_PROPERTY = "latchkey.admin.actor";

    @Inject
    private AdminContext context;
    @Inject
    private Provider<Request> grizzlyRequest;

    /** The principal that carries the actor. */
    record AdminPrincipal(Actor actor) implements Principal {
        @Override
        public String getName() {
            return actor.name();
        }
    }

    /** Returns the actor that {@link AdminAuthFilter} authenticated. */
    static Actor actor(SecurityContext sc) {
        if (sc.getUserPrincipal() instanceof AdminPrincipal p) {
            return p.actor();
        }
        throw new IllegalStateException("resource reached without admin authentication");
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (isOpenOptions(request)) {
            return; // Jersey's own OPTIONS answer on /health, /metrics or /openapi.json: no token, as for GET
        }
        // AdminGuards authenticates requests with a body before reading it, and leaves the actor here.
        Actor actor = request.getProperty(ACTOR_PROPERTY) instanceof Actor a ? a
                : authenticate(context, request.getHeaders().get("Authorization"), remoteAddress());
        boolean secure = request.getSecurityContext().isSecure();
        request.setSecurityContext(new SecurityContext() {
            private final AdminPrincipal principal = new AdminPrincipal(actor);

            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return role.equals(actor.role().name());
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        });
    }

    /**
     * Authenticates an admin call from its {@code Authorization} values (API.md §3): the root token, compared in
     * constant time, or an admin key decided by the admin service's own engine from {@code remoteAddress} (which
     * also counts failures against that address). The one place of this rule, used both here and, for requests with
     * a body, by {@link AdminGuards} before the body is read.
     *
     * @throws ApiException 401, 403 or 429 when the caller may not call the admin API
     */
    static Actor authenticate(AdminContext context, @Nullable List<String> values, @Nullable String remoteAddress) {
        if (values == null || values.isEmpty()) {
            throw unauthenticated(false, "an admin token is required: Authorization: Bearer <token>");
        }
        if (values.size() > 1) {
            throw unauthenticated(true, "send one Authorization header");
        }
        String header = values.get(0);
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthenticated(false, "use the Bearer scheme: Authorization: Bearer <token>");
        }
        String token = header.substring(7).trim();
        if (token.isEmpty()) {
            throw unauthenticated(true, "the bearer token is empty");
        }
        if (context.isRoot(token)) {
            return Actor.ROOT;
        }
        Decision d = context.adminAuthenticator().authenticateToken(token, remoteAddress);
        if (d instanceof Denial denial) {
            throw ApiException.of(denial);
        }
        Actor a = Actor.forKey(((Allow) d).key());
        if (a == null) {
            throw new ApiException(403, "forbidden",
                    "this key has no latchkey:admin, latchkey:tenant-admin or latchkey:verify scope");
        }
        return a;
    }

    /**
     * Returns whether the request is an {@code OPTIONS} that Jersey answers itself (its generated method, whose handler
     * is Jersey's, not the resource class, so {@link AuthBinding} cannot see the {@link Unauthenticated} mark) on a
     * path whose every other method belongs to a resource that needs no token.
     */
    static boolean isOpenOptions(ContainerRequestContext request) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())
                || !(request.getUriInfo() instanceof ExtendedUriInfo info)) {
            return false;
        }
        Resource resource = info.getMatchedModelResource();
        if (resource == null) {
            return false;
        }
        List<Class<?>> handlers = resource.getResourceMethods().stream()
                .filter(m -> !HttpMethod.OPTIONS.equals(m.getHttpMethod()))
                .<Class<?>>map(m -> m.getInvocable().getHandler().getHandlerClass()).toList();
        return !handlers.isEmpty() && handlers.stream().allMatch(c -> c.isAnnotationPresent(Unauthenticated.class));
    }

    private @Nullable String remoteAddress() {
        try {
            return grizzlyRequest.get().getRemoteAddr();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static ApiException unauthenticated(boolean tokenSent, String detail) {
        String challenge = "Bearer realm=\"" + REALM + "\"" + (tokenSent ? ", error=\"invalid_token\"" : "");
        return new ApiException(401, "unauthenticated", detail, List.of(), Map.of("WWW-Authenticate", challenge));
    }
}
