package dev.latchkey.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's defaults (API.md §9): what each of its keys uses where the key's own field is {@code null}. A quota
 * here is a template: every inheriting key keeps its own balance under this limit and period.
 *
 * @param tenantId      the tenant
 * @param rateLimit     the default rate limit, or {@code null}
 * @param quota         the default quota (limit and period only), or {@code null}
 * @param webhookConfig the default webhook config id, or {@code null}
 * @param storageConfig the default storage config id, or {@code null}
 * @param version       0 until first set, then +1 with every change
 * @param updatedAt     the time of the last change, {@code null} until first set
 */
public record TenantDefaults(String tenantId, @Nullable RateLimit rateLimit, @Nullable Quota quota,
        @Nullable String webhookConfig, @Nullable String storageConfig, long version, @Nullable Instant updatedAt) {

    public TenantDefaults {
        Objects.requireNonNull(tenantId, "tenantId");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
        if ((version == 0) != (updatedAt == null)) {
            throw new IllegalArgumentException("updatedAt is set exactly when the defaults were ever set");
        }
    }

    /** Returns the defaults of a tenant that never set any: all four {@code null}, version 0. */
    public static TenantDefaults none(String tenantId) {
        return new TenantDefaults(tenantId, null, null, null, null, 0, null);
    }
}
