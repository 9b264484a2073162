package dev.latchkey.redis;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.testkit.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Steady write load on a store during a failover: writer threads create keys in a loop and record, per call, when it
 * ended, how long it took and how it ended (written, {@link StoreUnavailableException}, anything else). From that,
 * {@link #awaitRecovery} tells when writes worked again after a kill: the end of the last failed write after which
 * every write succeeded for a while.
 */
final class FailoverLoad implements AutoCloseable {

    /** What one measured failover gave. */
    record Outcome(double recoverySeconds, long written, long unavailable, List<Throwable> unexpected,
            Duration slowestCall) {
        String describe() {
            return String.format(Locale.ROOT, "writes back after %.2f s (%d written, %d unavailable, %d unexpected,"
                    + " slowest call %d ms)", recoverySeconds, written, unavailable, unexpected.size(),
                    slowestCall.toMillis());
        }
    }

    private final KeyStore store;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong lastFailureNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong writtenAfterFailure = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

    FailoverLoad(KeyStore store, int writers) {
        this.store = store;
        for (int i = 0; i < writers; i++) {
            Thread t = new Thread(this::write, "failover-writer-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    private void write() {
        while (running.get()) {
            long start = System.nanoTime();
            try {
                store.create(Keys.minimal(Instant.now()));
                written.incrementAndGet();
                writtenAfterFailure.incrementAndGet();
            } catch (StoreUnavailableException e) {
                unavailable.incrementAndGet();
                lastFailureNanos.set(System.nanoTime());
                writtenAfterFailure.set(0);
                // A rejected command fails in microseconds: do not spin the CPU the failover needs.
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            } catch (RuntimeException e) {
                unexpected.add(e);
                lastFailureNanos.set(System.nanoTime());
                writtenAfterFailure.set(0);
            }
            slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
        }
    }

    /** Waits until some writes succeeded, so the load runs before a fault. */
    void awaitWrites(long count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        long target = written.get() + count;
        while (written.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no steady writes before the fault: " + written.get());
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /**
     * Waits until writes have succeeded without a failure for {@code stableFor} (and at least {@code minWrites} of
     * them), at most until {@code within} after {@code killedNanos}, and returns the time from the kill to the last
     * failure (zero when no write failed); returns {@code within} when writes did not settle in time.
     */
    Outcome awaitRecovery(long killedNanos, Duration within, Duration stableFor, long minWrites) {
        long deadline = killedNanos + within.toNanos();
        while (System.nanoTime() < deadline) {
            long last = lastFailureNanos.get();
            long since = System.nanoTime() - Math.max(last, killedNanos);
            if (since >= stableFor.toNanos() && writtenAfterFailure.get() >= minWrites) {
                return outcome(last <= killedNanos ? 0 : (last - killedNanos) / 1e9);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return outcome(within.toNanos() / 1e9);
    }

    private Outcome outcome(double seconds) {
        return new Outcome(seconds, written.get(), unavailable.get(), List.copyOf(unexpected),
                Duration.ofNanos(slowestNanos.get()));
    }

    /** Starts a fresh count of failures, calls and the slowest call (between rounds). */
    void reset() {
        lastFailureNanos.set(Long.MIN_VALUE);
        slowestNanos.set(0);
        unexpected.clear();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
