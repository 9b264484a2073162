package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.StoreUnavailableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stale-if-error grace of {@link KeyCache}: the last good copy of each key, served while the store is unreachable
 * for at most {@code ttl + staleIfError} after it was read and never when a newer version was announced; and, after a
 * failure, a back-off during which keys with such a copy are served without asking the store, so that requests do not
 * each wait for the store's timeout. The next successful read ends the back-off.
 *
 * <p>Why a class of its own: it is the one part of the cache that serves what the store could not confirm, and it
 * keeps its own copies (they must outlive the cache's ttl) and its own up/down state; the cache only tells it what it
 * read and asks it when a read fails. With a grace of zero it holds nothing and never serves. Thread-safe.
 */
final class StaleGrace {

    /** The cache's logger, as before this class was split out of it, so that logging configurations still apply. */
    private static final Logger LOG = LoggerFactory.getLogger(KeyCache.class);

    private final @Nullable Cache<String, CachedKey> lastGood;
    private final Invalidations told;
    private final Ticker ticker;
    private final long backoffNanos;
    private volatile long downUntil;
    private volatile boolean down;

    /**
     * Keeps copies in {@code lastGood} ({@code null}: no grace), judged against the versions in {@code told}, and
     * backs off for {@code backoffNanos} of {@code ticker} after a failure.
     */
    StaleGrace(@Nullable Cache<String, CachedKey> lastGood, Invalidations told, Ticker ticker, long backoffNanos) {
        this.lastGood = lastGood;
        this.told = told;
        this.ticker = ticker;
        this.backoffNanos = backoffNanos;
    }

    /** Returns whether the store failed less than the back-off ago: keys with a copy are then served from it. */
    boolean backingOff() {
        return down && ticker.read() - downUntil < 0;
    }

    /** Notes that the store answered: the back-off ends. */
    void recovered() {
        if (down) {
            down = false;
        }
    }

    /** Keeps {@code cached}, just read from the store, as the key's last good copy. */
    void put(String id, CachedKey cached) {
        if (lastGood != null) {
            lastGood.put(id, cached);
        }
    }

    /** Keeps {@code cached} unless the copy held is newer. */
    void offer(String id, CachedKey cached) {
        if (lastGood != null) {
            lastGood.asMap().merge(id, cached, (old, nu) -> nu.key().version() >= old.key().version() ? nu : old);
        }
    }

    /** Drops the copy of a key that changed. */
    void forget(String id) {
        if (lastGood != null) {
            lastGood.invalidate(id);
        }
    }

    /** Drops every copy (the cache is closing). */
    void clear() {
        if (lastGood != null) {
            lastGood.invalidateAll();
        }
    }

    /** Returns the last good copy of a key when it may still be served, else {@code null}. */
    @Nullable ApiKey copy(String id) {
        if (lastGood == null) {
            return null;
        }
        CachedKey c = lastGood.getIfPresent(id);
        if (c == null || c.key().version() < told.version(id)) {
            return null;
        }
        return c.key();
    }

    /**
     * Answers a failed store read of a key: its last good copy when it may be served (and the back-off starts), else
     * the failure.
     *
     * @throws StoreUnavailableException {@code e}, when there is no copy to serve
     */
    ApiKey copyOrThrow(String id, StoreUnavailableException e) {
        ApiKey stale = copy(id);
        if (stale == null) {
            throw e;
        }
        if (!down) {
            LOG.warn("Key store unreachable; serving cached keys for up to their stale-if-error window: {}",
                    e.getMessage());
        }
        downUntil = ticker.read() + backoffNanos;
        down = true;
        return stale;
    }
}
