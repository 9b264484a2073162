package dev.latchkey.core;

import org.jspecify.annotations.Nullable;

/** The environment a key belongs to; it is also the second part of every generated token. */
public enum Environment {
    /** Production traffic. */
    LIVE("live"),
    /** Test traffic: the same rules, kept apart so that a leaked test key cannot touch live data. */
    TEST("test");

    private final String wire;

    Environment(String wire) {
        this.wire = wire;
    }

    /** Returns the lowercase name used on the wire and inside tokens. */
    public String wire() {
        return wire;
    }

    /** Returns the environment with this wire name, or {@code null} when there is none. */
    public static @Nullable Environment fromWire(@Nullable String value) {
        for (Environment e : values()) {
            if (e.wire.equals(value)) {
                return e;
            }
        }
        return null;
    }
}
