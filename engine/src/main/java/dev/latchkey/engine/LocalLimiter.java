package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.internal.LimitWindows;
import java.time.Duration;

/**
 * The rate limit one node enforces alone while the store does not answer ({@code on-store-error=local}, API.md §8):
 * aligned windows by this node's clock, counted in memory, so N nodes may admit up to N × {@code limit} while it
 * lasts. Bounded (100,000 keys). Thread-safe.
 */
final class LocalLimiter {

    /** One key's count in its current window. */
    private static final class Window {
        private long start = Long.MIN_VALUE;
        private long used;

        synchronized long take(long windowStart, long cost, long limit) {
            if (windowStart != start) {
                start = windowStart;
                used = 0;
            }
            if (cost > limit - used) {
                return -1;
            }
            used += cost;
            return limit - used;
        }

        synchronized long left(long windowStart, long limit) {
            return windowStart == start ? Math.max(0, limit - used) : limit;
        }
    }

    private final Cache<String, Window> windows = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofDays(1).plusSeconds(1))
            .build();

    /**
     * Takes {@code cost} from the key's window holding {@code nowSeconds}; returns what is left, or -1 when it does
     * not fit (then nothing is taken).
     */
    long take(String keyId, RateLimit limit, long cost, long nowSeconds) {
        return windows.get(keyId, id -> new Window())
                .take(LimitWindows.windowStart(nowSeconds, limit.periodSeconds()), cost, limit.limit());
    }

    /** Returns what is left of the key's window holding {@code nowSeconds}, taking nothing. */
    long left(String keyId, RateLimit limit, long nowSeconds) {
        return windows.get(keyId, id -> new Window())
                .left(LimitWindows.windowStart(nowSeconds, limit.periodSeconds()), limit.limit());
    }

    void clear() {
        windows.invalidateAll();
    }
}
