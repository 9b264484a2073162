package dev.latchkey.filter;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Writes the filter's denials as RFC 9457 {@code application/problem+json} bodies, shaped exactly as API.md §4:
 * {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}, {@code code}, {@code request_id},
 * {@code timestamp} and, when the request carried a W3C {@code traceparent}, {@code trace_id}. Bodies never contain a
 * token.
 */
final class Problems {

    static final String CONTENT_TYPE = "application/problem+json";
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern TRACEPARENT =
            Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");

    private Problems() {
    }

    /** Returns the caller's {@code X-Request-Id} when it is well formed, else a new id. */
    static String requestId(HttpServletRequest request) {
        String given = request.getHeader("X-Request-Id");
        return given != null && REQUEST_ID.matcher(given).matches() ? given : dev.latchkey.core.Ids.next();
    }

    static @Nullable String traceId(HttpServletRequest request) {
        return traceIdOf(request.getHeader("traceparent"));
    }

    /** Returns the trace id of a W3C {@code traceparent} value, or {@code null} when it is absent or invalid. */
    static @Nullable String traceIdOf(@Nullable String tp) {
        if (tp == null || tp.length() > 512) {
            return null;
        }
        String v = tp.strip();
        var m = TRACEPARENT.matcher(v);
        // W3C Trace Context: version ff is invalid, all-zero ids are invalid, version 00 has exactly four fields.
        if (!m.matches() || v.startsWith("ff") || (v.startsWith("00") && m.group(2) != null)
                || m.group(1).chars().allMatch(c -> c == '0') || v.startsWith("0000000000000000", 36)) {
            return null;
        }
        return m.group(1);
    }

    static void write(HttpServletRequest request, HttpServletResponse response, Clock clock, int status, String code,
            String title, String detail, @Nullable String wwwAuthenticate) throws IOException {
        write(request, response, clock, status, code, title, detail, wwwAuthenticate, null);
    }

    /** Writes a problem; {@code retryAfterSeconds}, when given, becomes the {@code retry_after} member (429). */
    static void write(HttpServletRequest request, HttpServletResponse response, Clock clock, int status, String code,
            String title, String detail, @Nullable String wwwAuthenticate, @Nullable Long retryAfterSeconds)
            throws IOException {
        String requestId = requestId(request);
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Request-Id", requestId);
        if (wwwAuthenticate != null) {
            response.setHeader("WWW-Authenticate", wwwAuthenticate);
        }
        response.setCharacterEncoding("UTF-8");
        response.setContentType(CONTENT_TYPE);
        String body = body(status, code, title, detail, request.getRequestURI(), requestId,
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), traceId(request), retryAfterSeconds);
        PrintWriter w = response.getWriter();
        w.write(body);
        w.flush();
    }

    /** Returns the JSON of a problem, members in the order of API.md §4. */
    static String body(int status, String code, String title, String detail, String instance, String requestId,
            String timestamp, @Nullable String traceId, @Nullable Long retryAfterSeconds) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"type\":");
        string(sb, "urn:latchkey:problem:" + code);
        sb.append(",\"title\":");
        string(sb, title);
        sb.append(",\"status\":").append(status);
        sb.append(",\"detail\":");
        string(sb, detail);
        sb.append(",\"instance\":");
        string(sb, instance);
        sb.append(",\"code\":");
        string(sb, code);
        sb.append(",\"request_id\":");
        string(sb, requestId);
        sb.append(",\"timestamp\":");
        string(sb, timestamp);
        if (traceId != null) {
            sb.append(",\"trace_id\":");
            string(sb, traceId);
        }
        if (retryAfterSeconds != null) {
            sb.append(",\"retry_after\":").append(retryAfterSeconds.longValue());
        }
        sb.append('}');
        return sb.toString();
    }

    static void string(StringBuilder sb, @Nullable String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
