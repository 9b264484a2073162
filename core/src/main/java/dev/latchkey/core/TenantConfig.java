package dev.latchkey.core;

import java.time.Instant;

/**
 * A configuration record that belongs to one tenant and that keys and tenant defaults name by id (API.md §10): a
 * {@link WebhookConfig} or a {@link StorageConfig}. Both share one set of rules for tenants, listing, 404, 409 and
 * naming, and one store SPI ({@link TenantConfigs}).
 */
public sealed interface TenantConfig permits WebhookConfig, StorageConfig {

    /** Returns the id (a ULID, so ids sort by creation). */
    String id();

    /** Returns the owning tenant. */
    String tenantId();

    /** Returns when it was created. */
    Instant createdAt();

    /** Returns when it was last changed. */
    Instant updatedAt();

    /** Returns the optimistic-concurrency version: 1 at creation, +1 with every change. */
    long version();
}
