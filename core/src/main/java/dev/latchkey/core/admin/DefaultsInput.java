package dev.latchkey.core.admin;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code PUT /v1/tenants/{tenant_id}/defaults} (API.md §9) before {@link KeyRules} checks it: every
 * field is required on the wire (the reader checks presence), and each may be {@code null}.
 */
public record DefaultsInput(@Nullable RateLimitInput rateLimit, @Nullable QuotaInput quota,
        @Nullable String webhookConfig, @Nullable String storageConfig) {
}
