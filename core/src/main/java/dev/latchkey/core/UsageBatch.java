package dev.latchkey.core;

import java.util.List;
import java.util.Objects;

/**
 * A batch of usage deltas flushed together. The {@code id} makes the flush idempotent: a store applies each key's
 * part of a batch at most once, so a flush replayed after a reconnect or retried after a timeout never counts twice.
 */
public record UsageBatch(String id, List<UsageDelta> deltas) {

    public UsageBatch {
        Objects.requireNonNull(id, "id");
        deltas = List.copyOf(deltas);
    }
}
