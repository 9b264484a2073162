package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts failed authentications per client address in fixed windows of one period (API.md §5
 * {@code latchkey.auth-failure.*}), so that an address past its limit can be refused before any store read. Only
 * failures write to it; while no address is past its limit, asking about an address is one volatile read (no lookup),
 * so the cached path pays nothing for it.
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

        /** Counts a failure; returns when the window ends if this address is now past its limit, else 0. */
        synchronized long fail(long now, long period, long limit) {
            if (!started || now - start >= period) {
                started = true;
                start = now;
                count = 0;
            }
            count++;
            return count >= limit ? start + period : 0;
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
    /**
     * The latest end of a window in which some address reached its limit (ticker time), or {@link Long#MIN_VALUE}:
     * before it no address can be held back, so {@link #retryAfterSeconds} needs no lookup.
     */
    private final AtomicLong blockedUntil = new AtomicLong(Long.MIN_VALUE);

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
            long until = windows.get(address, a -> new Window()).fail(ticker.read(), periodNanos, limit);
            if (until != 0) {
                blockedUntil.accumulateAndGet(until, Math::max);
            }
        }
    }

    /** Returns the whole seconds until the address may try again when it is past its limit, else 0. */
    long retryAfterSeconds(String address) {
        if (limit <= 0) {
            return 0;
        }
        long until = blockedUntil.get();
        if (until == Long.MIN_VALUE || ticker.read() - until >= 0) {
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
