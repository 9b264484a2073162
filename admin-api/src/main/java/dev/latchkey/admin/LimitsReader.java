package dev.latchkey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.admin.FieldError;
import dev.latchkey.core.admin.QuotaInput;
import dev.latchkey.core.admin.RateLimitInput;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the limit members of API.md §8 and §9 ({@code rate_limit}, {@code quota}, the config ids) out of JSON bodies
 * into core's inputs, reporting wrong JSON types and unknown members as field errors named by their path
 * ({@code rate_limit.limit}, {@code quota.period}); ranges are core's {@code KeyRules}. A JSON {@code null} reads as
 * {@code null} (inherit).
 */
final class LimitsReader {

    private LimitsReader() {
    }

    /** Reads a {@code rate_limit} object, or {@code null} for JSON null or a wrong type (reported). */
    static @Nullable RateLimitInput rateLimit(String field, JsonNode v, List<FieldError> errors) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            errors.add(PatchReader.type(field, "an object {\"limit\",\"period_seconds\"} or null"));
            return null;
        }
        Long limit = null;
        Long period = null;
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = field + "." + PatchReader.safe(e.getKey());
            switch (e.getKey()) {
                case "limit" -> limit = integer(at, e.getValue(), errors);
                case "period_seconds" -> period = integer(at, e.getValue(), errors);
                default -> errors.add(new FieldError(at, "unknown", "is not a known field"));
            }
        }
        return new RateLimitInput(limit, period);
    }

    /**
     * Reads a {@code quota} object, or {@code null} for JSON null or a wrong type (reported); {@code refills_at} is
     * ignored, as API.md §8 says.
     */
    static @Nullable QuotaInput quota(String field, JsonNode v, List<FieldError> errors) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            errors.add(PatchReader.type(field, "an object {\"limit\",\"period\"} or null"));
            return null;
        }
        Long limit = null;
        String period = null;
        Long remaining = null;
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = field + "." + PatchReader.safe(e.getKey());
            JsonNode value = e.getValue();
            switch (e.getKey()) {
                case "limit" -> limit = integer(at, value, errors);
                case "remaining" -> remaining = value.isNull() ? null : integer(at, value, errors);
                case "period" -> {
                    if (value.isTextual()) {
                        period = value.textValue();
                    } else {
                        errors.add(PatchReader.type(at, "one of \"day\", \"month\", \"none\""));
                    }
                }
                case "refills_at" -> {
                    // read-only: ignored in bodies
                }
                default -> errors.add(new FieldError(at, "unknown", "is not a known field"));
            }
        }
        return new QuotaInput(limit, period, remaining);
    }

    /** Reads a config id: a string or null. */
    static @Nullable String configId(String field, JsonNode v, List<FieldError> errors) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (!v.isNull()) {
            errors.add(PatchReader.type(field, "a config id or null"));
        }
        return null;
    }

    /** The error of a body that names the read-only {@code effective}. */
    static FieldError readOnly(String field) {
        return new FieldError(field, "read_only", "is read-only: it shows what applies after inheritance");
    }

    /**
     * Reads a JSON integer; a number beyond a long reads as {@link Long#MAX_VALUE} (or MIN), so the range check
     * reports it; anything else (a fraction, a string) is a type error and reads as {@code null}.
     */
    static @Nullable Long integer(String field, JsonNode v, List<FieldError> errors) {
        if (v.isIntegralNumber()) {
            if (v.canConvertToLong()) {
                return v.longValue();
            }
            return v.bigIntegerValue().signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        errors.add(PatchReader.type(field, "an integer"));
        return null;
    }
}
