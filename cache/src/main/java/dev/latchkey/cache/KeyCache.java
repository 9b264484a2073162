package dev.latchkey.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyResolver;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHash;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.Subscription;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Caffeine cache of keys in front of a {@link KeyStore}: the {@link KeyResolver} that the servlet filter and the
 * admin API's {@code POST /v1/verify} hand to core's {@code Verifier}.
 *
 * <p>What it guarantees:
 * <ul>
 *   <li><b>Bounded staleness.</b> Keys are cached by id for at most {@code ttl} after they were read; change events
 *       from the store ({@link KeyStore#subscribe}) evict a key at once, and {@link KeyEvent.Type#ALL_STALE} evicts
 *       everything.</li>
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
 * <p>Metrics (when a {@link MeterRegistry} is given): Caffeine's statistics under {@code cache="latchkey.keys"}
 * and {@code latchkey.cache.invalidations} (tag {@code type}); {@link #close()} removes them again.
 *
 * <p>Thread-safe. Instances are made with {@link #builder(KeyStore)}; the store is not closed by {@link #close()}.
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

    static final String INVALIDATIONS = "latchkey.cache.invalidations";
    /** After a store failure, keys with a stale copy are served from it for this long without asking the store. */
    static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);
    private static final int MAX_READS = 3;
    private static final long DELETED = Long.MAX_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger(KeyCache.class);

    /** A cached record and the {@code ALL_STALE} epoch its read started in. */
    private record Cached(ApiKey key, long epoch) {
    }

    private final KeyStore store;
    private final Ticker ticker;
    private final LoadingCache<String, Cached> byId;
    private final @Nullable Cache<String, Cached> lastGood;
    private final Cache<String, Boolean> unknownIds;
    private final Cache<SecretHash, Boolean> unknownHashes;
    private final LoadingCache<SecretHash, String> idByHash;
    /** The newest version each recently changed key was announced with ({@link #DELETED} once deleted). */
    private final Cache<String, Long> toldVersions;
    private final AtomicLong staleEpoch = new AtomicLong();
    private final AtomicLong createdEpoch = new AtomicLong();
    private final long backoffNanos;
    private volatile long storeDownUntil;
    private volatile boolean storeDown;
    private final @Nullable MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<KeyEvent.Type, Counter> invalidations = new EnumMap<>(KeyEvent.Type.class);
    private final Tags tags;
    private final Executor evictor;
    private final Subscription subscription;
    private volatile boolean closed;

    private KeyCache(Builder b) {
        this.store = b.store;
        this.ticker = b.ticker;
        this.tags = b.tags;
        this.backoffNanos = ERROR_BACKOFF.toNanos();
        this.evictor = b.evictor;
        this.byId = Caffeine.newBuilder()
                .maximumSize(b.maxSize)
                .expireAfterWrite(b.ttl)
                .ticker(b.ticker)
                .recordStats()
                .build(this::load);
        Duration staleLife = b.ttl.plus(b.staleIfError);
        this.lastGood = b.staleIfError.isZero() ? null : Caffeine.newBuilder()
                .maximumSize(b.maxSize)
                .expireAfterWrite(staleLife)
                .ticker(b.ticker)
                .<String, Cached>build();
        this.unknownIds = Caffeine.newBuilder()
                .maximumSize(b.negativeMaxSize)
                .expireAfterWrite(b.negativeTtl)
                .ticker(b.ticker)
                .build();
        this.unknownHashes = Caffeine.newBuilder()
                .maximumSize(b.negativeMaxSize)
                .expireAfterWrite(b.negativeTtl)
                .ticker(b.ticker)
                .build();
        this.idByHash = Caffeine.newBuilder()
                .maximumSize(b.maxSize)
                .expireAfterWrite(staleLife)
                .ticker(b.ticker)
                .build(this::loadIdByHash);
        // Versions must outlive every cached copy and every load in flight when the event came.
        this.toldVersions = Caffeine.newBuilder()
                .maximumSize(Math.max(b.maxSize, 1_000))
                .expireAfterWrite(staleLife.plus(b.ttl).plusMinutes(1))
                .ticker(b.ticker)
                .build();
        this.registry = b.registry;
        if (registry != null) {
            java.util.Set<Meter.Id> before = new java.util.HashSet<>();
            for (Meter m : registry.getMeters()) {
                before.add(m.getId());
            }
            CaffeineCacheMetrics.monitor(registry, byId, CACHE_NAME, tags);
            // Remember exactly the binder's meters, so close() never removes another cache's (same name, other tags).
            for (Meter m : registry.getMeters()) {
                if (!before.contains(m.getId()) && CACHE_NAME.equals(m.getId().getTag("cache"))) {
                    meters.add(m);
                }
            }
            for (KeyEvent.Type type : KeyEvent.Type.values()) {
                Counter c = Counter.builder(INVALIDATIONS)
                        .description("Store change events that evicted keys from this node's cache")
                        .tags(tags)
                        .tag("type", type.name().toLowerCase(java.util.Locale.ROOT))
                        .register(registry);
                invalidations.put(type, c);
                meters.add(c);
            }
        }
        this.subscription = store.subscribe(this::onEvent);
    }

    /**
     * Starts a cache in front of a store.
     *
     * @throws NullPointerException when {@code store} is null
     */
    public static Builder builder(KeyStore store) {
        return new Builder(store);
    }

    /** Returns the store this cache reads from. */
    public KeyStore store() {
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
        if (storeDown && ticker.read() - storeDownUntil < 0 && byId.asMap().get(keyId) == null) {
            ApiKey stale = staleCopy(keyId);
            if (stale != null) {
                return stale;
            }
        }
        Cached cached;
        try {
            cached = byId.get(keyId);
        } catch (StoreUnavailableException e) {
            ApiKey stale = staleCopy(keyId);
            if (stale == null) {
                throw e;
            }
            markDown(e);
            return stale;
        }
        if (cached == null) {
            return null;
        }
        if (storeDown) {
            storeDown = false;
        }
        if (!servable(keyId, cached)) {
            byId.asMap().remove(keyId, cached);
            return readThrough(keyId);
        }
        return cached.key();
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
        MeterRegistry r = registry;
        if (r != null) {
            for (Meter m : meters) {
                r.remove(m);
            }
        }
        byId.invalidateAll();
        if (lastGood != null) {
            lastGood.invalidateAll();
        }
        idByHash.invalidateAll();
    }

    // ---- loading -------------------------------------------------------------------------------------------

    private @Nullable Cached load(String id) {
        if (unknownIds.getIfPresent(id) != null) {
            return null; // a concurrent miss just found it unknown
        }
        for (int read = 1; ; read++) {
            long epoch = staleEpoch.get();
            ApiKey key = store.find(id).orElse(null);
            long told = told(id);
            if (key == null) {
                if (told != 0 && told != DELETED && read < MAX_READS) {
                    continue; // we were told it exists: this read was older than the event
                }
                unknownIds.put(id, Boolean.TRUE);
                if (told(id) != told && told(id) != DELETED || staleEpoch.get() != epoch) {
                    unknownIds.invalidate(id); // a creation overtook the read; do not remember it as unknown
                }
                return null;
            }
            if ((key.version() < told || staleEpoch.get() != epoch) && read < MAX_READS) {
                continue; // an invalidation overtook the read: read again
            }
            Cached cached = new Cached(key, epoch);
            if (lastGood != null) {
                lastGood.put(id, cached);
            }
            return cached;
        }
    }

    private @Nullable String loadIdByHash(SecretHash hash) {
        if (unknownHashes.getIfPresent(hash) != null) {
            return null;
        }
        long created = createdEpoch.get();
        long epoch = staleEpoch.get();
        ApiKey key = store.findByImportedHash(hash).orElse(null);
        if (key == null) {
            unknownHashes.put(hash, Boolean.TRUE);
            if (createdEpoch.get() != created || staleEpoch.get() != epoch) {
                unknownHashes.invalidate(hash);
            }
            return null;
        }
        offer(new Cached(key, epoch));
        return key.id();
    }

    /** Puts a record read elsewhere (the hash index) into the id cache, unless something newer is known. */
    private void offer(Cached cached) {
        String id = cached.key().id();
        if (!servable(id, cached)) {
            return;
        }
        byId.asMap().merge(id, cached, (old, nu) -> nu.key().version() >= old.key().version() ? nu : old);
        if (lastGood != null) {
            lastGood.asMap().merge(id, cached, (old, nu) -> nu.key().version() >= old.key().version() ? nu : old);
        }
        unknownIds.invalidate(id);
    }

    private @Nullable ApiKey readThrough(String id) {
        return store.find(id).orElse(null);
    }

    private boolean servable(String id, Cached cached) {
        return cached.epoch() == staleEpoch.get() && cached.key().version() >= told(id);
    }

    private long told(String id) {
        Long v = toldVersions.getIfPresent(id);
        return v == null ? 0 : v;
    }

    private @Nullable ApiKey staleCopy(String id) {
        if (lastGood == null) {
            return null;
        }
        Cached c = lastGood.getIfPresent(id);
        if (c == null || c.key().version() < told(id)) {
            return null;
        }
        return c.key();
    }

    private void markDown(StoreUnavailableException e) {
        if (!storeDown) {
            LOG.warn("Key store unreachable; serving cached keys for up to their stale-if-error window: {}",
                    e.getMessage());
        }
        storeDownUntil = ticker.read() + backoffNanos;
        storeDown = true;
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
                staleEpoch.incrementAndGet();
                createdEpoch.incrementAndGet();
                unknownIds.invalidateAll();
                unknownHashes.invalidateAll();
                // lastGood stays: it is only served while the store is unreachable, within stale-if-error.
                evictor.execute(() -> {
                    byId.invalidateAll();
                    idByHash.invalidateAll();
                });
            }
            case CREATED -> {
                if (id != null) {
                    tell(id, event.version());
                    unknownIds.invalidate(id);
                }
                createdEpoch.incrementAndGet();
                unknownHashes.invalidateAll();
            }
            case UPDATED, DELETED -> {
                if (id != null) {
                    tell(id, event.type() == KeyEvent.Type.DELETED ? DELETED : event.version());
                    if (lastGood != null) {
                        lastGood.invalidate(id);
                    }
                    evictor.execute(() -> byId.invalidate(id));
                }
            }
        }
        Counter c = invalidations.get(event.type());
        if (c != null) {
            c.increment();
        }
    }

    private void tell(String id, long version) {
        toldVersions.asMap().merge(id, Math.max(version, 1), Math::max);
    }

    /**
     * Configures a {@link KeyCache}. Setters validate at once and throw {@link IllegalArgumentException}.
     */
    public static final class Builder {
        private final KeyStore store;
        private long maxSize = DEFAULT_MAX_SIZE;
        private Duration ttl = DEFAULT_TTL;
        private Duration negativeTtl = DEFAULT_NEGATIVE_TTL;
        private long negativeMaxSize = DEFAULT_NEGATIVE_MAX_SIZE;
        private Duration staleIfError = DEFAULT_STALE_IF_ERROR;
        private Ticker ticker = Ticker.systemTicker();
        private @Nullable MeterRegistry registry;
        private Tags tags = Tags.empty();
        private Executor evictor = ForkJoinPool.commonPool();

        private Builder(KeyStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * Sets the most keys cached (default {@link #DEFAULT_MAX_SIZE}).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxSize(long maxSize) {
            if (maxSize <= 0) {
                throw new IllegalArgumentException("max-size must be positive");
            }
            this.maxSize = maxSize;
            return this;
        }

        /**
         * Sets how long a key is served after it was read (default {@link #DEFAULT_TTL}).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder ttl(Duration ttl) {
            this.ttl = positive(ttl, "ttl");
            return this;
        }

        /**
         * Sets how long an unknown id or imported hash is remembered (default {@link #DEFAULT_NEGATIVE_TTL}); zero
         * disables negative caching.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder negativeTtl(Duration negativeTtl) {
            this.negativeTtl = notNegative(negativeTtl, "negative-ttl");
            return this;
        }

        /**
         * Sets the most unknown ids, and separately unknown hashes, remembered (default
         * {@link #DEFAULT_NEGATIVE_MAX_SIZE}).
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder negativeMaxSize(long negativeMaxSize) {
            if (negativeMaxSize < 0) {
                throw new IllegalArgumentException("negative max-size must not be negative");
            }
            this.negativeMaxSize = negativeMaxSize;
            return this;
        }

        /**
         * Sets how long past its ttl a key is still served while the store is unreachable (default
         * {@link #DEFAULT_STALE_IF_ERROR}); zero disables it.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder staleIfError(Duration staleIfError) {
            this.staleIfError = notNegative(staleIfError, "stale-if-error");
            return this;
        }

        /** Sets the time source of every expiry (default {@link Ticker#systemTicker()}); tests pass a fake one. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Publishes the cache's metrics on this registry (default: none). */
        public Builder meterRegistry(@Nullable MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** Adds tags to every meter this cache registers (default: none); never key ids or tokens. */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = Tags.of(tags);
            return this;
        }

        /**
         * Sets where evictions triggered by store events run (default {@link ForkJoinPool#commonPool()}). They never
         * run on the store's event thread, because evicting an entry waits for a load of it in flight.
         */
        public Builder evictionExecutor(Executor executor) {
            this.evictor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Builds the cache and subscribes it to the store's change events.
         */
        public KeyCache build() {
            return new KeyCache(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }

        private static Duration notNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return d;
        }
    }
}
