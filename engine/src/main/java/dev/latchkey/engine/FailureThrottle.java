package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Counts failed authentications per client address in fixed windows of one period (API.md §5
 * {@code latchkey.auth-failure.*}), so that an address past its limit can be refused before any store read. Only
 * failures touch it (and, for an address, requests the key cache cannot answer), never the cached path.
 *
 * <p>Addresses are remembered in a bounded cache; when more addresses fail at once than it holds, the least recent
 * are forgotten, which can only let an address make more attempts, never lock out one that did not fail. Thread-safe.
 */
final class FailureThrottle {

    static final long MAX_ADDRESSES = 100_000;

    /** One address's count in its current window. */
    private static final class Window {
        private long start;
        private long count;
        private boolean started;

        synchronized void fail(long now, long period) {
            if (!started || now - start >= period) {
                started = true;
                start = now;
                count = 0;
            }
            count++;
        }

        synchronized long waitNanos(long now, long period, long limit) {
            if (!started || now - start >= period || count < limit) {
                return 0;
            }
            return start + period - now;
        }
    }

    private final long limit;
    private final long periodNanos;
    private final Ticker ticker;
    private final Cache<String, Window> windows;

    FailureThrottle(long limit, Duration period, Ticker ticker) {
        this.limit = limit;
        this.periodNanos = period.toNanos();
        this.ticker = ticker;
        this.windows = Caffeine.newBuilder()
                .maximumSize(MAX_ADDRESSES)
                .expireAfterAccess(period.multipliedBy(2))
                .ticker(ticker)
                .build();
    }

    /** Returns whether a limit is set at all. */
    boolean enabled() {
        return limit > 0;
    }

    /** Counts one failed authentication of an address. */
    void failed(String address) {
        if (limit > 0) {
            windows.get(address, a -> new Window()).fail(ticker.read(), periodNanos);
        }
    }

    /** Returns the whole seconds until the address may try again when it is past its limit, else 0. */
    long retryAfterSeconds(String address) {
        if (limit <= 0) {
            return 0;
        }
        Window w = windows.getIfPresent(address);
        if (w == null) {
            return 0;
        }
        long nanos = w.waitNanos(ticker.read(), periodNanos, limit);
        return nanos <= 0 ? 0 : Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
