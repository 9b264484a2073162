package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When {@link KeyCache} reads a key again before its copy expires. A key served from the cache once 80 % of the
 * ttl has passed since its read gets one background read, so a key in use is renewed before it expires and no
 * request waits for the store. Without it, every request for a busy key waited, at its ttl, for the one read that
 * reloads it. At most one background read runs per key. One that fails waits {@link KeyCache#ERROR_BACKOFF} before
 * the next try, and the copy is served until its ttl as before.
 */
final class AheadReads {

    private static final Logger LOG = LoggerFactory.getLogger(AheadReads.class);
    private static final Long IN_FLIGHT = Long.MAX_VALUE;

    private final long afterNanos;
    private final long backoffNanos;
    private final Executor executor;
    private final Ticker ticker;
    private final Function<String, @Nullable CachedKey> load;
    private final ConcurrentMap<String, CachedKey> entries;
    private final KeyFront front;
    private final Invalidations told;
    /** Keys with a background read in flight ({@link #IN_FLIGHT}), or the ticker time after which one may retry. */
    private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();

    /**
     * @param load    the cache's own read of a key (it checks what events told, as every read does)
     * @param entries the cache's entries by id, where a renewed copy replaces the old one
     */
    AheadReads(long ttlNanos, long backoffNanos, Executor executor, Ticker ticker,
            Function<String, @Nullable CachedKey> load, ConcurrentMap<String, CachedKey> entries, KeyFront front,
            Invalidations told) {
        this.afterNanos = ttlNanos - ttlNanos / 5;
        this.backoffNanos = backoffNanos;
        this.executor = executor;
        this.ticker = ticker;
        this.load = load;
        this.entries = entries;
        this.front = front;
        this.told = told;
    }

    /**
     * Called with a copy just served from front-table slot {@code slot} at ticker time {@code now}: starts its
     * background read when due. Before that, one subtraction is all it costs.
     */
    void renewIfDue(CachedKey served, int slot, long now) {
        if (now - served.readAt() >= afterNanos && claim(served.key().id(), now)) {
            run(served.key().id(), () -> renew(served, slot));
        }
    }

    /** Reads a served key again and puts the new copy in place of the old one, unless something replaced it. */
    private void renew(CachedKey old, int slot) {
        String id = old.key().id();
        CachedKey fresh = load.apply(id);
        if (fresh != null && entries.replace(id, old, fresh) && told.servable(id, fresh)) {
            front.fill(slot, old, fresh);
        } else {
            // Gone from the store, or the entry changed meanwhile: the next request takes the cache's own path.
            entries.remove(id, old);
            front.drop(slot, old);
        }
    }

    /** Claims a due key for {@link #run}; false while a read of it is in flight or backing off. */
    private boolean claim(String keyId, long now) {
        Long next = pending.get(keyId);
        if (next != null && (next.longValue() == IN_FLIGHT || now - next < 0)) {
            return false;
        }
        return next == null ? pending.putIfAbsent(keyId, IN_FLIGHT) == null : pending.replace(keyId, next, IN_FLIGHT);
    }

    /**
     * Runs a claimed key's read on the executor. When {@code read} throws, the key backs off before it may be
     * claimed again.
     */
    private void run(String keyId, Runnable read) {
        try {
            executor.execute(() -> {
                boolean done = false;
                try {
                    read.run();
                    done = true;
                } catch (RuntimeException e) {
                    LOG.debug("Background read of key {} failed; its copy is served until its ttl: {}", keyId,
                            e.toString());
                } finally {
                    if (done) {
                        pending.remove(keyId);
                    } else {
                        pending.put(keyId, ticker.read() + backoffNanos);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(keyId); // shutting down: the copy expires at its ttl as it would have
        }
    }

    /** Forgets every key (the cache was closed or emptied). */
    void clear() {
        pending.clear();
    }
}
