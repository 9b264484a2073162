package dev.latchkey.core;

import dev.latchkey.core.internal.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts key uses, and per key and minute the valid, denied and rate-limited requests of usage history (API.md §10),
 * in memory, and flushes both to the store in the same batches: on a schedule, on {@link #flush()}, and on
 * {@link #close()}. Recording is lock-free and does no I/O, so it is safe on a request thread.
 *
 * <p>Nothing counted is lost: a batch that fails is kept and retried with the same id before anything newer
 * (stores apply each batch at most once per key, so a retry after a timeout does not count twice), newer uses wait in
 * their counters meanwhile, and {@code close()} flushes what is pending. The one exception is deliberate: a batch the
 * store keeps refusing for longer than {@link Builder#maxRetryAge} is dropped with an error (see {@link #flush()}). Counts are never reset by a racing writer: each key's counter is taken
 * with an atomic get-and-set, and an idle counter is retired with a compare-and-set that writers notice.
 */
public final class UsageRecorder implements UsageSink, AutoCloseable {

    /** The default time between flushes. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    /**
     * The default longest a failed batch is retried under its id: 10 minutes, inside the Redis store's 15-minute
     * window in which it recognises a batch it already applied.
     */
    public static final Duration DEFAULT_MAX_RETRY_AGE = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);
    private static final long RETIRED = -1;

    /** Observes flushes, for metrics. Implementations must be quick and must not throw. */
    public interface FlushListener {
        /**
         * Called after each attempt to write a batch.
         *
         * @param keys  keys in the batch
         * @param uses  uses in the batch
         * @param took  how long the store call took
         * @param error the failure, or {@code null} on success
         */
        void flushed(int keys, long uses, Duration took, @Nullable Throwable error);
    }

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

    private final KeySource store;
    private final FlushListener listener;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    /** A batch whose write failed, retried under the same id; at most one, the oldest counts come first. */
    private @Nullable UsageBatch retry;
    private long retrySinceNanos;
    private final long maxRetryAgeNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock flushLock = new ReentrantLock();
    private final @Nullable ScheduledExecutorService scheduler;
    /** A LongAdder, not an AtomicLong: every granted request adds to it, from every request thread. */
    private final LongAdder pendingUses = new LongAdder();
    private volatile boolean closed;

    private UsageRecorder(Builder b) {
        this.store = b.store;
        this.listener = b.listener;
        this.maxRetryAgeNanos = b.maxRetryAge.toNanos();
        this.nanoTime = b.nanoTime;
        if (b.flushInterval.isZero()) {
            this.scheduler = null;
        } else {
            this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "latchkey-usage-flush");
                t.setDaemon(true);
                return t;
            });
            long ms = b.flushInterval.toMillis();
            scheduler.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Starts a recorder for a store. */
    public static Builder builder(KeySource store) {
        return new Builder(store);
    }

    @Override
    public void record(String keyId, Instant at, @Nullable String clientIp) {
        record(keyId, at.toEpochMilli(), clientIp);
    }

    @Override
    public void record(String keyId, long millis, @Nullable String clientIp) {
        Counter counted = countUse(keyId, millis, clientIp);
        long minute = Math.floorDiv(millis, 60_000L);
        if (!bump(counted, minute, UsageOutcome.VALID.ordinal())) {
            refused(keyId, millis, UsageOutcome.VALID);
        }
    }

    /**
     * Counts a request for usage history only (a refusal; uses go through {@link #record}): one array slot bumped by
     * compare-and-set, no allocation except the first request of a key in a minute.
     */
    @Override
    public void refused(String keyId, long epochMillis, UsageOutcome outcome) {
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

    /** Returns the number of uses counted but not yet written to the store. */
    public long pending() {
        return pendingUses.sum();
    }

    /**
     * Writes everything counted so far. A batch that failed before is retried first, under its id; until it is
     * written, newer uses stay in their in-memory counters (nothing is lost and no second batch piles up). A failed
     * batch older than the retry window is dropped with an error: past the store's idempotency window a retry could
     * count twice what a timed-out write had in fact applied, and an over-count is worse than an under-count for
     * anything billed by usage.
     *
     * @return whether everything was written
     */
    public boolean flush() {
        flushLock.lock();
        try {
            UsageBatch pendingRetry = retry;
            if (pendingRetry != null) {
                if (nanoTime.getAsLong() - retrySinceNanos > maxRetryAgeNanos) {
                    retry = null;
                    pendingUses.add(-uses(pendingRetry));
                    LOG.error("Dropped {} usage counts for {} keys (batch {}): the store failed to take them for longer"
                            + " than the retry window", uses(pendingRetry), pendingRetry.deltas().size(),
                            pendingRetry.id());
                } else if (!write(pendingRetry)) {
                    return false;
                } else {
                    retry = null;
                    pendingUses.add(-uses(pendingRetry));
                }
            }
            UsageBatch fresh = drain();
            if (fresh == null) {
                return true;
            }
            if (!write(fresh)) {
                retry = fresh;
                retrySinceNanos = nanoTime.getAsLong();
                return false;
            }
            pendingUses.add(-uses(fresh));
            return true;
        } finally {
            flushLock.unlock();
        }
    }

    private @Nullable UsageBatch drain() {
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
    private static List<UsageMinute> merge(List<UsageMinute> in) {
        Map<String, UsageMinute> out = new java.util.LinkedHashMap<>();
        for (UsageMinute m : in) {
            out.merge(m.keyId() + "@" + m.minute(), m, (a, b) -> new UsageMinute(a.keyId(), a.minute(),
                    a.valid() + b.valid(), a.denied() + b.denied(), a.rateLimited() + b.rateLimited()));
        }
        return new ArrayList<>(out.values());
    }

    private boolean write(UsageBatch batch) {
        long start = System.nanoTime();
        try {
            store.recordUsage(batch);
            listener.flushed(batch.deltas().size(), uses(batch), Duration.ofNanos(System.nanoTime() - start), null);
            return true;
        } catch (RuntimeException e) {
            listener.flushed(batch.deltas().size(), uses(batch), Duration.ofNanos(System.nanoTime() - start), e);
            LOG.warn("Could not write {} usage counts for {} keys (batch {}); will retry: {}", uses(batch),
                    batch.deltas().size(), batch.id(), e.toString());
            return false;
        }
    }

    private static long uses(UsageBatch batch) {
        long n = 0;
        for (UsageDelta d : batch.deltas()) {
            n += d.count();
        }
        return n;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Usage flush failed", e);
        }
    }

    /**
     * Stops the schedule and writes what is pending. Uses recorded after close are still counted and written by a
     * later {@link #flush()}, if any.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                scheduler.shutdownNow();
            }
        }
        if (!flush()) {
            LOG.error("{} usage counts could not be written at close", pending());
        }
    }

    /** Configures a {@link UsageRecorder}. */
    public static final class Builder {
        private final KeySource store;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private FlushListener listener = (k, u, t, e) -> { };
        private Duration maxRetryAge = DEFAULT_MAX_RETRY_AGE;
        private LongSupplier nanoTime = System::nanoTime;

        private Builder(KeySource store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * Sets the time between scheduled flushes (default {@link #DEFAULT_FLUSH_INTERVAL}); zero disables the
         * schedule, leaving flushes to {@link #flush()} and {@link #close()}.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder flushInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("flush interval must not be negative");
            }
            this.flushInterval = interval;
            return this;
        }

        /**
         * Sets how long a failed batch is retried under its id (default {@link #DEFAULT_MAX_RETRY_AGE}). Keep it
         * shorter than the store's idempotency window (15 minutes for the Redis store).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxRetryAge(Duration age) {
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("max retry age must be positive");
            }
            this.maxRetryAge = age;
            return this;
        }

        /** Replaces {@link System#nanoTime()}, for tests of the retry window. */
        Builder nanoTime(LongSupplier source) {
            this.nanoTime = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Sets a listener for flush metrics. */
        public Builder listener(FlushListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Builds the recorder and starts its schedule. */
        public UsageRecorder build() {
            return new UsageRecorder(this);
        }
    }
}
