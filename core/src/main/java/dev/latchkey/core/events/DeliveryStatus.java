package dev.latchkey.core.events;

import org.jspecify.annotations.Nullable;

/** Where a webhook delivery stands (API.md §10). */
public enum DeliveryStatus {
    /** Not delivered yet; another attempt is due at {@link Delivery#nextAttemptAt()}. */
    PENDING,
    /** A receiver answered 2xx. */
    DELIVERED,
    /** Every attempt of the retry schedule failed. */
    FAILED;

    /** Returns the wire name. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Returns the status with this wire name, or {@code null}. */
    public static @Nullable DeliveryStatus fromWire(@Nullable String wire) {
        for (DeliveryStatus s : values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        return null;
    }
}
