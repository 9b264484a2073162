package dev.latchkey.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One bucket of a key's usage history (API.md §10).
 *
 * @param start       the bucket's first instant (UTC, aligned to its granularity)
 * @param valid       uses
 * @param denied      refusals after the secret was proved
 * @param rateLimited limit refusals
 */
public record UsageBucket(Instant start, long valid, long denied, long rateLimited) {

    public UsageBucket {
        Objects.requireNonNull(start, "start");
    }

    /** Returns whether every count is zero. */
    public boolean empty() {
        return valid == 0 && denied == 0 && rateLimited == 0;
    }
}
