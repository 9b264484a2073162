package dev.latchkey.core;

import org.jspecify.annotations.Nullable;

/** How a quota refills (API.md §8): daily, monthly (at 00:00 UTC of the next day / the 1st), or never. */
public enum QuotaPeriod {
    /** Refills to its limit at 00:00 UTC every day. */
    DAY("day"),
    /** Refills to its limit at 00:00 UTC on the 1st of every month. */
    MONTH("month"),
    /** Prepaid credits: never refills. */
    NONE("none");

    private final String wire;

    QuotaPeriod(String wire) {
        this.wire = wire;
    }

    /** Returns the name on the wire: {@code day}, {@code month} or {@code none}. */
    public String wire() {
        return wire;
    }

    /** Returns whether balances of this period refill. */
    public boolean refills() {
        return this != NONE;
    }

    /** Returns the period with this wire name, or {@code null} for any other text. */
    public static @Nullable QuotaPeriod fromWire(@Nullable String text) {
        for (QuotaPeriod p : values()) {
            if (p.wire.equals(text)) {
                return p;
            }
        }
        return null;
    }
}
