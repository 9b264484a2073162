package dev.latchkey.core.admin;

import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.CreditOp;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.RateLimit;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The wire rules of rate limits, quotas, costs and credits (API.md §8): each method validates one field, adds a
 * {@link FieldError} per problem to {@code errors} and returns the parsed value (or a harmless stand-in when it was
 * invalid), like {@link KeyRules} does for the other fields of a key.
 */
public final class LimitRules {

    private LimitRules() {
    }

    /** The largest cost of one request (API.md §8). */
    public static final long COST_MAX = ChargeResult.COST_MAX;

    /**
     * Validates a {@code rate_limit} object: {@code limit} 1–1,000,000 and {@code period_seconds} 1–86,400, both
     * required. A {@code null} input passes as absent (inherit).
     */
    public static @Nullable RateLimit rateLimit(String field, @Nullable RateLimitInput value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        int before = errors.size();
        KeyRules.range(field + ".limit", value.limit(), RateLimit.MIN_LIMIT, RateLimit.MAX_LIMIT, errors);
        KeyRules.range(field + ".period_seconds", value.periodSeconds(), RateLimit.MIN_PERIOD, RateLimit.MAX_PERIOD, errors);
        if (errors.size() > before) {
            return null;
        }
        return new RateLimit(value.limit(), value.periodSeconds());
    }

    /**
     * Validates a {@code quota} object's {@code limit} (1–10¹², required) and {@code period} ({@code day},
     * {@code month} or {@code none}, required). {@code remaining} is checked by {@link #quotaRemaining}; where a
     * quota is a template only (tenant defaults) pass {@code remainingAllowed = false} and a {@code remaining} is an
     * error. A {@code null} input passes as absent (inherit).
     */
    public static @Nullable Quota quota(String field, @Nullable QuotaInput value, boolean remainingAllowed,
            List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        int before = errors.size();
        KeyRules.range(field + ".limit", value.limit(), Quota.MIN_LIMIT, Quota.MAX_LIMIT, errors);
        QuotaPeriod period = QuotaPeriod.fromWire(value.period());
        if (period == null) {
            errors.add(new FieldError(field + ".period", value.period() == null ? "required" : "invalid",
                    "must be one of day, month, none"));
        }
        if (!remainingAllowed && value.remaining() != null) {
            errors.add(new FieldError(field + ".remaining", "unknown",
                    "is not a field here: a default quota is a limit and a period only"));
        }
        if (errors.size() > before) {
            return null;
        }
        return new Quota(value.limit(), period);
    }

    /**
     * Validates a {@code quota.remaining}: 0 to the quota's limit; {@code null} passes as absent.
     *
     * @param spec the validated quota, or {@code null} when it was invalid (then nothing more is reported)
     */
    public static @Nullable Long quotaRemaining(String field, @Nullable QuotaInput value, @Nullable Quota spec,
            List<FieldError> errors) {
        if (value == null || value.remaining() == null || spec == null) {
            return null;
        }
        long r = value.remaining();
        if (r < 0 || r > spec.limit()) {
            errors.add(new FieldError(field + ".remaining", "range", "must be 0 to the quota's limit " + spec.limit()));
            return null;
        }
        return r;
    }

    /** Validates a request's cost: 0 to 1,000,000; {@code null} means the default, 1. */
    public static long cost(String field, @Nullable Long value, List<FieldError> errors) {
        if (value == null) {
            return 1;
        }
        KeyRules.range(field, value, 0, COST_MAX, errors);
        return value < 0 || value > COST_MAX ? 1 : value;
    }

    /** Validates a credits operation name: {@code increment}, {@code decrement} or {@code set}, required. */
    public static @Nullable CreditOp creditOp(String field, @Nullable String value, List<FieldError> errors) {
        CreditOp op = CreditOp.fromWire(value);
        if (op == null) {
            errors.add(new FieldError(field, value == null ? "required" : "invalid",
                    "must be one of increment, decrement, set"));
        }
        return op;
    }

    /** Validates a credits amount: 1 to 10¹², or 0 for {@code set}; required. */
    public static long creditAmount(String field, @Nullable Long value, @Nullable CreditOp op, List<FieldError> errors) {
        long min = op == CreditOp.SET ? 0 : 1;
        KeyRules.range(field, value, min, Quota.MAX_LIMIT, errors);
        return value == null ? 0 : value;
    }
}
