package dev.latchkey.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How much a key has been used. Usage is counted apart from the rest of the record: it never changes the key's
 * {@code version} or {@code updated_at}, so a busy key does not fail {@code If-Match}.
 */
public record Usage(long count, @Nullable Instant lastUsedAt, @Nullable String lastUsedIp) {

    /** A key that was never used. */
    public static final Usage NONE = new Usage(0, null, null);

    public Usage {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
    }

    /** Merges a later batch: counts add; the last use only moves forward in time. */
    public Usage plus(long uses, @Nullable Instant usedAt, @Nullable String ip) {
        if (usedAt != null && (lastUsedAt == null || usedAt.isAfter(lastUsedAt))) {
            return new Usage(count + uses, usedAt, ip);
        }
        return new Usage(count + uses, lastUsedAt, lastUsedIp);
    }
}
