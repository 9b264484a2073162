package dev.latchkey.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.latchkey.core.FieldError;
import dev.latchkey.core.Ids;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Builds RFC 9457 problem responses (API.md §4): {@code application/problem+json}, codes as URNs. */
final class Problems {

    static final String PROBLEM_JSON = "application/problem+json";
    static final MediaType PROBLEM_TYPE = MediaType.valueOf(PROBLEM_JSON);
    static final String REQUEST_ID = "X-Request-Id";

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
            Map.entry("quota_exceeded", "Quota exceeded"),
            Map.entry("quota_exhausted", "Quota exhausted"),
            Map.entry("store_unavailable", "Store unavailable"),
            Map.entry("internal", "Internal error"));

    private Problems() {
    }

    /** Returns the problem code a bare HTTP status maps to. */
    static String codeFor(int status) {
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

    /** Returns the trace id of a W3C {@code traceparent} header, or {@code null} when absent or malformed. */
    static @Nullable String traceId(@Nullable String traceparent) {
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
     * Returns the request path for {@code instance}, with every segment that could be a secret (longer than 32
     * characters, or with characters beyond {@code [A-Za-z0-9.-]}) replaced by {@code …}, so a token pasted into a
     * URL is not echoed back.
     */
    static String instance(@Nullable String path) {
        if (path == null || path.isEmpty()) {
            return "";
        }
        String p = path.length() > MAX_INSTANCE ? path.substring(0, MAX_INSTANCE) : path;
        List<String> out = new java.util.ArrayList<>();
        for (String segment : p.split("/", -1)) {
            out.add(SAFE_SEGMENT.matcher(segment).matches() ? segment : "…");
        }
        return String.join("/", out);
    }

    /** Builds the response for a problem. */
    static Response response(int status, String code, String detail, List<FieldError> errors,
            Map<String, String> headers, @Nullable String requestId, @Nullable String path,
            @Nullable String traceparent, Clock clock) {
        String id = requestId == null ? Ids.next() : requestId;
        String instance = instance(path);
        Wire.Problem p = new Wire.Problem("urn:latchkey:problem:" + code, TITLES.getOrDefault(code, "Error"), status,
                detail, instance, code, id, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
                errors.stream().map(Wire.FieldProblem::of).toList(), traceId(traceparent));
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
