package dev.latchkey.admin;

import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.server.BodyGate;
import dev.latchkey.server.GuardOptions;
import dev.latchkey.server.HttpServerGuards;
import dev.latchkey.server.Problem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin service's use of the shared HTTP guards ({@link HttpServerGuards}): the same head and body limits,
 * request ids and clock as the Jersey side, and authentication as the {@link BodyGate}, so that a request body is
 * read only from an authenticated caller (an unauthenticated one gets its 401 without its body being read). The
 * actor it authenticates is left in {@link AdminAuthFilter#ACTOR_PROPERTY}, so the key is verified (and its use
 * counted) once.
 */
final class AdminGuards implements BodyGate {

    private static final Logger LOG = LoggerFactory.getLogger(AdminGuards.class);

    private final AdminContext context;

    private AdminGuards(AdminContext context) {
        this.context = context;
    }

    /** Applies the guards to the admin service's server before it starts. */
    static void apply(HttpServer http, AdminContext context, Clock clock) {
        HttpServerGuards.apply(http, GuardOptions.builder()
                .maxHeaderBytes(AdminServer.MAX_HEADER_BYTES)
                .maxBodyBytes(BodyLimitFilter.MAX_BYTES)
                .requestIds(RequestIdFilter::accept)
                .bodyGate(new AdminGuards(context))
                .clock(clock)
                .build());
    }

    @Override
    public @Nullable Problem check(Request request) {
        List<String> authorization = new ArrayList<>();
        request.getHeaders("Authorization").forEach(authorization::add);
        try {
            Actor actor = AdminAuthFilter.authenticate(context, authorization,
                    request.getRemoteAddr());
            request.setAttribute(AdminAuthFilter.ACTOR_PROPERTY, actor);
            return null;
        } catch (ApiException e) {
            return new Problem(e.status(), e.code(), String.valueOf(e.getMessage()), e.headers(), e.retryAfter());
        } catch (StoreUnavailableException e) {
            LOG.warn("Store unavailable while authenticating {} {}: {}", request.getMethod(),
                    Problem.instance(request.getRequestURI()), e.getMessage());
            return new Problem(503, "store_unavailable", ProblemMapper.STORE_UNAVAILABLE,
                    ProblemMapper.RETRY_IN_A_SECOND);
        }
    }
}
