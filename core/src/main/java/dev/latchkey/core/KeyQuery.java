package dev.latchkey.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A page request for {@link KeyStore#list}: optional filters, an offset and a limit. Results are newest first.
 * Build it with {@link #clamped}, which applies the listing rules of the admin API.
 *
 * @param tenantId    only this tenant's keys, or all tenants when {@code null}
 * @param status      only keys whose status at {@code now} is this (expired is derived), or any when {@code null}
 * @param type        only this type, or any
 * @param environment only this environment, or any
 * @param offset      how many matching keys to skip (≥ 0)
 * @param limit       the page size (1 to {@value #MAX_LIMIT})
 * @param now         the time at which {@code status} is judged
 */
public record KeyQuery(
        @Nullable String tenantId,
        @Nullable KeyStatus status,
        @Nullable KeyType type,
        @Nullable Environment environment,
        int offset,
        int limit,
        Instant now) {

    /** The page size used when none (or a non-positive one) is asked for. */
    public static final int DEFAULT_LIMIT = 20;
    /** The largest page. */
    public static final int MAX_LIMIT = 500;

    public KeyQuery {
        Objects.requireNonNull(now, "now");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
        }
    }

    /** Returns a query with offset and limit clamped like the reference gateway: offset &lt; 0 → 0, limit ≤ 0 → 20, limit &gt; 500 → 500. */
    public static KeyQuery clamped(@Nullable String tenantId, @Nullable KeyStatus status, @Nullable KeyType type,
            @Nullable Environment environment, long offset, long limit, Instant now) {
        int o = (int) Math.max(0, Math.min(offset, Integer.MAX_VALUE));
        int l = limit <= 0 ? DEFAULT_LIMIT : (int) Math.min(limit, MAX_LIMIT);
        return new KeyQuery(tenantId, status, type, environment, o, l, now);
    }

    /** Returns whether a key passes this query's filters (offset and limit aside). */
    public boolean matches(ApiKey key) {
        return (tenantId == null || tenantId.equals(key.tenantId()))
                && (status == null || status == key.effectiveStatus(now))
                && (type == null || type == key.type())
                && (environment == null || environment == key.environment());
    }
}
