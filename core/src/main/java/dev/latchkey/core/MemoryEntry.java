package dev.latchkey.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One key in {@link InMemoryKeyStore}: its record, and the state that lives and dies with it: use totals, the usage
 * batch ids already applied, the minute history ({@link MemoryHistory}) and the rate-limit and quota state
 * ({@link MemoryLimits}).
 *
 * <p>Why a class of its own: the store keeps one of these per key in its id map, and everything here is guarded by the
 * entry's own lock (the record is also swapped by the store under it, by compare-and-set on the version), so a key's
 * usage, history and limits go away with the key and never need a second map. The store does the map work (is this
 * entry still the id's?) and the events; this class does the per-key arithmetic.
 */
final class MemoryEntry {

    /** How many usage batch ids each key remembers, to apply each batch at most once. */
    private static final int REMEMBERED_BATCHES = 64;

    /** The key's record without usage; written under this entry's lock, read without it. */
    volatile ApiKey record;
    /** The key's limit state; use it only under this entry's lock (the store charges and credits under it). */
    final MemoryLimits limits;
    private Usage usage = Usage.NONE;
    private final Deque<String> batches = new ArrayDeque<>();
    private final Set<String> batchSet = new HashSet<>();
    private final MemoryHistory history = new MemoryHistory();

    MemoryEntry(ApiKey record, Clock clock) {
        this.record = record;
        this.limits = new MemoryLimits(clock);
    }

    /** Returns the record with its use totals. */
    synchronized ApiKey snapshot() {
        return record.withUsage(usage);
    }

    /**
     * Adds what {@code batch} holds for {@code keyId} (this entry's id) to the totals and the history, unless this
     * entry applied the batch already.
     */
    synchronized void addUsage(UsageBatch batch, String keyId, int retentionDays) {
        if (!batchSet.add(batch.id())) {
            return;
        }
        batches.addLast(batch.id());
        if (batches.size() > REMEMBERED_BATCHES) {
            batchSet.remove(batches.removeFirst());
        }
        for (UsageDelta d : batch.deltas()) {
            if (d.keyId().equals(keyId)) {
                usage = usage.plus(d.count(), d.lastUsedAt(), d.lastUsedIp());
            }
        }
        for (UsageMinute m : batch.minutes()) {
            if (m.keyId().equals(keyId)) {
                history.add(m, retentionDays);
            }
        }
    }

    /** Returns the key's usage history between two instants, as {@link KeyStore#usageHistory} does. */
    synchronized List<UsageBucket> history(Instant from, Instant to, HistoryGranularity granularity) {
        return history.read(from, to, granularity);
    }

    /** Returns the key's standing against {@code quota} now, as {@link KeyStore#quotaState} does. */
    synchronized QuotaState quotaState(Quota quota) {
        return limits.peek(quota);
    }
}
