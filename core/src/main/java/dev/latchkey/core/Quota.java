package dev.latchkey.core;

import java.util.Objects;

/**
 * A quota's specification (API.md §8): a balance of {@code limit} units that refills every {@code period}
 * ({@link QuotaPeriod#NONE}: prepaid credits that never refill). The balance itself is live state kept by the store
 * apart from the key record ({@link QuotaState}); this is what a key or a tenant default says. Immutable.
 *
 * @param limit  the balance a refill restores, {@value #MIN_LIMIT} to {@value #MAX_LIMIT}
 * @param period how the balance refills
 */
public record Quota(long limit, QuotaPeriod period) {

    /** The smallest limit. */
    public static final long MIN_LIMIT = 1;
    /** The largest limit: 10¹². */
    public static final long MAX_LIMIT = 1_000_000_000_000L;
    /**
     * The largest balance credits may build up: 10¹⁵, so every balance stays exact where stores compute in doubles
     * (Redis Lua numbers are exact up to 2⁵³).
     */
    public static final long MAX_BALANCE = 1_000_000_000_000_000L;

    /**
     * Checks the range; {@code KeyRules#quota} reports bad input as field errors before it gets here.
     *
     * @throws IllegalArgumentException when the limit is out of range
     */
    public Quota {
        Objects.requireNonNull(period, "period");
        if (limit < MIN_LIMIT || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be " + MIN_LIMIT + " to " + MAX_LIMIT);
        }
    }
}
