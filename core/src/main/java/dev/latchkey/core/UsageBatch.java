package dev.latchkey.core;

import java.util.List;
import java.util.Objects;

/**
 * A batch of usage deltas and per-minute history counts flushed together. The {@code id} makes the flush idempotent:
 * a store applies each key's part of a batch (its delta and its minutes) at most once, so a flush replayed after a
 * reconnect or retried after a timeout never counts twice.
 *
 * @param id      the batch id
 * @param deltas  uses per key (at most one per key)
 * @param minutes per-minute counts of valid, denied and rate-limited requests (at most one per key and minute)
 */
public record UsageBatch(String id, List<UsageDelta> deltas, List<UsageMinute> minutes) {

    public UsageBatch {
        Objects.requireNonNull(id, "id");
        deltas = List.copyOf(deltas);
        minutes = List.copyOf(minutes);
    }

    /** A batch of uses without history. */
    public UsageBatch(String id, List<UsageDelta> deltas) {
        this(id, deltas, List.of());
    }

    /** Returns the ids of every key the batch touches, deltas first, each once. */
    public java.util.Set<String> keyIds() {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        deltas.forEach(d -> ids.add(d.keyId()));
        minutes.forEach(m -> ids.add(m.keyId()));
        return ids;
    }
}
