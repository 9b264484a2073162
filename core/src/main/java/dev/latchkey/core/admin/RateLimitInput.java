package dev.latchkey.core.admin;

import dev.latchkey.core.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * A {@code rate_limit} object as a caller sent it, before {@link KeyRules#rateLimit} checks it.
 *
 * @param limit         {@code limit}, or {@code null} when absent
 * @param periodSeconds {@code period_seconds}, or {@code null} when absent
 */
public record RateLimitInput(@Nullable Long limit, @Nullable Long periodSeconds) {

    /** Returns the input that describes an existing rate limit. */
    public static RateLimitInput of(RateLimit r) {
        return new RateLimitInput(r.limit(), r.periodSeconds());
    }
}
