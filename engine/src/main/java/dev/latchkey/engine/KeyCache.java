package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyResolver;
import dev.latchkey.core.KeySource;
import dev.latchkey.core.SecretHash;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.Subscription;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * A Caffeine cache of keys in front of a {@link KeySource}: the {@link KeyResolver} that the servlet filter and the
 * admin API's {@code POST /v1/verify} hand to core's {@code Verifier}.
 *
 * <p>What it guarantees:
 * <ul>
 *   <li><b>Bounded staleness.</b> Keys are cached by id for at most {@code ttl} after they were read; change events
 *       from the store ({@link KeySource#subscribe}) evict a key at once, and {@link KeyEvent.Type#ALL_STALE} evicts
 *       everything. A key in use is read again in the background once 80 % of its ttl has passed
 *       ({@link AheadReads}), so requests for a busy key do not all wait for its reload when the ttl runs out.</li>
 *   <li><b>Invalidations win over in-flight loads.</b> Each event's version is remembered for a while; a record older
 *       than a version this node was told about is never served from the cache (it is read again), and a load that
 *       an {@code ALL_STALE} overtook is not served either. This does not rely on how Caffeine treats an
 *       invalidation that races a load, which Caffeine leaves undefined.</li>
 *   <li><b>Floods of made-up ids stay cheap.</b> Unknown ids, and unknown imported-token hashes, are remembered for
 *       {@code negativeTtl} in bounded caches of their own, so they reach the store at most once per id per
 *       {@code negativeTtl} and cannot evict real keys. Concurrent misses for one id cause one store read. A
 *       {@link KeyEvent.Type#CREATED} event clears the negative entry of its id and every unknown imported hash, so
 *       a key created on another node works here at once.</li>
 *   <li><b>Fail closed, with a bounded grace.</b> When the store throws {@link StoreUnavailableException}, a key
 *       read successfully within {@code ttl + staleIfError} is still served (and for a second after a failure the
 *       store is not asked again for such keys, so requests do not each wait for a timeout); any other lookup
 *       rethrows, which callers answer with 503. It recovers by itself: the next successful read refills the
 *       cache.</li>
 * </ul>
 *
 * <p>Imported tokens are cached as their hash's key id; the key itself comes through the id cache, and a mapping
 * whose key no longer carries that hash is dropped and looked up again.
 *
 * <p>Metrics (when a {@code MeterRegistry} is given): Caffeine's statistics under {@code cache="latchkey.keys"}
 * and {@code latchkey.cache.invalidations} (tag {@code type}); {@link #close()} removes them again.
 *
 * <p>Thread-safe. Instances are made with {@link #builder(KeySource)}; the store is not closed by {@link #close()}.
 *
 * @since 0.1
 */
public final class KeyCache implements KeyResolver, AutoCloseable {

    /** The default most keys cached: 100 000. */
    public static final long DEFAULT_MAX_SIZE = 100_000;
    /** The default longest a key is served without a read or an event: 60 s. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    /** The default time an unknown id or imported hash is remembered as unknown: 5 s. */
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(5);
    /** The default most unknown ids (and, separately, unknown imported hashes) remembered: 100 000. */
    public static final long DEFAULT_NEGATIVE_MAX_SIZE = 100_000;
    /** The default time a cached key is still served past its ttl while the store is unreachable: 5 min. */
    public static final Duration DEFAULT_STALE_IF_ERROR = Duration.ofMinutes(5);
    /** The Caffeine cache name the statistics are published under. */
    public static final String CACHE_NAME = "latchkey.keys";

    /** After a store failure, keys with a stale copy are served from it for this long without asking the store. */
    static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);
    private static final int MAX_READS = 3;

    private final KeySource store;
    private final Ticker ticker;
    private final LoadingCache<String, CachedKey> byId;
    private final Cache<String, Boolean> unknownIds;
    private final Cache<SecretHash, Boolean> unknownHashes;
    private final LoadingCache<SecretHash, String> idByHash;
    /** What the store's change events told this node, and whether a copy may therefore be served. */
    private final Invalidations told;
    /** The last good copies, served while the store is unreachable. */
    private final StaleGrace grace;
    private final @Nullable KeyCacheMeters meters;
    private final Executor evictor;
    private final KeyFront front;
    private final AheadReads ahead;
    private final StatsCounter stats = new ConcurrentStatsCounter();
    private final Subscription subscription;
    private volatile boolean closed;

    KeyCache(KeyCacheBuilder b) {
        this.store = b.store;
        this.ticker = b.ticker;
        this.evictor = b.evictor;
        this.front = new KeyFront(b.maxSize, b.ttl.toNanos());
        // Front hits count as this cache's hits, so the published hit ratio stays the node's.
        this.byId = b.caffeine(b.maxSize, b.ttl).recordStats(() -> stats).build(this::load);
        Duration staleLife = b.ttl.plus(b.staleIfError);
        this.unknownIds = b.caffeine(b.negativeMaxSize, b.negativeTtl).build();
        this.unknownHashes = b.caffeine(b.negativeMaxSize, b.negativeTtl).build();
        this.idByHash = b.caffeine(b.maxSize, staleLife).build(this::loadIdByHash);
        // Versions must outlive every cached copy and every load in flight when the event came.
        this.told = new Invalidations(
                b.caffeine(Math.max(b.maxSize, 1_000), staleLife.plus(b.ttl).plusMinutes(1)).build());
        this.ahead = new AheadReads(b.ttl.toNanos(), ERROR_BACKOFF.toNanos(), b.evictor, ticker, this::load,
                byId.asMap(), front, told);
        this.grace = new StaleGrace(b.staleIfError.isZero() ? null : b.caffeine(b.maxSize, staleLife).build(), told,
                ticker, ERROR_BACKOFF.toNanos());
        this.meters = b.registry == null ? null : KeyCacheMeters.bind(b.registry, byId, b.tags);
        this.subscription = store.subscribe(this::onEvent);
    }

    /**
     * Starts a cache in front of a store.
     *
     * @throws NullPointerException when {@code store} is null
     */
    public static KeyCacheBuilder builder(KeySource store) {
        return new KeyCacheBuilder(store);
    }

    /** Returns the store this cache reads from. */
    public KeySource store() {
        return store;
    }

    /**
     * Returns the key with this id, from the cache when it may be served, else from the store.
     *
     * @throws StoreUnavailableException when the store cannot be reached and no recent copy may be served
     */
    @Override
    public @Nullable ApiKey byId(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (unknownIds.getIfPresent(keyId) != null) {
            return null;
        }
        if (grace.backingOff() && byId.asMap().get(keyId) == null) {
            ApiKey stale = grace.copy(keyId);
            if (stale != null) {
                return stale;
            }
        }
        CachedKey cached;
        try {
            cached = byId.get(keyId);
        } catch (StoreUnavailableException e) {
            return grace.copyOrThrow(keyId, e);
        }
        if (cached == null) {
            return null;
        }
        grace.recovered();
        if (!told.servable(keyId, cached)) {
            byId.asMap().remove(keyId, cached);
            try {
                return store.find(keyId).orElse(null); // read through, uncached
            } catch (StoreUnavailableException e) {
                // An ALL_STALE (the store's pub/sub reconnected) made the copy unservable while the store still
                // cannot be read, as right after Redis comes back: the stale-if-error grace applies here too (#21).
                return grace.copyOrThrow(keyId, e);
            }
        }
        return cached.key();
    }

    /** Returns the key with the id inside {@code text} when the front table holds it servable; never loads. */
    @Override
    public @Nullable ApiKey heldWithin(CharSequence text, int start) {
        int slot = front.slot(text, start);
        Object seen = front.seen(slot);
        long now = ticker.read();
        ApiKey hit = front.hit(seen, text, start, told.epoch(), now);
        if (hit != null) {
            stats.recordHits(1);
            ahead.renewIfDue((CachedKey) seen, slot, now);
        }
        return hit;
    }

    /**
     * Returns the key whose id is the {@link Ids#LENGTH} characters of {@code text} from {@code start}, as
     * {@link #byId} does; a key found in the front table costs no allocation and no string of its id.
     *
     * @throws StoreUnavailableException when the store cannot be reached and no recent copy may be served
     */
    @Override
    public @Nullable ApiKey byIdWithin(CharSequence text, int start) {
        int slot = front.slot(text, start);
        Object seen = front.seen(slot);
        long now = ticker.read();
        ApiKey hit = front.hit(seen, text, start, told.epoch(), now);
        if (hit != null) {
            stats.recordHits(1);
            ahead.renewIfDue((CachedKey) seen, slot, now);
            return hit;
        }
        String id = text.subSequence(start, start + Ids.LENGTH).toString();
        ApiKey key = byId(id);
        if (key != null) {
            CachedKey c = byId.asMap().get(id); // no statistics: byId counted this lookup
            if (c != null && c.key() == key && told.servable(id, c)) {
                front.fill(slot, seen, c);
            }
        }
        return key;
    }

    /**
     * Returns the key that holds an imported credential with this hash, or {@code null}.
     *
     * @throws StoreUnavailableException when the store cannot be reached and no recent copy may be served
     */
    @Override
    public @Nullable ApiKey byImportedHash(SecretHash hash) {
        Objects.requireNonNull(hash, "hash");
        if (unknownHashes.getIfPresent(hash) != null) {
            return null;
        }
        String id = idByHash.get(hash);
        if (id == null) {
            return null;
        }
        ApiKey key = byId(id);
        if (key != null && key.carriesImported(hash)) {
            return key;
        }
        // The key moved on (rotated, deleted): forget the mapping and ask the store once.
        idByHash.asMap().remove(hash, id);
        return store.findByImportedHash(hash).orElse(null);
    }

    /**
     * Returns whether this node can judge the key id without a store read: it is cached (and servable) or remembered
     * as unknown. Never reads the store.
     */
    public boolean holds(String keyId) {
        if (unknownIds.getIfPresent(keyId) != null) {
            return true;
        }
        CachedKey cached = byId.getIfPresent(keyId);
        return cached != null && told.servable(keyId, cached);
    }

    /** Returns whether this node can judge an imported token's hash without a store read. Never reads the store. */
    public boolean holdsImported(SecretHash hash) {
        if (unknownHashes.getIfPresent(hash) != null) {
            return true;
        }
        String id = idByHash.getIfPresent(hash);
        return id != null && holds(id);
    }

    /** Returns how many keys are cached now (an estimate, for tests and diagnostics). */
    public long estimatedSize() {
        return byId.estimatedSize();
    }

    /** Drops every cached key and every negative entry (a manual {@link KeyEvent.Type#ALL_STALE}). */
    public void invalidateAll() {
        onEvent(KeyEvent.allStale());
    }

    /**
     * Stops listening to the store and removes this cache's meters. The store stays open. Closing twice is
     * harmless.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscription.close();
        if (meters != null) {
            meters.close();
        }
        byId.invalidateAll();
        front.clearAll();
        ahead.clear();
        grace.clear();
        idByHash.invalidateAll();
    }

    // ---- loading -------------------------------------------------------------------------------------------

    private @Nullable CachedKey load(String id) {
        if (unknownIds.getIfPresent(id) != null) {
            return null; // a concurrent miss just found it unknown
        }
        for (int read = 1; ; read++) {
            long epoch = told.epoch();
            ApiKey key = store.find(id).orElse(null);
            long version = told.version(id);
            if (key == null) {
                if (version != 0 && version != Invalidations.DELETED && read < MAX_READS) {
                    continue; // we were told it exists: this read was older than the event
                }
                unknownIds.put(id, Boolean.TRUE);
                if (told.version(id) != version && told.version(id) != Invalidations.DELETED || told.epoch() != epoch) {
                    unknownIds.invalidate(id); // a creation overtook the read; do not remember it as unknown
                }
                return null;
            }
            if ((key.version() < version || told.epoch() != epoch) && read < MAX_READS) {
                continue; // an invalidation overtook the read: read again
            }
            CachedKey cached = new CachedKey(key, epoch, ticker.read());
            grace.put(id, cached);
            return cached;
        }
    }

    private @Nullable String loadIdByHash(SecretHash hash) {
        if (unknownHashes.getIfPresent(hash) != null) {
            return null;
        }
        long created = told.createdEpoch();
        long epoch = told.epoch();
        ApiKey key = store.findByImportedHash(hash).orElse(null);
        if (key == null) {
            unknownHashes.put(hash, Boolean.TRUE);
            if (told.createdEpoch() != created || told.epoch() != epoch) {
                unknownHashes.invalidate(hash);
            }
            return null;
        }
        offer(new CachedKey(key, epoch, ticker.read()));
        return key.id();
    }

    /** Puts a record read elsewhere (the hash index) into the id cache, unless something newer is known. */
    private void offer(CachedKey cached) {
        String id = cached.key().id();
        if (!told.servable(id, cached)) {
            return;
        }
        byId.asMap().merge(id, cached, (old, nu) -> nu.key().version() >= old.key().version() ? nu : old);
        grace.offer(id, cached);
        unknownIds.invalidate(id);
    }

    // ---- events --------------------------------------------------------------------------------------------

    /*
     * Runs on a store thread (for Redis, a Lettuce event-loop thread). It must never block: invalidating an entry of
     * a loading cache waits for a load of that entry in flight, and that load may need this very thread to receive
     * its answer. So it only records what it was told (versions and epochs, which make older copies unservable at
     * once) and touches caches that never load; evicting from the loading caches happens on another thread.
     */
    private void onEvent(KeyEvent event) {
        String id = event.keyId();
        switch (event.type()) {
            case ALL_STALE -> {
                told.allStale();
                unknownIds.invalidateAll();
                unknownHashes.invalidateAll();
                // The grace's copies stay: they are only served while the store is unreachable, within stale-if-error.
                evictor.execute(() -> {
                    byId.invalidateAll();
                    idByHash.invalidateAll();
                });
            }
            case CREATED -> {
                if (id != null) {
                    told.tell(id, event.version());
                    unknownIds.invalidate(id);
                }
                told.created();
                unknownHashes.invalidateAll();
            }
            case UPDATED, DELETED -> {
                if (id != null) {
                    told.tell(id, event.type() == KeyEvent.Type.DELETED ? Invalidations.DELETED : event.version());
                    front.clear(id);
                    grace.forget(id);
                    evictor.execute(() -> byId.invalidate(id));
                }
            }
        }
        if (meters != null) {
            meters.invalidated(event.type());
        }
    }
}
