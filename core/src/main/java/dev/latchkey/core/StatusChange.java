package dev.latchkey.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The last explicit status change of a key: when, by whom ({@code root} or the admin key's id) and why.
 * {@link #NONE} for a key whose status was never changed after creation.
 */
public record StatusChange(@Nullable Instant at, @Nullable String by, @Nullable String reason) {

    /** No status change yet. */
    public static final StatusChange NONE = new StatusChange(null, null, null);
}
