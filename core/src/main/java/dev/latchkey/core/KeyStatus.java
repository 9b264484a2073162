package dev.latchkey.core;

import org.jspecify.annotations.Nullable;

/**
 * The status of a key. {@link #ACTIVE}, {@link #INACTIVE} and {@link #BLOCKED} are stored; {@link #EXPIRED} is
 * never stored but derived from {@code expires_at} (see {@link ApiKey#effectiveStatus}), so moving the expiry
 * forward restores the stored status.
 */
public enum KeyStatus {
    ACTIVE("active"),
    INACTIVE("inactive"),
    BLOCKED("blocked"),
    EXPIRED("expired");

    private final String wire;

    KeyStatus(String wire) {
        this.wire = wire;
    }

    /** Returns the lowercase name used on the wire. */
    public String wire() {
        return wire;
    }

    /** Returns whether a store may hold this status (everything but {@link #EXPIRED}). */
    public boolean storable() {
        return this != EXPIRED;
    }

    /** Returns the status with this wire name, or {@code null} when there is none. */
    public static @Nullable KeyStatus fromWire(@Nullable String value) {
        for (KeyStatus s : values()) {
            if (s.wire.equals(value)) {
                return s;
            }
        }
        return null;
    }
}
