package dev.latchkey.core;

import org.jspecify.annotations.Nullable;

/**
 * What applies to a key now after inheritance (API.md §8 {@code effective}): each of the key's own fields, or its
 * tenant's default where the key's is {@code null}.
 *
 * @param rateLimit     the rate limit that applies, or {@code null} for none
 * @param quota         the quota spec that applies, or {@code null} for none
 * @param webhookConfig the webhook config id that applies, or {@code null}
 * @param storageConfig the storage config id that applies, or {@code null}
 */
public record EffectiveLimits(@Nullable RateLimit rateLimit, @Nullable Quota quota, @Nullable String webhookConfig,
        @Nullable String storageConfig) {

    /** Nothing applies. */
    public static final EffectiveLimits NONE = new EffectiveLimits(null, null, null, null);

    /**
     * Resolves a key's limits: the key's own field, else the tenant default's.
     *
     * @param defaults the key's tenant's defaults, or {@code null} when there are none
     */
    public static EffectiveLimits of(ApiKey key, @Nullable TenantDefaults defaults) {
        if (defaults != null && !defaults.tenantId().equals(key.tenantId())) {
            throw new IllegalArgumentException("the defaults belong to another tenant");
        }
        return new EffectiveLimits(
                key.rateLimit() != null ? key.rateLimit() : defaults == null ? null : defaults.rateLimit(),
                key.quota() != null ? key.quota() : defaults == null ? null : defaults.quota(),
                key.webhookConfig() != null ? key.webhookConfig() : defaults == null ? null : defaults.webhookConfig(),
                key.storageConfig() != null ? key.storageConfig() : defaults == null ? null : defaults.storageConfig());
    }

    /** Returns whether a request of this key must be charged: it has a rate limit or a quota. */
    public boolean charged() {
        return rateLimit != null || quota != null;
    }
}
