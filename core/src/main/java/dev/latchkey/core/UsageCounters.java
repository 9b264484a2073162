package dev.latchkey.core;

import dev.latchkey.core.internal.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory counters behind {@link UsageRecorder}: per key, the uses since the last drain with the time and address
 * of the last, and per key and minute the valid, denied and rate-limited requests of usage history. Counting is
 * lock-free and allocates nothing but a key's first counter and its first slot array in each minute; {@link #drain}
 * takes everything counted into one batch and retires idle counters, so idle keys cost no memory.
 *
 * <p>Why a class of its own: the recorder decides when and how counts reach the store (the schedule, one failed batch
 * retried under its id, the retry window); this class only counts, and makes sure that no count is lost or taken twice
 * when writers race a drain. Counts are taken with an atomic get-and-set; an idle counter is retired with a
 * compare-and-set that writers notice, and they then start a new one. Thread-safe; {@link #drain} is called by one
 * thread at a time (the recorder's flush lock).
 */
final class UsageCounters {

    private static final long RETIRED = -1;

    /**
     * One key's counts since the last flush: uses, the last use, and the history counts of the current minute (and of
     * minutes that ended but were not flushed yet). A minute's slot reads {@link #RETIRED} once it is flushed for good:
     * a writer that meets it moves on to the newer minute, or, when the whole counter is retired, to a new counter.
     */
    private static final class Counter {
        final AtomicLong count = new AtomicLong();
        volatile long lastUsedAtMillis;
        volatile @Nullable String lastUsedIp;
        final AtomicReference<@Nullable Minute> current = new AtomicReference<>();
        final ConcurrentLinkedQueue<Minute> ended = new ConcurrentLinkedQueue<>();
    }

    /** The valid, denied and rate-limited counts of one key in one minute. */
    private static final class Minute {
        final long minute;
        final AtomicLongArray n = new AtomicLongArray(3);

        Minute(long minute) {
            this.minute = minute;
        }
    }

    /** The current minute of a retired counter: later than any request's minute, every slot retired. */
    private static final Minute RETIRED_MINUTE = new Minute(Long.MAX_VALUE);

    static {
        for (int i = 0; i < 3; i++) {
            RETIRED_MINUTE.n.set(i, RETIRED);
        }
    }

    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    /** A LongAdder, not an AtomicLong: every granted request adds to it, from every request thread. */
    private final LongAdder pendingUses;

    /**
     * Counters that add their pending uses to {@code pendingUses}, shared with other counters: the stripes of
     * {@link StripedUsageCounters} share one adder, whose cells are padded apart, where one adder per stripe,
     * allocated side by side, would put the stripes' counts on one cache line.
     */
    UsageCounters(LongAdder pendingUses) {
        this.pendingUses = pendingUses;
    }

    /** Counts one use of {@code keyId} at {@code millis} from {@code clientIp}, and a valid request in its minute. */
    void use(String keyId, long millis, @Nullable String clientIp) {
        Counter counted = countUse(keyId, millis, clientIp);
        long minute = Math.floorDiv(millis, 60_000L);
        if (!bump(counted, minute, UsageOutcome.VALID.ordinal())) {
            outcome(keyId, millis, UsageOutcome.VALID);
        }
    }

    /**
     * Counts a request for usage history only: one array slot bumped by compare-and-set, no allocation except the
     * first request of a key in a minute.
     */
    void outcome(String keyId, long epochMillis, UsageOutcome outcome) {
        long minute = Math.floorDiv(epochMillis, 60_000L);
        while (true) {
            Counter c = counters.computeIfAbsent(keyId, k -> new Counter());
            if (bump(c, minute, outcome.ordinal())) {
                return;
            }
            counters.remove(keyId, c);
        }
    }

    /** Adds one to a counter's slot for {@code minute} (or a later minute it already moved to); false when retired. */
    private static boolean bump(Counter c, long minute, int slot) {
        while (true) {
            Minute m = c.current.get();
            if (m == null || m.minute < minute) {
                // Once per key and minute, under the counter's lock, so that a flush retiring the counter cannot
                // miss a minute installed meanwhile (it would then be counted into and never written).
                synchronized (c) {
                    if (c.count.get() == RETIRED) {
                        return false;
                    }
                    if (c.current.get() == m) {
                        c.current.set(new Minute(minute));
                        if (m != null) {
                            c.ended.add(m);
                        }
                    }
                }
                continue;
            }
            long v = m.n.get(slot);
            if (v == RETIRED) {
                if (c.count.get() == RETIRED) {
                    return false;
                }
                continue;
            }
            if (m.n.compareAndSet(slot, v, v + 1)) {
                return true;
            }
        }
    }

    private Counter countUse(String keyId, long millis, @Nullable String clientIp) {
        while (true) {
            Counter c = counters.computeIfAbsent(keyId, k -> new Counter());
            // The time goes in before the count: a flush that takes this use must also see when it happened.
            // Written only when they change: two volatile writes per use would bounce the counter's cache line
            // between request threads.
            long last = c.lastUsedAtMillis;
            if (millis > last || millis == last && !Objects.equals(clientIp, c.lastUsedIp)) {
                c.lastUsedAtMillis = millis;
                c.lastUsedIp = clientIp;
            }
            long n = c.count.get();
            if (n == RETIRED) {
                counters.remove(keyId, c);
                continue;
            }
            if (c.count.compareAndSet(n, n + 1)) {
                pendingUses.increment();
                return c;
            }
        }
    }

    /** Returns the number of uses counted and not yet {@linkplain #settle settled}. */
    long pending() {
        return pendingUses.sum();
    }

    /** Takes {@code uses} off {@link #pending()}: their batch was written, or dropped for good. */
    void settle(long uses) {
        pendingUses.add(-uses);
    }

    /** Takes everything counted so far into a new batch, or returns {@code null} when nothing was counted. */
    @Nullable UsageBatch drain() {
        List<UsageDelta> deltas = new ArrayList<>();
        List<UsageMinute> minutes = new ArrayList<>();
        for (Map.Entry<String, Counter> e : counters.entrySet()) {
            Counter c = e.getValue();
            String key = e.getKey();
            long n = c.count.getAndSet(0);
            int before = minutes.size();
            for (Minute m; (m = c.ended.poll()) != null; ) {
                take(key, m, RETIRED, minutes);
            }
            Minute now = c.current.get();
            if (now != null) {
                take(key, now, 0, minutes);
            }
            if (n > 0) {
                deltas.add(new UsageDelta(key, n, Instant.ofEpochMilli(c.lastUsedAtMillis), c.lastUsedIp));
            } else if (minutes.size() == before) {
                retire(key, c, minutes);
            }
        }
        return deltas.isEmpty() && minutes.isEmpty() ? null : new UsageBatch(Ids.next(), deltas, merge(minutes));
    }

    /**
     * Retires an idle counter so idle keys cost no memory: writers then fail on it and start a new one. Under the
     * counter's lock, which a writer takes to start a new minute, so no minute is installed after the last is taken.
     */
    private void retire(String key, Counter c, List<UsageMinute> minutes) {
        synchronized (c) {
            if (!c.count.compareAndSet(0, RETIRED)) {
                return;
            }
            // What writers added before each slot turned RETIRED is taken here and kept.
            Minute last = c.current.getAndSet(RETIRED_MINUTE);
            for (Minute m; (m = c.ended.poll()) != null; ) {
                take(key, m, RETIRED, minutes);
            }
            if (last != null) {
                take(key, last, RETIRED, minutes);
            }
        }
        counters.remove(key, c);
    }

    /** Takes a minute's counts, leaving {@code leave} (0 to keep counting, {@link #RETIRED} to end it). */
    private static void take(String key, Minute m, long leave, List<UsageMinute> out) {
        long v = Math.max(0, m.n.getAndSet(0, leave));
        long d = Math.max(0, m.n.getAndSet(1, leave));
        long r = Math.max(0, m.n.getAndSet(2, leave));
        if (v + d + r > 0) {
            out.add(new UsageMinute(key, m.minute, v, d, r));
        }
    }

    /** Merges entries of one key and minute (a minute met again after a retired counter was replaced). */
    static List<UsageMinute> merge(List<UsageMinute> in) {
        Map<String, UsageMinute> out = new LinkedHashMap<>();
        for (UsageMinute m : in) {
            out.merge(m.keyId() + "@" + m.minute(), m, (a, b) -> new UsageMinute(a.keyId(), a.minute(),
                    a.valid() + b.valid(), a.denied() + b.denied(), a.rateLimited() + b.rateLimited()));
        }
        return new ArrayList<>(out.values());
    }
}
