package dev.latchkey.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The uses of one key counted since the last flush, with the time and client address of the latest. */
public record UsageDelta(String keyId, long count, Instant lastUsedAt, @Nullable String lastUsedIp) {

    public UsageDelta {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        if (count <= 0) {
            throw new IllegalArgumentException("a usage delta counts at least one use");
        }
    }
}
