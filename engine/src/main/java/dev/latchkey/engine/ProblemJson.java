package dev.latchkey.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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

    private static final int MAX_INSTANCE = 512;
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9.-]{0,32}");
    private static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry("invalid_request", "Invalid request"),
            Map.entry("unauthenticated", "Unauthenticated"),
            Map.entry("forbidden", "Forbidden"),
            Map.entry("ip_not_allowed", "IP address not allowed"),
            Map.entry("insufficient_scope", "Insufficient scope"),
            Map.entry("key_not_found", "Key not found"),
            Map.entry("job_not_found", "Job not found"),
            Map.entry("not_found", "Not found"),
            Map.entry("method_not_allowed", "Method not allowed"),
            Map.entry("not_acceptable", "Not acceptable"),
            Map.entry("conflict", "Conflict"),
            Map.entry("precondition_failed", "Precondition failed"),
            Map.entry("payload_too_large", "Payload too large"),
            Map.entry("unsupported_media_type", "Unsupported media type"),
            Map.entry("rate_limited", "Too many requests"),
            Map.entry("quota_exceeded", "Quota exceeded"),
            Map.entry("quota_exhausted", "Quota exhausted"),
            Map.entry("too_many_failures", "Too many failed authentications"),
            Map.entry("store_unavailable", "Store unavailable"),
            Map.entry("internal", "Internal error"));

    private ProblemJson() {
    }

    /**
     * Returns the API.md §4 code of a bare HTTP status, for an answer that has nothing more specific to say (a
     * container's or a framework's own error): {@code internal} for any other 5xx, {@code invalid_request} for any
     * other 4xx.
     */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 412 -> "precondition_failed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "store_unavailable";
            default -> status >= 500 ? "internal" : "invalid_request";
        };
    }

    /** Returns the title of a problem code ({@code "Invalid request"} for {@code invalid_request}); {@code "Error"} when unknown. */
    public static String title(String code) {
        return TITLES.getOrDefault(code, "Error");
    }

    /**
     * Returns the request path as a problem's {@code instance}, with every segment that could be a secret (longer
     * than 32 characters, or with characters beyond {@code [A-Za-z0-9.-]}) replaced by {@code …}, so a token pasted
     * into a URL is never echoed back; at most 512 characters are looked at. {@code null} gives {@code ""}.
     */
    public static String instance(@Nullable String path) {
        if (path == null || path.isEmpty()) {
            return "";
        }
        String p = path.length() > MAX_INSTANCE ? path.substring(0, MAX_INSTANCE) : path;
        List<String> out = new ArrayList<>();
        for (String segment : p.split("/", -1)) {
            out.add(SAFE_SEGMENT.matcher(segment).matches() ? segment : "…");
        }
        return String.join("/", out);
    }

    /**
     * Returns the body of a denial.
     *
     * @param denial    what was decided
     * @param instance  the request path as the client sent it (made safe with {@link #instance(String)})
     * @param requestId the request id answered in {@code X-Request-Id}
     * @param timestamp the RFC 3339 time of the answer
     * @param traceId   the caller's W3C trace id, or {@code null}
     */
    public static String body(Denial denial, String instance, String requestId, String timestamp,
            @Nullable String traceId) {
        return body(denial.status(), denial.code(), denial.title(), denial.detail(), instance(instance), requestId,
                timestamp, traceId, denial.bodyRetryAfter(), false);
    }

    /** Returns the JSON of a problem, members in the order of API.md §4. */
    public static String body(int status, String code, String title, String detail, String instance,
            String requestId, String timestamp, @Nullable String traceId, @Nullable Long retryAfterSeconds) {
        return body(status, code, title, detail, instance, requestId, timestamp, traceId, retryAfterSeconds, false);
    }

    /**
     * Returns the JSON of a problem, members in the order of API.md §4; {@code emptyErrors} adds {@code "errors":[]}
     * after {@code timestamp}, as the admin service's bodies always carry it.
     */
    public static String body(int status, String code, String title, String detail, String instance,
            String requestId, String timestamp, @Nullable String traceId, @Nullable Long retryAfterSeconds,
            boolean emptyErrors) {
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
        if (emptyErrors) {
            sb.append(",\"errors\":[]");
        }
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
