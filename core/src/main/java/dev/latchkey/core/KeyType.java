package dev.latchkey.core;

import org.jspecify.annotations.Nullable;

/** The commercial type of a key: a trial key always has an expiry (14 days unless given). */
public enum KeyType {
    STANDARD("standard"),
    TRIAL("trial");

    private final String wire;

    KeyType(String wire) {
        this.wire = wire;
    }

    /** Returns the lowercase name used on the wire. */
    public String wire() {
        return wire;
    }

    /** Returns the type with this wire name, or {@code null} when there is none. */
    public static @Nullable KeyType fromWire(@Nullable String value) {
        for (KeyType t : values()) {
            if (t.wire.equals(value)) {
                return t;
            }
        }
        return null;
    }
}
