package dev.latchkey.engine;

import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.EffectiveLimits;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.internal.LimitWindows;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The IETF httpapi RateLimit headers of API.md §8 (structured fields): {@code RateLimit-Policy: "rate";q=100;w=60,
 * "quota";q=10000;w=86400} and {@code RateLimit: "rate";r=42;t=17, "quota";r=9950;t=3600}, with only the policies the
 * key has, seconds rounded up, and {@code w}/{@code t} left out for prepaid credits.
 */
final class LimitHeaders {

    static final String POLICY = "RateLimit-Policy";
    static final String STATE = "RateLimit";

    private LimitHeaders() {
    }

    /**
     * Returns the headers for a key's limits as a charge left them, at {@code now} on the clock that charge was taken
     * by ({@code t} counts down to the window's end and the refill from it), or none when the key has no limit.
     *
     * @param w       the rate window after the charge, or {@code null} for a fresh one
     * @param balance the quota after the charge, or {@code null} for a full one
     */
    static Map<String, String> of(EffectiveLimits limits, ChargeResult.@Nullable RateWindow w,
            @Nullable QuotaState balance, Instant now) {
        StringBuilder policy = new StringBuilder(64);
        StringBuilder state = new StringBuilder(64);
        long t = now.getEpochSecond();
        if (limits.rateLimit() != null) {
            var rate = limits.rateLimit();
            policy.append("\"rate\";q=").append(rate.limit()).append(";w=").append(rate.periodSeconds());
            long remaining = w == null ? rate.limit() : w.remaining();
            long reset = LimitWindows.secondsUntil(now,
                    w == null ? LimitWindows.windowEnd(t, rate.periodSeconds()) : w.windowEnd());
            state.append("\"rate\";r=").append(remaining).append(";t=").append(reset);
        }
        if (limits.quota() != null) {
            var quota = limits.quota();
            if (policy.length() > 0) {
                policy.append(", ");
                state.append(", ");
            }
            policy.append("\"quota\";q=").append(quota.limit());
            if (quota.period() != QuotaPeriod.NONE) {
                policy.append(";w=").append(LimitWindows.periodLength(t, quota.period()));
            }
            state.append("\"quota\";r=").append(balance == null ? quota.limit() : Math.max(0, balance.remaining()));
            Instant refills = balance == null ? LimitWindows.refillsAt(t, quota.period()) : balance.refillsAt();
            if (refills != null) {
                state.append(";t=").append(Math.max(1, LimitWindows.secondsUntil(now, refills.getEpochSecond())));
            }
        }
        if (policy.length() == 0) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>(4);
        headers.put(POLICY, policy.toString());
        headers.put(STATE, state.toString());
        return headers;
    }
}
