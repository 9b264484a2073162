package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.Subscription;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link RedisKeyStore} as several nodes see it, on a Redis process of this class's own that the tests
 * kill and restart: events between nodes, the "everything may be stale" event after the subscription comes back,
 * and failing fast (then recovering) while Redis is gone or stalled.
 */
@WithRedis(isolated = true)
class RedisKeyStoreNodesIT {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final RedisServer redis;
    private final List<RedisKeyStore> stores = new ArrayList<>();
    private String prefix = "";

    RedisKeyStoreNodesIT(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void prefix() {
        assumeTrue(redis.restartable(), "needs a Redis process of its own");
        redis.start();
        prefix = redis.uniqueKeyPrefix();
    }

    @AfterEach
    void close() {
        stores.forEach(RedisKeyStore::close);
        redis.start();
    }

    private RedisKeyStore node() {
        return node(prefix);
    }

    private RedisKeyStore node(String keyPrefix) {
        RedisKeyStore s = RedisKeyStore.builder()
                .uri(redis.uri())
                .keyPrefix(keyPrefix)
                .commandTimeout(TIMEOUT)
                .connectTimeout(TIMEOUT)
                .reconnectDelayMax(Duration.ofMillis(50))
                .build();
        stores.add(s);
        return s;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void awaitEvent(Queue<KeyEvent> events, KeyEvent.Type type, String id) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> events.stream().anyMatch(e -> e.type() == type && id.equals(e.keyId())));
    }

    private static void awaitAllStale(Queue<KeyEvent> events) {
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains(KeyEvent.allStale()));
    }

    @Test
    void twoNodes_changeOnOne_reachesTheOthersListener_withVersions() {
        RedisKeyStore a = node();
        RedisKeyStore b = node();
        Queue<KeyEvent> heardByB = new ConcurrentLinkedQueue<>();
        Queue<KeyEvent> heardByA = new ConcurrentLinkedQueue<>();
        try (Subscription sb = b.subscribe(heardByB::add); Subscription sa = a.subscribe(heardByA::add)) {
            ApiKey k = Keys.minimal(now());
            a.create(k);
            awaitEvent(heardByB, KeyEvent.Type.CREATED, k.id());

            assertThat(a.replace(k.toBuilder().name("renamed").version(2).build(), 1)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> heardByB.contains(KeyEvent.of(KeyEvent.Type.UPDATED,
                    k.id(), 2)));
            assertThat(b.find(k.id())).map(ApiKey::name).contains("renamed");

            a.delete(k.id());
            awaitEvent(heardByB, KeyEvent.Type.DELETED, k.id());

            // The node that made the changes heard each once, from itself, not again through Redis.
            assertThat(heardByA).containsExactly(KeyEvent.of(KeyEvent.Type.CREATED, k.id(), 1),
                    KeyEvent.of(KeyEvent.Type.UPDATED, k.id(), 2), KeyEvent.of(KeyEvent.Type.DELETED, k.id(), 0));
        }
    }

    @Test
    void storesWithOtherPrefixes_onOneRedis_neitherSeeNorHearEachOther() {
        RedisKeyStore mine = node();
        RedisKeyStore theirs = node(redis.uniqueKeyPrefix());
        Queue<KeyEvent> heardByTheirs = new ConcurrentLinkedQueue<>();
        Queue<KeyEvent> heardByMinePeer = new ConcurrentLinkedQueue<>();
        try (Subscription s1 = theirs.subscribe(heardByTheirs::add);
                Subscription s2 = node().subscribe(heardByMinePeer::add)) {
            ApiKey k = Keys.minimal(now());
            mine.create(k);
            awaitEvent(heardByMinePeer, KeyEvent.Type.CREATED, k.id());

            assertThat(theirs.find(k.id())).isEmpty();
            assertThat(theirs.list(KeyQuery.clamped(null, null, null, null, 0, 20, now())).total()).isZero();
            assertThat(heardByTheirs).isEmpty();
        }
    }

    @Test
    void subscriberKilled_deliversAllStale_andLaterEventsStillArrive() {
        RedisKeyStore a = node();
        RedisKeyStore b = node();
        Queue<KeyEvent> heard = new ConcurrentLinkedQueue<>();
        try (Subscription ignored = b.subscribe(heard::add)) {
            redis.command("CLIENT", "KILL", "TYPE", "pubsub");

            awaitAllStale(heard);
            ApiKey k = Keys.minimal(now());
            a.create(k);
            awaitEvent(heard, KeyEvent.Type.CREATED, k.id());
        }
    }

    @Test
    void redisRestarted_deliversAllStale_andLaterEventsStillArrive() {
        RedisKeyStore a = node();
        RedisKeyStore b = node();
        Queue<KeyEvent> heard = new ConcurrentLinkedQueue<>();
        try (Subscription ignored = b.subscribe(heard::add)) {
            redis.stop();
            redis.start();

            awaitAllStale(heard);
            ApiKey k = Keys.minimal(now());
            await().atMost(Duration.ofSeconds(10)).ignoreException(StoreUnavailableException.class)
                    .until(() -> {
                        a.create(k);
                        return true;
                    });
            awaitEvent(heard, KeyEvent.Type.CREATED, k.id());
            assertThat(b.find(k.id())).contains(k);
        }
    }

    @Test
    void redisStopped_everyCallFailsFast_thenWorksAgainAfterRestart_withTheSameStore() {
        RedisKeyStore store = node();
        ApiKey k = Keys.minimal(now());
        store.create(k);

        redis.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> failsWithUnavailable(s -> s.ping(), store));

        List<Consumer<RedisKeyStore>> calls = List.of(
                RedisKeyStore::ping,
                s -> s.find(k.id()),
                s -> s.findByImportedHash(Keys.HASHER.hash("imported-token-value")),
                s -> s.list(KeyQuery.clamped(null, null, null, null, 0, 20, now())),
                s -> s.create(Keys.minimal(now())),
                s -> s.replace(k.toBuilder().version(2).build(), 1),
                s -> s.delete(k.id()),
                s -> s.recordUsage(new UsageBatch(Ids.next(), List.of(new UsageDelta(k.id(), 1, now(), null)))),
                s -> s.findJob(Ids.next()),
                s -> s.setting("x"),
                s -> s.initSetting("x", "y"));
        for (Consumer<RedisKeyStore> call : calls) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> call.accept(store)).isInstanceOf(StoreUnavailableException.class);
            // fails fast (Lettuce's default would wait 60 s), with room for a loaded CI machine
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusMillis(1_500));
        }

        redis.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !failsWithUnavailable(RedisKeyStore::ping, store));
        ApiKey again = Keys.minimal(now());
        store.create(again);
        assertThat(store.find(again.id())).contains(again);
        assertThat(store.list(KeyQuery.clamped(null, null, null, null, 0, 20, now())).items()).containsExactly(again);
    }

    @Test
    void redisStalled_callsTimeOutWithStoreUnavailable_withinTheCommandTimeout() {
        RedisKeyStore store = node();
        store.ping();
        CompletableFuture<Object> pause = CompletableFuture.supplyAsync(
                () -> redis.command("CLIENT", "PAUSE", "1500", "ALL"));
        await().atMost(Duration.ofSeconds(2)).until(pause::isDone);

        long start = System.nanoTime();
        assertThatThrownBy(() -> store.find(Ids.next())).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("timed out");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // the command timeout, not the end of the 1.5 s pause, ends the call
        assertThat(took).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50)).isLessThan(TIMEOUT.plusMillis(950));

        await().atMost(Duration.ofSeconds(5)).until(() -> !failsWithUnavailable(RedisKeyStore::ping, store));
    }

    private static boolean failsWithUnavailable(Consumer<RedisKeyStore> call, RedisKeyStore store) {
        try {
            call.accept(store);
            return false;
        } catch (StoreUnavailableException e) {
            return true;
        }
    }
}
