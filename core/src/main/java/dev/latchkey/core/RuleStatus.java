package dev.latchkey.core;

import org.jspecify.annotations.Nullable;

/** Whether an IP restriction is enforced; inactive rules are kept but ignored. */
public enum RuleStatus {
    ACTIVE("active"),
    INACTIVE("inactive");

    private final String wire;

    RuleStatus(String wire) {
        this.wire = wire;
    }

    /** Returns the lowercase name used on the wire. */
    public String wire() {
        return wire;
    }

    /** Returns the rule status with this wire name, or {@code null} when there is none. */
    public static @Nullable RuleStatus fromWire(@Nullable String value) {
        for (RuleStatus s : values()) {
            if (s.wire.equals(value)) {
                return s;
            }
        }
        return null;
    }
}
