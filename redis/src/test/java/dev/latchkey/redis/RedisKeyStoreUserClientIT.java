package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.Subscription;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.RedisCluster;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link RedisKeyStore} built on a Lettuce client the application owns ({@code Builder.client}): the store
 * works on it, standalone and on a three-master Cluster, and closing the store closes only the connections it opened,
 * so the application's client keeps working.
 */
@WithRedis
class RedisKeyStoreUserClientIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void redisClient_withUri_runsTheStore_andCloseLeavesTheClientUsable(RedisServer redis) {
        RedisURI uri = RedisURI.create(redis.uri());
        RedisClient client = RedisClient.create();
        String prefix = redis.uniqueKeyPrefix();
        try {
            long connectedBefore = connectedClients(client, uri);
            try (RedisKeyStore a = onClient(client, uri, prefix); RedisKeyStore b = onClient(client, uri, prefix)) {
                assertThat(a.toString()).contains("application's Lettuce client").doesNotContain("password");
                exerciseBasics(a, b);
            }

            assertThat(client.getResources().eventExecutorGroup().isShuttingDown()).isFalse();
            try (StatefulRedisConnection<String, String> c = client.connect(uri)) {
                assertThat(c.sync().ping()).isEqualTo("PONG");
            }
            await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(connectedClients(client, uri)).as("connections after both stores closed")
                            .isEqualTo(connectedBefore));
        } finally {
            RedisValues.deleteUnder(redis.uri(), prefix);
            client.shutdown();
        }
    }

    @Test
    void redisClient_withoutUri_connectsToTheClientsOwnUri(RedisServer redis) {
        RedisClient client = RedisClient.create(redis.uri());
        String prefix = redis.uniqueKeyPrefix();
        try {
            try (RedisKeyStore store = RedisKeyStore.builder().client(client).keyPrefix(prefix)
                    .commandTimeout(TIMEOUT).build()) {
                store.ping();
                ApiKey k = Keys.minimal(Instant.now());
                store.create(k);
                assertThat(store.find(k.id())).contains(k);
            }

            try (StatefulRedisConnection<String, String> c = client.connect()) {
                assertThat(c.sync().ping()).isEqualTo("PONG");
            }
        } finally {
            RedisValues.deleteUnder(redis.uri(), prefix);
            client.shutdown();
        }
    }

    @Test
    void redisClient_withoutAnyUri_failsToBuild_andTheClientStaysOpen(RedisServer redis) {
        RedisClient client = RedisClient.create();
        try {
            assertThatThrownBy(() -> RedisKeyStore.builder().client(client).build())
                    .isInstanceOf(IllegalStateException.class);

            try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create(redis.uri()))) {
                assertThat(c.sync().ping()).isEqualTo("PONG");
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void build_withBothUrlAndClient_isRejected(RedisServer redis) {
        RedisClient client = RedisClient.create();
        try {
            RedisKeyStore.Builder builder = RedisKeyStore.builder().uri(redis.uri())
                    .client(client, RedisURI.create(redis.uri()));

            assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("either");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void clusterClient_runsTheStore_andCloseLeavesTheClientUsable(RedisCluster cluster) {
        List<RedisURI> seeds = cluster.nodes().stream().map(n -> RedisURI.create("redis://" + n)).toList();
        RedisClusterClient client = RedisClusterClient.create(seeds);
        String prefix = cluster.uniqueKeyPrefix();
        try {
            try (RedisKeyStore a = onCluster(client, prefix); RedisKeyStore b = onCluster(client, prefix)) {
                assertThat(a.toString()).contains("Redis Cluster");
                exerciseBasics(a, b);
            }

            assertThat(client.getResources().eventExecutorGroup().isShuttingDown()).isFalse();
            try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
                assertThat(c.sync().ping()).isEqualTo("PONG");
                assertThat(c.sync().set(prefix + "after-close", "v")).isEqualTo("OK");
            }
        } finally {
            for (String node : cluster.nodes()) {
                RedisValues.deleteUnder("redis://" + node, prefix);
            }
            client.shutdown();
        }
    }

    /**
     * Creates, finds, replaces (and loses a stale replace), charges and deletes a key on {@code a}, and checks that
     * {@code b}, a second store on the same client and prefix, hears every change and reads the same data.
     */
    private static void exerciseBasics(RedisKeyStore a, RedisKeyStore b) {
        Queue<KeyEvent> heard = new ConcurrentLinkedQueue<>();
        try (Subscription ignored = b.subscribe(heard::add)) {
            a.ping();
            ApiKey k = Keys.minimal(Instant.now());
            a.create(k);
            assertThat(a.find(k.id())).contains(k);
            awaitEvent(heard, KeyEvent.Type.CREATED, k.id());

            ApiKey renamed = k.toBuilder().name("renamed").version(k.version() + 1).build();
            assertThat(a.replace(renamed, k.version())).isTrue();
            assertThat(a.replace(renamed, k.version())).as("a stale replace").isFalse();
            awaitEvent(heard, KeyEvent.Type.UPDATED, k.id());
            assertThat(b.find(k.id())).map(ApiKey::name).contains("renamed");

            RateLimit one = new RateLimit(1, 86_400);
            assertThat(a.charge(k.id(), Ids.next(), 1, one, null).verdict()).isEqualTo(ChargeResult.Verdict.ADMITTED);
            assertThat(b.charge(k.id(), Ids.next(), 1, one, null).verdict())
                    .as("the second node sees the first charge").isEqualTo(ChargeResult.Verdict.RATE_LIMITED);

            assertThat(a.delete(k.id())).isTrue();
            awaitEvent(heard, KeyEvent.Type.DELETED, k.id());
            assertThat(b.find(k.id())).isEmpty();
        }
    }

    private static void awaitEvent(Queue<KeyEvent> events, KeyEvent.Type type, String id) {
        await().atMost(TIMEOUT).until(() -> events.stream().anyMatch(e -> e.type() == type && id.equals(e.keyId())));
    }

    private static RedisKeyStore onClient(RedisClient client, RedisURI uri, String prefix) {
        return RedisKeyStore.builder().client(client, uri).keyPrefix(prefix).commandTimeout(TIMEOUT).build();
    }

    private static RedisKeyStore onCluster(RedisClusterClient client, String prefix) {
        return RedisKeyStore.builder().client(client).keyPrefix(prefix).commandTimeout(TIMEOUT).build();
    }

    /** Reads {@code connected_clients} from {@code INFO clients} over a connection of its own (counted, then closed). */
    private static long connectedClients(RedisClient client, RedisURI uri) {
        try (StatefulRedisConnection<String, String> c = client.connect(uri)) {
            String info = c.sync().info("clients");
            return info.lines().filter(l -> l.startsWith("connected_clients:"))
                    .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElseThrow();
        }
    }
}
