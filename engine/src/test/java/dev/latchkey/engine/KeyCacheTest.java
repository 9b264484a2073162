package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.SecretHash;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.internal.Ids;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tests for {@link KeyCache}, on a real in-memory store and a hand-moved ticker. */
class KeyCacheTest {

    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration NEGATIVE_TTL = Duration.ofSeconds(5);
    private static final Duration STALE = Duration.ofMinutes(5);

    private final CountingKeyStore store = new CountingKeyStore();
    private final SecretHasher hasher = SecretHasher.sha256();
    private final KeyManager manager = new KeyManager(store, TokenCodec.defaults(), hasher, Clock.systemUTC(),
            Runnable::run);
    private final FakeTicker ticker = new FakeTicker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final KeyCache cache = KeyCache.builder(store)
            .ttl(TTL)
            .negativeTtl(NEGATIVE_TTL)
            .staleIfError(STALE)
            .ticker(ticker)
            .meterRegistry(registry)
            .evictionExecutor(Runnable::run)
            .build();

    @AfterEach
    void close() {
        cache.close();
        store.close();
    }

    private ApiKey newKey() {
        return manager.create(Actor.ROOT, CreateKeyRequest.named("k")).key();
    }

    @Test
    void byId_withinTtl_readsStoreOnce() {
        ApiKey key = newKey();
        assertThat(cache.byId(key.id())).isNotNull();
        assertThat(cache.byId(key.id())).isNotNull();
        assertThat(store.finds).hasValue(1);
    }

    @Test
    void maxSize_boundsHowManyKeysAreKept() {
        try (KeyCache small = KeyCache.builder(store).maxSize(3).ticker(ticker).evictionExecutor(Runnable::run)
                .build()) {
            for (int i = 0; i < 20; i++) {
                assertThat(small.byId(newKey().id())).isNotNull();
            }
            // Caffeine evicts in its maintenance task, on its own executor: wait for it
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(small.estimatedSize()).isLessThanOrEqualTo(3));
        }
    }

    @Test
    void byId_afterTtl_readsStoreAgain() {
        ApiKey key = newKey();
        cache.byId(key.id());
        ticker.advance(TTL.plusSeconds(1));
        assertThat(cache.byId(key.id())).isNotNull();
        assertThat(store.finds).hasValue(2);
    }

    @Test
    void byId_unknownId_isRememberedForNegativeTtl() {
        String id = Ids.next();
        for (int i = 0; i < 5; i++) {
            assertThat(cache.byId(id)).isNull();
        }
        assertThat(store.finds).hasValue(1);
        ticker.advance(NEGATIVE_TTL.plusMillis(1));
        assertThat(cache.byId(id)).isNull();
        assertThat(store.finds).hasValue(2);
    }

    @Test
    void byId_negativeEntries_doNotEvictRealKeys() {
        KeyCache small = KeyCache.builder(store).maxSize(10).negativeMaxSize(10).ticker(ticker)
                .evictionExecutor(Runnable::run).build();
        try {
            ApiKey key = newKey();
            small.byId(key.id());
            for (int i = 0; i < 500; i++) {
                small.byId(Ids.next());
            }
            int before = store.finds.get();
            assertThat(small.byId(key.id())).isNotNull();
            assertThat(store.finds).hasValue(before);
        } finally {
            small.close();
        }
    }

    @Test
    void byId_createdEvent_clearsNegativeEntryAtOnce() {
        String id = Ids.next();
        assertThat(cache.byId(id)).isNull();
        store.create(rawKey(id));
        assertThat(cache.byId(id)).isNotNull();
    }

    @Test
    void byId_updatedEvent_evictsAtOnce() {
        ApiKey key = newKey();
        assertThat(cache.byId(key.id()).storedStatus()).isEqualTo(KeyStatus.ACTIVE);
        manager.setStatus(Actor.ROOT, key.id(), "inactive", null, null);
        assertThat(cache.byId(key.id()).storedStatus()).isEqualTo(KeyStatus.INACTIVE);
        assertThat(registry.get(KeyCacheMeters.INVALIDATIONS).tag("type", "updated").counter().count()).isEqualTo(1);
    }

    @Test
    void byId_deletedEvent_evictsAtOnce() {
        ApiKey key = newKey();
        cache.byId(key.id());
        manager.delete(Actor.ROOT, key.id());
        assertThat(cache.byId(key.id())).isNull();
    }

    @Test
    void invalidateAll_dropsEveryEntry() {
        ApiKey key = newKey();
        cache.byId(key.id());
        cache.invalidateAll();
        cache.byId(key.id());
        assertThat(store.finds).hasValue(2);
    }

    @Test
    void byId_storeDown_servesRecentCopyUntilStaleIfErrorEnds() {
        ApiKey key = newKey();
        cache.byId(key.id());
        store.down = true;
        ticker.advance(TTL.plusSeconds(1));
        assertThat(cache.byId(key.id())).isNotNull();
        ticker.advance(STALE);
        assertThatThrownBy(() -> cache.byId(key.id())).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void byId_storeDownRightAfterAllStale_servesRecentCopy() {
        // In production the eviction after ALL_STALE runs on another thread: keep it from running here, so the
        // entry is still cached but no longer servable, as when Redis's pub/sub reconnects before its commands do.
        List<Runnable> evictions = new ArrayList<>();
        try (KeyCache lagging = KeyCache.builder(store).ttl(TTL).staleIfError(STALE).ticker(ticker)
                .evictionExecutor(evictions::add).build()) {
            ApiKey key = newKey();
            lagging.byId(key.id());
            lagging.invalidateAll();
            store.down = true;
            assertThat(lagging.byId(key.id())).isNotNull();
            assertThat(evictions).isNotEmpty();
        }
    }

    @Test
    void byId_storeDownRightAfterAllStale_stillRefusesCopyOlderThanAnAnnouncedChange() {
        List<Runnable> evictions = new ArrayList<>();
        try (KeyCache lagging = KeyCache.builder(store).ttl(TTL).staleIfError(STALE).ticker(ticker)
                .evictionExecutor(evictions::add).build()) {
            ApiKey key = newKey();
            lagging.byId(key.id());
            manager.setStatus(Actor.ROOT, key.id(), "blocked", null, null);
            lagging.invalidateAll();
            store.down = true;
            assertThatThrownBy(() -> lagging.byId(key.id())).isInstanceOf(StoreUnavailableException.class);
        }
    }

    @Test
    void byId_storeDown_uncachedKeyFailsClosed() {
        ApiKey key = newKey();
        store.down = true;
        assertThatThrownBy(() -> cache.byId(key.id())).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void byId_storeDown_doesNotServeCopyOlderThanAnAnnouncedChange() {
        ApiKey key = newKey();
        cache.byId(key.id());
        manager.setStatus(Actor.ROOT, key.id(), "blocked", null, null);
        store.down = true;
        assertThatThrownBy(() -> cache.byId(key.id())).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void byId_storeBack_recoversAfterBackoff() {
        ApiKey key = newKey();
        cache.byId(key.id());
        store.down = true;
        ticker.advance(TTL.plusSeconds(1));
        cache.byId(key.id());
        int failedReads = store.finds.get();
        cache.byId(key.id()); // within the back-off: served stale without asking the store
        assertThat(store.finds).hasValue(failedReads);
        store.down = false;
        ticker.advance(KeyCache.ERROR_BACKOFF.plusMillis(1));
        manager.setStatus(Actor.ROOT, key.id(), "inactive", null, null);
        assertThat(cache.byId(key.id()).storedStatus()).isEqualTo(KeyStatus.INACTIVE);
        assertThat(store.finds.get()).isGreaterThan(failedReads);
    }

    @Test
    void byId_concurrentMisses_readStoreOnce() throws Exception {
        ApiKey key = newKey();
        CountDownLatch release = new CountDownLatch(1);
        store.afterFind = id -> hold(release);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ApiKey>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> cache.byId(key.id())));
            }
            await().until(() -> store.finds.get() >= 1);
            release.countDown();
            for (Future<ApiKey> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS).id()).isEqualTo(key.id());
            }
            assertThat(store.finds).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void byId_updateDuringLoad_neverCachesOlderRecord() throws Exception {
        ApiKey key = newKey();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.afterFind = id -> {
            store.afterFind = null; // hold only the first read
            loading.countDown();
            hold(release);
        };
        KeyCache async = KeyCache.builder(store).ticker(ticker).build(); // evictions off the event thread
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ApiKey> racing = pool.submit(() -> async.byId(key.id()));
            assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
            ApiKey blocked = manager.setStatus(Actor.ROOT, key.id(), "blocked", null, null);
            release.countDown();
            assertThat(racing.get(10, TimeUnit.SECONDS).version()).isEqualTo(blocked.version());
            assertThat(async.byId(key.id()).storedStatus()).isEqualTo(KeyStatus.BLOCKED);
        } finally {
            pool.shutdownNow();
            async.close();
        }
    }

    @Test
    void byId_deleteDuringLoad_isNotServedAfterwards() throws Exception {
        ApiKey key = newKey();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.afterFind = id -> {
            store.afterFind = null;
            loading.countDown();
            hold(release);
        };
        KeyCache async = KeyCache.builder(store).ticker(ticker).build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ApiKey> racing = pool.submit(() -> async.byId(key.id()));
            assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
            manager.delete(Actor.ROOT, key.id());
            release.countDown();
            assertThat(racing.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(async.byId(key.id())).isNull();
        } finally {
            pool.shutdownNow();
            async.close();
        }
    }

    @Test
    void byImportedHash_cachesHashToKey() {
        IssuedKey issued = manager.create(Actor.ROOT, CreateKeyRequest.named("imp").withToken("my-own-token-123"));
        SecretHash hash = hasher.hash("my-own-token-123");
        assertThat(cache.byImportedHash(hash).id()).isEqualTo(issued.key().id());
        assertThat(cache.byImportedHash(hash).id()).isEqualTo(issued.key().id());
        assertThat(store.hashFinds).hasValue(1);
        assertThat(store.finds).hasValue(0);
    }

    @Test
    void byImportedHash_unknownHash_isRememberedUntilAKeyIsCreated() {
        SecretHash hash = hasher.hash("not-imported-yet");
        assertThat(cache.byImportedHash(hash)).isNull();
        assertThat(cache.byImportedHash(hash)).isNull();
        assertThat(store.hashFinds).hasValue(1);
        manager.create(Actor.ROOT, CreateKeyRequest.named("imp").withToken("not-imported-yet"));
        assertThat(cache.byImportedHash(hash)).isNotNull();
    }

    @Test
    void byImportedHash_afterRotation_oldHashIsNotServed() {
        IssuedKey issued = manager.create(Actor.ROOT, CreateKeyRequest.named("imp").withToken("rotate-me-please"));
        SecretHash hash = hasher.hash("rotate-me-please");
        cache.byImportedHash(hash);
        manager.rotate(Actor.ROOT, issued.key().id(), true, null);
        assertThat(cache.byImportedHash(hash)).isNull();
    }

    @Test
    void metrics_publishCaffeineStatsAndAreRemovedOnClose() {
        ApiKey key = newKey();
        cache.byId(key.id());
        cache.byId(key.id());
        assertThat(registry.get("cache.gets").tag("cache", "latchkey.keys").tag("result", "hit")
                .functionCounter().count()).isEqualTo(1);
        cache.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void close_removesOnlyItsOwnMeters_notThoseOfAnotherCacheOnTheRegistry() {
        KeyCache other = KeyCache.builder(store).meterRegistry(registry)
                .tags(io.micrometer.core.instrument.Tags.of("filter", "second")).build();
        try {
            ApiKey key = newKey();
            other.byId(key.id());
            other.byId(key.id());
            cache.close();
            assertThat(registry.get("cache.gets").tag("cache", "latchkey.keys").tag("filter", "second")
                    .tag("result", "hit").functionCounter().count()).isEqualTo(1);
            assertThat(registry.find(KeyCacheMeters.INVALIDATIONS).tag("filter", "second").counters()).isNotEmpty();
        } finally {
            other.close();
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    private static ApiKey rawKey(String id) {
        return ApiKey.builder().id(id).name("raw").createdAt(Instant.now())
                .current(new Credential(SecretHash.of(new byte[32]), "…", false)).build();
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
