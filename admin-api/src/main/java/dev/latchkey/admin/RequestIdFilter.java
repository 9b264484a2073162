package dev.latchkey.admin;

import dev.latchkey.core.internal.Ids;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is 1–128 of {@code [A-Za-z0-9._:-]}, else a
 * new ULID. The id replaces the request header (so every later stage reads the same value), goes to the SLF4J MDC
 * as {@code request_id}, and is echoed on every response, errors included.
 */
@Provider
@PreMatching
@Priority(100)
final class RequestIdFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String MDC_KEY = "request_id";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    static String accept(@Nullable String given) {
        return given != null && VALID.matcher(given).matches() ? given : Ids.next();
    }

    @Override
    public void filter(ContainerRequestContext request) {
        var given = request.getHeaders().get(Problems.REQUEST_ID);
        String id = accept(given == null || given.size() != 1 ? null : given.get(0));
        request.getHeaders().putSingle(Problems.REQUEST_ID, id);
        MDC.put(MDC_KEY, id);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String id = request.getHeaderString(Problems.REQUEST_ID);
        if (id == null) {
            id = Ids.next();
        }
        response.getHeaders().putSingle(Problems.REQUEST_ID, id);
        MDC.remove(MDC_KEY);
    }
}
