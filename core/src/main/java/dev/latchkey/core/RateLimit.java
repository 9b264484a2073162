package dev.latchkey.core;

import dev.latchkey.core.internal.LimitWindows;

/**
 * A rate limit (API.md §8): at most {@code limit} admitted units per aligned window of {@code periodSeconds}, across
 * every node. Window start = Unix time rounded down to a multiple of the period ({@link LimitWindows}). Immutable.
 *
 * @param limit         units per window, {@value #MIN_LIMIT} to {@value #MAX_LIMIT}
 * @param periodSeconds the window length in seconds, {@value #MIN_PERIOD} to {@value #MAX_PERIOD}
 */
public record RateLimit(long limit, long periodSeconds) {

    /** The smallest limit. */
    public static final long MIN_LIMIT = 1;
    /** The largest limit. */
    public static final long MAX_LIMIT = 1_000_000;
    /** The shortest window, in seconds. */
    public static final long MIN_PERIOD = 1;
    /** The longest window, in seconds: one day. */
    public static final long MAX_PERIOD = 86_400;

    /**
     * Checks the ranges; {@code KeyRules#rateLimit} reports bad input as field errors before it gets here.
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    public RateLimit {
        if (limit < MIN_LIMIT || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be " + MIN_LIMIT + " to " + MAX_LIMIT);
        }
        if (periodSeconds < MIN_PERIOD || periodSeconds > MAX_PERIOD) {
            throw new IllegalArgumentException("period_seconds must be " + MIN_PERIOD + " to " + MAX_PERIOD);
        }
    }
}
