package dev.latchkey.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * store keeps refusing for longer than {@link Builder#maxRetryAge} is dropped with an error (see {@link #flush()}).
 * Counts are never reset by a racing writer: each key's counter is taken with an atomic get-and-set, and an idle
 * counter is retired with a compare-and-set that writers notice.
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

    private final KeySource store;
    private final FlushListener listener;
    private final StripedUsageCounters counters = new StripedUsageCounters(StripedUsageCounters.defaultStripes());
    /** A batch whose write failed, retried under the same id; at most one, the oldest counts come first. */
    private @Nullable UsageBatch retry;
    private long retrySinceNanos;
    private final long maxRetryAgeNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock flushLock = new ReentrantLock();
    private final @Nullable ScheduledExecutorService scheduler;
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
        counters.use(keyId, millis, clientIp);
    }

    /**
     * Counts a request for usage history only (a refusal; uses go through {@link #record}): one array slot bumped by
     * compare-and-set, no allocation except the first request of a key in a minute.
     */
    @Override
    public void refused(String keyId, long epochMillis, UsageOutcome outcome) {
        counters.outcome(keyId, epochMillis, outcome);
    }

    /** Returns the number of uses counted but not yet written to the store. */
    public long pending() {
        return counters.pending();
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
                    counters.settle(uses(pendingRetry));
                    LOG.error("Dropped {} usage counts for {} keys (batch {}): the store failed to take them for longer"
                            + " than the retry window", uses(pendingRetry), pendingRetry.deltas().size(),
                            pendingRetry.id());
                } else if (!write(pendingRetry)) {
                    return false;
                } else {
                    retry = null;
                    counters.settle(uses(pendingRetry));
                }
            }
            UsageBatch fresh = counters.drain();
            if (fresh == null) {
                return true;
            }
            if (!write(fresh)) {
                retry = fresh;
                retrySinceNanos = nanoTime.getAsLong();
                return false;
            }
            counters.settle(uses(fresh));
            return true;
        } finally {
            flushLock.unlock();
        }
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
