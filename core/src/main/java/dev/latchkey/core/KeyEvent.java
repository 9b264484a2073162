package dev.latchkey.core;

import org.jspecify.annotations.Nullable;

/**
 * A change a store tells its listeners about, so that caches on every node evict what changed.
 *
 * @param type    what happened
 * @param keyId   the key, or {@code null} for {@link Type#ALL_STALE}
 * @param version the key's version after the change (0 when deleted or unknown)
 */
public record KeyEvent(Type type, @Nullable String keyId, long version) {

    /** The kinds of change. */
    public enum Type {
        /** A key was created: caches drop any negative entry for it (and for unknown imported tokens). */
        CREATED,
        /** A key changed (status, rotation, reset, scopes, restrictions, ...). */
        UPDATED,
        /** A key was deleted. */
        DELETED,
        /** Events may have been missed (for example, a subscription reconnected): everything may be stale. */
        ALL_STALE
    }

    /** An event for one key. */
    public static KeyEvent of(Type type, String keyId, long version) {
        return new KeyEvent(type, keyId, version);
    }

    /** The event that tells caches to clear everything. */
    public static KeyEvent allStale() {
        return new KeyEvent(Type.ALL_STALE, null, 0);
    }
}
