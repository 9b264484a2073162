package dev.latchkey.server;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An error to answer as an RFC 9457 problem (API.md §4): status, {@code code}, a {@code detail} for humans and any
 * extra response headers (such as {@code WWW-Authenticate}). Immutable. The rules every Latchkey service shares for
 * problem bodies live here: the titles of the codes ({@link #title}), the URN of the type, and how a request path
 * becomes the {@code instance} ({@link #instance}).
 *
 * @param status  the HTTP status, 400 to 599
 * @param code    the problem code, such as {@code invalid_request}
 * @param detail  what went wrong, for humans; never a token or a parser message that could quote one
 * @param headers extra response headers, in order
 */
public record Problem(int status, String code, String detail, Map<String, String> headers) {

    /** The media type of every problem body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private static final Pattern TRACEPARENT =
            Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");
    private static final String ZERO_TRACE = "0".repeat(32);
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
            Map.entry("too_many_failures", "Too many failed authentications"),
            Map.entry("store_unavailable", "Store unavailable"),
            Map.entry("unavailable", "Service unavailable"),
            Map.entry("internal", "Internal error"));

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

    /** Returns a problem without extra headers. */
    public static Problem of(int status, String code, String detail) {
        return new Problem(status, code, detail, Map.of());
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
     * Returns the trace id of a W3C {@code traceparent} header (its second field), or {@code null} when the header
     * is absent or malformed, the trace id is all zeros, or the version is {@code ff}.
     */
    public static @Nullable String traceId(@Nullable String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var m = TRACEPARENT.matcher(traceparent.trim());
        if (!m.matches() || m.group(1).equals(ZERO_TRACE) || traceparent.startsWith("ff")) {
            return null;
        }
        return m.group(1);
    }

    /**
     * Renders the problem body: {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance},
     * {@code code}, {@code request_id}, {@code timestamp} (whole seconds, UTC) and an empty {@code errors} list,
     * as API.md §4 shows.
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
        StringBuilder sb = new StringBuilder(256).append('{');
        field(sb, "type", "urn:latchkey:problem:" + code).append(',');
        field(sb, "title", title(code)).append(',');
        sb.append("\"status\":").append(status).append(',');
        field(sb, "detail", detail).append(',');
        field(sb, "instance", instance(path)).append(',');
        field(sb, "code", code).append(',');
        field(sb, "request_id", requestId).append(',');
        field(sb, "timestamp", now.truncatedTo(ChronoUnit.SECONDS).toString());
        sb.append(",\"errors\":[]");
        String trace = traceId(traceparent);
        if (trace != null) {
            sb.append(',');
            field(sb, "trace_id", trace);
        }
        return sb.append('}').toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
