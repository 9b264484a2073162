package dev.latchkey.server;

import dev.latchkey.engine.ProblemJson;
import dev.latchkey.engine.TraceContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An error to answer as an RFC 9457 problem (API.md §4): status, {@code code}, a {@code detail} for humans and any
 * extra response headers (such as {@code WWW-Authenticate}). Immutable. The rules every Latchkey service shares for
 * problem bodies live here: the titles of the codes ({@link #title}), the URN of the type, and how a request path
 * becomes the {@code instance} ({@link #instance}).
 *
 * @param status     the HTTP status, 400 to 599
 * @param code       the problem code, such as {@code invalid_request}
 * @param detail     what went wrong, for humans; never a token or a parser message that could quote one
 * @param headers    extra response headers, in order
 * @param retryAfter the body's {@code retry_after} (seconds, on a 429, as API.md §4 asks), or {@code null} for none
 */
public record Problem(int status, String code, String detail, Map<String, String> headers,
        @Nullable Long retryAfter) {

    /** The media type of every problem body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException when the status is not 400 to 599 or the code is empty
     */
    public Problem {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem's status is 400 to 599, not " + status);
        }
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
        if (code.isEmpty()) {
            throw new IllegalArgumentException("code is empty");
        }
        headers = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    }

    /**
     * Creates a problem without {@code retry_after}.
     *
     * @throws IllegalArgumentException when the status is not 400 to 599 or the code is empty
     */
    public Problem(int status, String code, String detail, Map<String, String> headers) {
        this(status, code, detail, headers, null);
    }

    /** Returns a problem without extra headers. */
    public static Problem of(int status, String code, String detail) {
        return new Problem(status, code, detail, Map.of());
    }

    /** Returns the title of a problem code, by the shared table ({@link ProblemJson#title}). */
    public static String title(String code) {
        return ProblemJson.title(code);
    }

    /** Returns the request path as a problem's {@code instance}, by the shared rule ({@link ProblemJson#instance}). */
    public static String instance(@Nullable String path) {
        return ProblemJson.instance(path);
    }

    /** Returns the trace id of a W3C {@code traceparent} header, by the one parser ({@link TraceContext}). */
    public static @Nullable String traceId(@Nullable String traceparent) {
        return TraceContext.traceId(traceparent);
    }

    /**
     * Renders the problem body: {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance},
     * {@code code}, {@code request_id}, {@code timestamp} (whole seconds, UTC), an empty {@code errors} list and
     * {@code retry_after} when set, as API.md §4 shows.
     *
     * @param requestId the request's id
     * @param path      the request path, made safe with {@link #instance}
     * @param now       the time of the answer
     */
    public String toJson(String requestId, @Nullable String path, Instant now) {
        return toJson(requestId, path, now, null);
    }

    /**
     * Renders the problem body as {@link #toJson(String, String, Instant)} does, plus {@code trace_id} when the
     * request carried a valid W3C {@code traceparent} header.
     *
     * @param traceparent the request's {@code traceparent} header, or {@code null}
     */
    public String toJson(String requestId, @Nullable String path, Instant now, @Nullable String traceparent) {
        return ProblemJson.body(status, code, title(code), detail, instance(path), requestId,
                now.truncatedTo(ChronoUnit.SECONDS).toString(), traceId(traceparent), retryAfter, true);
    }
}
