package dev.latchkey.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.latchkey.core.admin.FieldError;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.engine.ProblemJson;
import dev.latchkey.server.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds RFC 9457 problem responses (API.md §4): {@code application/problem+json}, codes as URNs. */
final class Problems {

    static final String PROBLEM_JSON = "application/problem+json";
    static final MediaType PROBLEM_TYPE = MediaType.valueOf(PROBLEM_JSON);
    static final String REQUEST_ID = "X-Request-Id";


    private Problems() {
    }

    /** Returns the problem code a bare HTTP status maps to (the engine's one table). */
    static String codeFor(int status) {
        return ProblemJson.codeFor(status);
    }

    /** Returns the trace id of a W3C {@code traceparent} header, by the shared rule ({@link Problem#traceId}). */
    static @Nullable String traceId(@Nullable String traceparent) {
        return Problem.traceId(traceparent);
    }

    /** Returns the request path for {@code instance}, made safe by the shared rule ({@link Problem#instance}). */
    static String instance(@Nullable String path) {
        return Problem.instance(path);
    }

    /** Builds the response for a problem; {@code retryAfter} is the body's {@code retry_after}, or {@code null}. */
    static Response response(int status, String code, String detail, List<FieldError> errors,
            Map<String, String> headers, @Nullable Long retryAfter, @Nullable String requestId, @Nullable String path,
            @Nullable String traceparent, Clock clock) {
        String id = requestId == null ? Ids.next() : requestId;
        String instance = instance(path);
        Wire.Problem p = new Wire.Problem("urn:latchkey:problem:" + code, Problem.title(code), status,
                detail, instance, code, id, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
                errors.stream().map(Wire.FieldProblem::of).toList(), traceId(traceparent), retryAfter);
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem body could not be written", e);
        }
        Response.ResponseBuilder rb = Response.status(status).type(PROBLEM_TYPE).entity(body)
                .header(REQUEST_ID, id);
        headers.forEach(rb::header);
        return rb.build();
    }
}
