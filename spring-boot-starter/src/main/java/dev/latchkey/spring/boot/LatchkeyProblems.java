package dev.latchkey.spring.boot;

import dev.latchkey.core.Ids;
import dev.latchkey.engine.Denial;
import dev.latchkey.engine.ProblemJson;
import dev.latchkey.engine.TraceContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the engine's {@link Denial}s as the servlet filter ({@code latchkey-filter}) does, so that an application on
 * the starter answers exactly as one with {@code ApiKeyFilter}: RFC 9457 bodies (API.md §4) from
 * {@link ProblemJson}, the denial's {@code WWW-Authenticate}, {@code Retry-After} and further headers,
 * {@code Cache-Control: no-store}, {@code X-Request-Id} and {@code X-Content-Type-Options: nosniff}. Bodies never
 * contain a token. Used by the servlet filter and by the Spring Security entry point and handlers.
 */
final class LatchkeyProblems {

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private LatchkeyProblems() {
    }

    /** Writes {@code denial} as the answer, replacing anything buffered. */
    static void write(HttpServletRequest request, HttpServletResponse response, Clock clock, Denial denial)
            throws IOException {
        String given = request.getHeader("X-Request-Id");
        String requestId = given != null && REQUEST_ID.matcher(given).matches() ? given : Ids.next();
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
        response.setCharacterEncoding("UTF-8");
        response.setContentType(ProblemJson.CONTENT_TYPE);
        String body = ProblemJson.body(denial, request.getRequestURI(), requestId,
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
                TraceContext.traceId(request.getHeader("traceparent")));
        PrintWriter w = response.getWriter();
        w.write(body);
        w.flush();
    }

    /** Writes a problem that is not an authentication decision (the engine closed, an internal error). */
    static void write(HttpServletRequest request, HttpServletResponse response, Clock clock, int status, String code,
            String title, String detail) throws IOException {
        write(request, response, clock, new Denial(status, code, code, title, detail, null,
                status == 503 ? 1L : null, Map.of()));
    }
}
