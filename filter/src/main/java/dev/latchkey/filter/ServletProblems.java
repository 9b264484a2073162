package dev.latchkey.filter;

import dev.latchkey.core.internal.Ids;
import dev.latchkey.engine.Denial;
import dev.latchkey.engine.ProblemJson;
import dev.latchkey.engine.TraceContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the engine's {@link Denial}s as servlet answers, exactly as {@link ApiKeyFilter} does, for any servlet door
 * on an {@link dev.latchkey.engine.Authenticator} (the Spring Boot starter's Spring Security entry point and handlers,
 * say): RFC 9457 bodies (API.md §4) from {@link ProblemJson}, sent as {@code Content-Type: application/problem+json}
 * exactly (UTF-8 bytes, no {@code charset} parameter), the denial's {@code WWW-Authenticate},
 * {@code Retry-After} and further headers (such as {@code RateLimit-Policy} and {@code RateLimit} on a 429),
 * {@code Cache-Control: no-store}, {@code X-Request-Id} (the caller's when well formed, else a new one) and
 * {@code X-Content-Type-Options: nosniff}. Bodies never contain a token.
 *
 * <p>Thread-safe (stateless).
 *
 * @since 0.1
 */
public final class ServletProblems {

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private ServletProblems() {
    }

    /**
     * Returns the caller's {@code X-Request-Id} when it is well formed (1 to 128 of {@code [A-Za-z0-9._:-]}), else a
     * new id.
     */
    public static String requestId(HttpServletRequest request) {
        String given = request.getHeader("X-Request-Id");
        return given != null && REQUEST_ID.matcher(given).matches() ? given : Ids.next();
    }

    /**
     * Answers {@code denial}, replacing anything buffered: its status, headers and problem body, whose
     * {@code timestamp} is read from {@code clock} and whose {@code instance} is the request URI.
     *
     * @throws IOException           when the response cannot be written
     * @throws IllegalStateException when the response is already committed, or its writer is already in use
     */
    public static void write(HttpServletRequest request, HttpServletResponse response, Clock clock, Denial denial)
            throws IOException {
        String requestId = requestId(request);
        response.resetBuffer();
        response.setStatus(denial.status());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Request-Id", requestId);
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (denial.challenge() != null) {
            response.setHeader("WWW-Authenticate", denial.challenge());
        }
        if (denial.retryAfterSeconds() != null) {
            response.setHeader("Retry-After", Long.toString(denial.retryAfterSeconds()));
        }
        for (Map.Entry<String, String> h : denial.headers().entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        // Bytes through the output stream, and no character encoding set: a container appends ";charset=…" to the
        // Content-Type once one is set or a writer is used, and API.md §4 says exactly application/problem+json
        // (JSON is UTF-8 by RFC 8259, so the parameter says nothing).
        response.setContentType(ProblemJson.CONTENT_TYPE);
        byte[] body = ProblemJson.body(denial, request.getRequestURI(), requestId,
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
                TraceContext.traceId(request.getHeader("traceparent"))).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        ServletOutputStream out = response.getOutputStream();
        out.write(body);
        out.flush();
    }

    /**
     * Answers a problem that is not an authentication decision, such as 500 {@code internal} or 503
     * {@code store_unavailable} (which carries {@code Retry-After: 1}); {@code code} is also the problem's reason.
     *
     * @throws IOException           when the response cannot be written
     * @throws IllegalStateException when the response is already committed
     */
    public static void write(HttpServletRequest request, HttpServletResponse response, Clock clock, int status,
            String code, String title, String detail) throws IOException {
        write(request, response, clock, new Denial(status, code, code, title, detail, null,
                status == 503 ? 1L : null, Map.of()));
    }
}
