package dev.latchkey.core.admin;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * How the admin side retries a lost compare-and-set: a bounded number of attempts with jittered exponential back-off
 * between them ("full jitter": a random pause up to 1, 2, 4 ... ms, at most {@value #CAP_MILLIS} ms), so writers
 * racing on one key spread out instead of spinning against a remote store. Ten attempts wait at most about half a
 * second in all; 8 threads rotating one key 5 times each all get through (the contract and admin API tests).
 */
final class CasRetry {

    /** Attempts before a writer gives up with 409. */
    static final int MAX_ATTEMPTS = 10;
    /** The longest single pause, in milliseconds. */
    static final long CAP_MILLIS = 100;

    private CasRetry() {
    }

    /** Pauses after lost attempt number {@code attempt} (0 for the first). */
    static void backOff(int attempt) {
        long boundMillis = Math.min(CAP_MILLIS, 1L << Math.min(attempt, 20));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(boundMillis * 1_000_000L + 1));
    }
}
