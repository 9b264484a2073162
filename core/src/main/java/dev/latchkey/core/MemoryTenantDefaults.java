package dev.latchkey.core;

import dev.latchkey.core.admin.ConfigRules;
import java.util.concurrent.ConcurrentHashMap;

/** The in-memory store's tenant defaults (API.md §9): one record per tenant, replaced by compare-and-set on version. */
final class MemoryTenantDefaults {

    private final ConcurrentHashMap<String, TenantDefaults> byTenant = new ConcurrentHashMap<>();

    TenantDefaults get(String tenantId) {
        TenantDefaults d = byTenant.get(tenantId);
        return d == null ? TenantDefaults.none(tenantId) : d;
    }

    /** Stores {@code updated} when the tenant is at {@code expectedVersion}; true when it was written. */
    boolean replace(TenantDefaults updated, long expectedVersion) {
        if (updated.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("the new version must be the expected version + 1");
        }
        boolean[] written = new boolean[1];
        byTenant.compute(updated.tenantId(), (t, current) -> {
            long at = current == null ? 0 : current.version();
            if (at != expectedVersion) {
                return current;
            }
            written[0] = true;
            return updated;
        });
        return written[0];
    }

    /** The retention of a key's effective storage config (its own, else its tenant's), or the default. */
    int retentionDays(ApiKey key, MemoryTenantConfigs<StorageConfig> storageConfigs) {
        String id = key.storageConfig();
        if (id == null) {
            id = get(key.tenantId()).storageConfig();
        }
        StorageConfig c = id == null ? null : storageConfigs.find(id).orElse(null);
        return c == null ? ConfigRules.DEFAULT_RETENTION_DAYS : c.retentionDays();
    }
}
