package dev.latchkey.core;

import org.jspecify.annotations.Nullable;

/** An admin change of a quota balance ({@code POST /v1/keys/{id}/credits}, API.md §8). */
public enum CreditOp {
    /** Adds the amount. */
    INCREMENT("increment"),
    /** Takes the amount; refused when the balance would go below 0. */
    DECREMENT("decrement"),
    /** Sets the balance to the amount. */
    SET("set");

    private final String wire;

    CreditOp(String wire) {
        this.wire = wire;
    }

    /** Returns the name on the wire. */
    public String wire() {
        return wire;
    }

    /** Returns the operation with this wire name, or {@code null}. */
    public static @Nullable CreditOp fromWire(@Nullable String text) {
        for (CreditOp op : values()) {
            if (op.wire.equals(text)) {
                return op;
            }
        }
        return null;
    }
}
