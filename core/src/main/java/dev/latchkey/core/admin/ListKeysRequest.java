package dev.latchkey.core.admin;

import dev.latchkey.core.Environment;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyType;
import org.jspecify.annotations.Nullable;

/**
 * What {@link KeyManager#list} is asked for: optional filters and a page, as the caller sent them. The manager applies
 * the tenant rule and clamps the page like the admin API (offset &lt; 0 → 0, limit ≤ 0 → 20, limit &gt; 500 → 500),
 * so any values are accepted here.
 *
 * @param tenantId    only this tenant's keys; {@code null} for every tenant a platform admin sees, or the tenant
 *                    admin's own
 * @param status      only keys with this status now (expired is derived), or any
 * @param type        only this type, or any
 * @param environment only this environment, or any
 * @param offset      how many matching keys to skip
 * @param limit       the page size
 */
public record ListKeysRequest(
        @Nullable String tenantId,
        @Nullable KeyStatus status,
        @Nullable KeyType type,
        @Nullable Environment environment,
        long offset,
        long limit) {

    /** Returns the first page of the default size over every key the actor may see. */
    public static ListKeysRequest firstPage() {
        return new ListKeysRequest(null, null, null, null, 0, 0);
    }

    /** Returns this request for another page. */
    public ListKeysRequest page(long newOffset, long newLimit) {
        return new ListKeysRequest(tenantId, status, type, environment, newOffset, newLimit);
    }

    /** Returns this request for one tenant. */
    public ListKeysRequest tenant(@Nullable String newTenantId) {
        return new ListKeysRequest(newTenantId, status, type, environment, offset, limit);
    }
}
