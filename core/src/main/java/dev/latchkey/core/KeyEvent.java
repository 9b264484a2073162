package dev.latchkey.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A change a store tells its listeners about, so that caches on every node evict what changed.
 *
 * @param type     what happened
 * @param keyId    the key, or {@code null} for {@link Type#ALL_STALE} and {@link Type#TENANT_DEFAULTS_CHANGED}
 * @param version  the key's version after the change (0 when deleted or unknown); for
 *                 {@link Type#TENANT_DEFAULTS_CHANGED} the defaults' version; 0 for {@link Type#LIMITS_CHANGED}
 * @param tenantId the tenant, for {@link Type#TENANT_DEFAULTS_CHANGED} only
 */
public record KeyEvent(Type type, @Nullable String keyId, long version, @Nullable String tenantId) {

    /** The kinds of change. */
    public enum Type {
        /** A key was created: caches drop any negative entry for it (and for unknown imported tokens). */
        CREATED,
        /** A key changed (status, rotation, reset, scopes, restrictions, rate limit, quota, ...). */
        UPDATED,
        /** A key was deleted. */
        DELETED,
        /** Events may have been missed (for example, a subscription reconnected): everything may be stale. */
        ALL_STALE,
        /**
         * A key's quota balance was changed by an admin (credits, or a new quota): the record and its version are
         * unchanged, so caches keep the key, but any "over the limit" verdict a node holds for it ends.
         */
        LIMITS_CHANGED,
        /**
         * A tenant's defaults changed ({@link #tenantId}): effective limits and configs of its keys may differ, so
         * every cached default of that tenant and every "over the limit" verdict for its keys end.
         */
        TENANT_DEFAULTS_CHANGED
    }

    public KeyEvent {
        Objects.requireNonNull(type, "type");
        if ((type == Type.TENANT_DEFAULTS_CHANGED) != (tenantId != null)) {
            throw new IllegalArgumentException("a tenant id goes with tenant-defaults events only");
        }
    }

    /** An event without a tenant: every type but {@link Type#TENANT_DEFAULTS_CHANGED}. */
    public KeyEvent(Type type, @Nullable String keyId, long version) {
        this(type, keyId, version, null);
    }

    /** An event for one key. */
    public static KeyEvent of(Type type, String keyId, long version) {
        return new KeyEvent(type, keyId, version);
    }

    /** The event that tells caches to clear everything. */
    public static KeyEvent allStale() {
        return new KeyEvent(Type.ALL_STALE, null, 0);
    }

    /** The event of an admin change to a key's quota balance. */
    public static KeyEvent limitsChanged(String keyId) {
        return new KeyEvent(Type.LIMITS_CHANGED, keyId, 0);
    }

    /** The event of a change of a tenant's defaults, now at {@code version}. */
    public static KeyEvent tenantDefaultsChanged(String tenantId, long version) {
        return new KeyEvent(Type.TENANT_DEFAULTS_CHANGED, null, version, tenantId);
    }
}
