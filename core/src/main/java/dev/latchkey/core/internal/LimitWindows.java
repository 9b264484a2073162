package dev.latchkey.core.internal;

import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.RateLimit;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * The time arithmetic of rate limits and quotas (API.md §8), as pure functions of Unix seconds, so that every store
 * and the engine agree and tests need no waiting. The Redis store computes the same in Lua from Redis {@code TIME}
 * ({@code limits-time.lua}); its script-level test compares the two.
 *
 * <ul>
 *   <li><b>Aligned windows</b>: a rate-limit window of period {@code p} starts at {@code t - floorMod(t, p)} and ends
 *       {@code p} seconds later, the same on every node whatever its clock says.</li>
 *   <li><b>Quota periods</b> are UTC calendar periods: a {@link QuotaPeriod#DAY} starts at 00:00 UTC, a
 *       {@link QuotaPeriod#MONTH} at 00:00 UTC on the 1st; a balance refills on its first use in a period that began
 *       after its last refill. {@link QuotaPeriod#NONE} has no periods ({@link #NO_PERIOD}).</li>
 * </ul>
 * Thread-safe (stateless).
 */
public final class LimitWindows {

    /** What {@link #periodStart} and {@link #nextPeriodStart} answer for {@link QuotaPeriod#NONE}. */
    public static final long NO_PERIOD = -1;

    private static final long DAY = 86_400;

    private LimitWindows() {
    }

    /** Returns the start (Unix seconds) of the rate-limit window of length {@code periodSeconds} holding {@code t}. */
    public static long windowStart(long t, long periodSeconds) {
        if (periodSeconds < 1) {
            throw new IllegalArgumentException("periodSeconds must be positive");
        }
        return t - Math.floorMod(t, periodSeconds);
    }

    /** Returns the end (Unix seconds, exclusive) of the rate-limit window holding {@code t}. */
    public static long windowEnd(long t, long periodSeconds) {
        return windowStart(t, periodSeconds) + periodSeconds;
    }

    /** Returns the start of the current window of {@code limit} at the clock's time. */
    public static long windowStart(Clock clock, RateLimit limit) {
        return windowStart(clock.instant().getEpochSecond(), limit.periodSeconds());
    }

    /**
     * Returns whole seconds from {@code now} until {@code epochSecond}, rounded up and at least 1: the
     * {@code Retry-After} and {@code t} of API.md §8.
     */
    public static long secondsUntil(Instant now, long epochSecond) {
        long millis = epochSecond * 1_000 - now.toEpochMilli();
        return Math.max(1, -Math.floorDiv(-millis, 1_000L));
    }

    /** Returns the start (Unix seconds) of the quota period holding {@code t}, or {@link #NO_PERIOD} for none. */
    public static long periodStart(long t, QuotaPeriod period) {
        return switch (period) {
            case DAY -> t - Math.floorMod(t, DAY);
            case MONTH -> {
                LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(t, DAY)).withDayOfMonth(1);
                yield d.toEpochDay() * DAY;
            }
            case NONE -> NO_PERIOD;
        };
    }

    /**
     * Returns when a balance next refills (Unix seconds): 00:00 UTC of the next day, or of the 1st of the next month;
     * {@link #NO_PERIOD} for prepaid credits.
     */
    public static long nextPeriodStart(long t, QuotaPeriod period) {
        return switch (period) {
            case DAY -> periodStart(t, period) + DAY;
            case MONTH -> LocalDate.ofEpochDay(Math.floorDiv(t, DAY)).withDayOfMonth(1).plusMonths(1).toEpochDay()
                    * DAY;
            case NONE -> NO_PERIOD;
        };
    }

    /** Returns {@link #nextPeriodStart} as an instant, or {@code null} for prepaid credits. */
    public static @Nullable Instant refillsAt(long t, QuotaPeriod period) {
        long next = nextPeriodStart(t, period);
        return next == NO_PERIOD ? null : Instant.ofEpochSecond(next);
    }

    /** Returns when a balance of this period next refills at the clock's time, or {@code null} for none. */
    public static @Nullable Instant refillsAt(Clock clock, QuotaPeriod period) {
        return refillsAt(clock.instant().getEpochSecond(), period);
    }

    /**
     * Returns the length in seconds of the quota period holding {@code t}: 86400 for a day, the current month's
     * length for a month (the {@code w} of a monthly quota's {@code RateLimit-Policy}), {@link #NO_PERIOD} for none.
     */
    public static long periodLength(long t, QuotaPeriod period) {
        return period == QuotaPeriod.NONE ? NO_PERIOD : nextPeriodStart(t, period) - periodStart(t, period);
    }

    /** Returns the length in seconds of the UTC month holding {@code t} (28 to 31 days). */
    public static long monthLength(long t) {
        return periodLength(t, QuotaPeriod.MONTH);
    }

    /**
     * Returns whether a balance last refilled (or first set) in the period starting {@code lastPeriodStart} refills
     * at {@code t}: its period refills and a later period has begun.
     */
    public static boolean refillDue(long lastPeriodStart, long t, QuotaPeriod period) {
        return period.refills() && lastPeriodStart < periodStart(t, period);
    }
}
