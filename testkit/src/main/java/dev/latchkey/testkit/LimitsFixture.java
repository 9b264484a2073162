package dev.latchkey.testkit;

import static org.awaitility.Awaitility.await;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.Quota;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.internal.Ids;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the limits contracts ({@link ChargeContract}, {@link CreditsContract}, combined as {@link LimitsContract}) need
 * from the test class that runs them, and the helpers they share.
 */
public interface LimitsFixture {

    /** Store instances in the exactness tests. */
    int NODES = 8;
    /** Threads per store instance in the exactness tests. */
    int THREADS = 16;

    /** Returns the store under test (opened for this test and closed after it by the test class). */
    KeyStore limitsStore();

    /** Returns the test clock; {@link #limitsStore()} reads it when {@link #storeTimeFollowsClock()}. */
    MutableClock limitsClock();

    /**
     * Opens another instance on the same data with connections of its own (for a store in this JVM's memory:
     * returns {@link #limitsStore()} itself). Closed with {@link #closeNode}.
     */
    KeyStore openNode();

    /** Closes an instance from {@link #openNode()}; the default closes anything but {@link #limitsStore()}. */
    default void closeNode(KeyStore node) {
        if (node != limitsStore()) {
            node.close();
        }
    }

    /** Returns whether the store's limit time is {@link #limitsClock()}; false for stores on their own clock. */
    default boolean storeTimeFollowsClock() {
        return false;
    }

    /**
     * Drops every client connection to the store in the middle of the quota identity test, as a network failure
     * would (Redis: {@code CLIENT KILL TYPE normal} on every node); nothing for a store in memory.
     */
    default void killConnections() {
    }

    /** How many rate-limit windows the exactness test covers. */
    default int exactnessWindows() {
        return 4;
    }

    default ApiKey newKey() {
        ApiKey k = Keys.minimal(limitsClock().instant());
        limitsStore().create(k);
        return k;
    }

    default ChargeResult charge(ApiKey k, long cost, @Nullable RateLimit rate, @Nullable Quota quota) {
        return limitsStore().charge(k.id(), Ids.next(), cost, rate, quota);
    }

    /** A rate limit whose window (a UTC day) a test on the store's own clock will not cross in practice. */
    default RateLimit daily(long limit) {
        return new RateLimit(limit, 86_400);
    }

    /** Runs a store call that may meet a dropped connection: retries it (same ids) until the store answers. */
    static <T> T untilAnswered(java.util.function.Supplier<T> call) {
        return untilAnswered(call, () -> { });
    }

    /** As {@link #untilAnswered(java.util.function.Supplier)}, running {@code onFailure} when the first try fails. */
    static <T> T untilAnswered(java.util.function.Supplier<T> call, Runnable onFailure) {
        try {
            return call.get();
        } catch (StoreUnavailableException first) {
            onFailure.run(); // a dropped connection: wait for the store to answer again, below
        }
        Object[] out = new Object[1];
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .ignoreException(StoreUnavailableException.class)
                .until(() -> {
                    out[0] = call.get();
                    return true;
                });
        @SuppressWarnings("unchecked")
        T t = (T) out[0];
        return t;
    }
}
