package dev.latchkey.core;

import org.jspecify.annotations.Nullable;

/** Where a storage config keeps usage history (API.md §10). */
public enum StorageKind {
    /** The key store's own Redis (or the in-memory store's memory), built in. */
    REDIS("redis"),
    /** Tables in a PostgreSQL database that the admin service writes. */
    POSTGRESQL("postgresql");

    private final String wire;

    StorageKind(String wire) {
        this.wire = wire;
    }

    /** Returns the name on the wire. */
    public String wire() {
        return wire;
    }

    /** Returns the kind with this wire name, or {@code null}. */
    public static @Nullable StorageKind fromWire(@Nullable String name) {
        for (StorageKind k : values()) {
            if (k.wire.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
