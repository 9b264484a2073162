package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link Confirmations}: a change of a key returns only once every other live node's listeners have run
 * (so its cache dropped the key), and a node that does not confirm delays a change by at most the confirm timeout,
 * named in a warning and counted.
 */
@WithRedis
class ConfirmationsIT {

    private final RedisServer redis;
    private final String prefix;
    private final List<RedisKeyStore> stores = new ArrayList<>();

    ConfirmationsIT(RedisServer redis) {
        this.redis = redis;
        this.prefix = redis.uniqueKeyPrefix();
    }

    @AfterEach
    void close() {
        stores.forEach(RedisKeyStore::close);
    }

    private RedisKeyStore node(Duration confirmTimeout, SimpleMeterRegistry registry) {
        RedisKeyStoreBuilder b = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix)
                .confirmTimeout(confirmTimeout);
        if (registry != null) {
            b.meterRegistry(registry);
        }
        RedisKeyStore s = b.build();
        stores.add(s);
        return s;
    }

    @Test
    void replaceAndDelete_returnOnlyAfterTheOtherNodesListenersRan() {
        RedisKeyStore a = node(Duration.ofSeconds(5), null);
        RedisKeyStore b = node(Duration.ofSeconds(5), null);
        RedisKeyStore c = node(Duration.ofSeconds(5), null);
        Queue<KeyEvent> seenByB = new ConcurrentLinkedQueue<>();
        Queue<KeyEvent> seenByC = new ConcurrentLinkedQueue<>();
        b.subscribe(e -> {
            sleepBriefly(); // a slow listener: the writer must still wait for it
            seenByB.add(e);
        });
        c.subscribe(seenByC::add);
        for (int i = 0; i < 20; i++) {
            ApiKey key = Keys.minimal(Instant.now().truncatedTo(ChronoUnit.MILLIS));
            a.create(key);
            ApiKey changed = key.toBuilder().storedStatus(KeyStatus.INACTIVE).version(2).build();
            assertThat(a.replace(changed, 1)).isTrue();
            assertThat(seenByB).anyMatch(e -> e.type() == KeyEvent.Type.UPDATED && key.id().equals(e.keyId()));
            assertThat(seenByC).anyMatch(e -> e.type() == KeyEvent.Type.UPDATED && key.id().equals(e.keyId()));
            assertThat(a.delete(key.id())).isTrue();
            assertThat(seenByB).anyMatch(e -> e.type() == KeyEvent.Type.DELETED && key.id().equals(e.keyId()));
            assertThat(seenByC).anyMatch(e -> e.type() == KeyEvent.Type.DELETED && key.id().equals(e.keyId()));
        }
    }

    @Test
    void aRegisteredNodeThatNeverConfirms_delaysAChangeByTheTimeoutOnly_andIsCounted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisKeyStore a = node(Duration.ofMillis(200), registry);
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            raw.sync().zadd(prefix + "nodes", System.currentTimeMillis() + 60_000, "ghost-node");
            ApiKey key = Keys.minimal(Instant.now().truncatedTo(ChronoUnit.MILLIS));
            a.create(key);
            long start = System.nanoTime();
            assertThat(a.delete(key.id())).isTrue();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMs).isGreaterThanOrEqualTo(190);
            assertThat(a.find(key.id())).isEmpty();
            assertThat(registry.get("latchkey.invalidation.unconfirmed").functionCounter().count()).isEqualTo(1);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aClosedNode_leavesTheRegistry() {
        RedisKeyStore a = node(Duration.ofSeconds(5), null);
        RedisKeyStore b = node(Duration.ofSeconds(5), null);
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            CountDownLatch registered = new CountDownLatch(1);
            for (int i = 0; i < 100 && raw.sync().zcard(prefix + "nodes") < 2; i++) {
                registered.await(20, TimeUnit.MILLISECONDS);
            }
            assertThat(raw.sync().zcard(prefix + "nodes")).isEqualTo(2);
            b.close();
            assertThat(raw.sync().zcard(prefix + "nodes")).isEqualTo(1);
            ApiKey key = Keys.minimal(Instant.now().truncatedTo(ChronoUnit.MILLIS));
            a.create(key);
            long start = System.nanoTime();
            assertThat(a.delete(key.id())).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.shutdown();
        }
    }

    private static void sleepBriefly() {
        try {
            new CountDownLatch(1).await(30, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
