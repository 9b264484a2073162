package dev.latchkey.engine;

import org.jspecify.annotations.Nullable;

/**
 * Renders RFC 9457 problem bodies exactly as API.md §4 shapes them ({@code type}, {@code title}, {@code status},
 * {@code detail}, {@code instance}, {@code code}, {@code request_id}, {@code timestamp}, then {@code trace_id} and
 * {@code retry_after} when present), without a JSON library, for doors that answer without one (the filter and the
 * gateway). Strings are escaped so that no control, line-separator or lone-surrogate character reaches the body.
 *
 * @since 0.1
 */
public final class ProblemJson {

    /** The media type of a problem body. */
    public static final String CONTENT_TYPE = "application/problem+json";

    private ProblemJson() {
    }

    /**
     * Returns the body of a denial.
     *
     * @param denial    what was decided
     * @param instance  the request path as the client sent it
     * @param requestId the request id answered in {@code X-Request-Id}
     * @param timestamp the RFC 3339 time of the answer
     * @param traceId   the caller's W3C trace id, or {@code null}
     */
    public static String body(Denial denial, String instance, String requestId, String timestamp,
            @Nullable String traceId) {
        return body(denial.status(), denial.code(), denial.title(), denial.detail(), instance, requestId, timestamp,
                traceId, denial.status() == 429 ? denial.retryAfterSeconds() : null);
    }

    /** Returns the JSON of a problem, members in the order of API.md §4. */
    public static String body(int status, String code, String title, String detail, String instance,
            String requestId, String timestamp, @Nullable String traceId, @Nullable Long retryAfterSeconds) {
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

    /** Appends {@code s} as a JSON string ({@code null} as {@code null}). */
    public static void string(StringBuilder sb, @Nullable String s) {
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
