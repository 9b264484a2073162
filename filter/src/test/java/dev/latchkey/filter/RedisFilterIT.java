package dev.latchkey.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.redis.RedisKeyStore;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two filters ("nodes", one on Jetty and one on Tomcat) on one real Redis, each with a store of its own: what one
 * node's admin changes, the other denies within a bounded time; usage from both adds up.
 */
@WithRedis
class RedisFilterIT {

    private static final Duration PROPAGATION = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static RedisKeyStore store(RedisServer redis, String prefix) {
        return RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix)
                .reconnectDelayMax(Duration.ofMillis(200)).build();
    }

    private static KeyManager manager(RedisKeyStore store) {
        return new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(), Runnable::run);
    }

    private static ApiKeyFilter filter(RedisKeyStore store) {
        return ApiKeyFilter.builder(store).meterRegistry(new SimpleMeterRegistry()).build();
    }

    private int status(WebServer server, IssuedKey key) throws Exception {
        return status(server, key.token());
    }

    private int status(WebServer server, String token) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(server.uri("/hello")).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void statusChangeAndForcedRotationOnOneNode_areDeniedByTheOther(RedisServer redis) throws Exception {
        String prefix = redis.uniqueKeyPrefix();
        try (RedisKeyStore a = store(redis, prefix); RedisKeyStore b = store(redis, prefix);
             WebServer nodeA = WebServer.jetty(filter(a), Map.of());
             WebServer nodeB = WebServer.tomcat(filter(b), Map.of())) {
            KeyManager admin = manager(a);
            IssuedKey key = admin.create(Actor.ROOT, CreateKeyRequest.named("two nodes"));
            assertThat(status(nodeA, key)).isEqualTo(200);
            assertThat(status(nodeB, key)).isEqualTo(200);

            admin.setStatus(Actor.ROOT, key.key().id(), "inactive", null, null);
            await().atMost(PROPAGATION).untilAsserted(() -> assertThat(status(nodeB, key)).isEqualTo(401));
            assertThat(status(nodeA, key)).isEqualTo(401);

            admin.setStatus(Actor.ROOT, key.key().id(), "active", null, null);
            await().atMost(PROPAGATION).untilAsserted(() -> assertThat(status(nodeB, key)).isEqualTo(200));

            IssuedKey rotated = admin.rotate(Actor.ROOT, key.key().id(), true, null);
            await().atMost(PROPAGATION).untilAsserted(() -> assertThat(status(nodeB, key)).isEqualTo(401));
            assertThat(status(nodeB, rotated)).isEqualTo(200);
            assertThat(status(nodeA, key)).isEqualTo(401);
        }
    }

    @Test
    void keyCreatedOnOneNode_worksOnTheOtherAfterANegativeLookup(RedisServer redis) throws Exception {
        String prefix = redis.uniqueKeyPrefix();
        try (RedisKeyStore a = store(redis, prefix); RedisKeyStore b = store(redis, prefix);
             WebServer nodeB = WebServer.tomcat(filter(b), Map.of())) {
            String imported = "imported-token-" + System.nanoTime();
            assertThat(status(nodeB, imported)).isEqualTo(401); // remembered as unknown for negative-ttl
            manager(a).create(Actor.ROOT, CreateKeyRequest.named("late").withToken(imported));
            await().atMost(PROPAGATION).untilAsserted(() -> assertThat(status(nodeB, imported)).isEqualTo(200));
        }
    }

    @Test
    void usageFromBothNodes_addsUpAfterDestroy(RedisServer redis) throws Exception {
        String prefix = redis.uniqueKeyPrefix();
        try (RedisKeyStore a = store(redis, prefix); RedisKeyStore b = store(redis, prefix)) {
            IssuedKey key = manager(a).create(Actor.ROOT, CreateKeyRequest.named("usage"));
            try (WebServer nodeA = WebServer.jetty(filter(a), Map.of());
                 WebServer nodeB = WebServer.tomcat(filter(b), Map.of())) {
                for (int i = 0; i < 7; i++) {
                    assertThat(status(nodeA, key)).isEqualTo(200);
                }
                for (int i = 0; i < 5; i++) {
                    assertThat(status(nodeB, key)).isEqualTo(200);
                }
            }
            assertThat(a.find(key.key().id()).orElseThrow().usage().count()).isEqualTo(12);
        }
    }

    @Test
    void filterConfiguredByRedisUrl_opensAndUsesItsOwnStore(RedisServer redis) throws Exception {
        try (RedisKeyStore issuer = RedisKeyStore.builder().uri(redis.uri(3)).build()) {
            IssuedKey key = manager(issuer).create(Actor.ROOT, CreateKeyRequest.named("by url"));
            System.setProperty("LATCHKEY_TEST_FILTER_REDIS", redis.uri(3));
            try (WebServer node = WebServer.tomcat(null,
                    Map.of("latchkey.redis-url", "${LATCHKEY_TEST_FILTER_REDIS}", "latchkey.usage.flush-interval", "PT0S"))) {
                assertThat(status(node, key)).isEqualTo(200);
            } finally {
                System.clearProperty("LATCHKEY_TEST_FILTER_REDIS");
            }
            assertThat(issuer.find(key.key().id()).orElseThrow().usage().count()).isEqualTo(1);
        }
    }

    /** Names of live threads that Lettuce, Netty or Latchkey start. */
    private static java.util.Set<String> storeThreads() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName().toLowerCase(java.util.Locale.ROOT);
            if (t.isAlive() && (n.contains("lettuce") || n.contains("netty") || n.contains("eventloop")
                    || n.contains("latchkey") || n.contains("globaleventexecutor"))) {
                names.add(t.getName() + "#" + t.getId());
            }
        }
        return names;
    }

    @Test
    void filterConfiguredByRedisUrl_stopsEveryThreadItStarted_onDestroy(RedisServer redis) throws Exception {
        java.util.Set<String> before = storeThreads();
        try (RedisKeyStore issuer = RedisKeyStore.builder().uri(redis.uri(4)).build()) {
            IssuedKey key = manager(issuer).create(Actor.ROOT, CreateKeyRequest.named("threads"));
            java.util.Set<String> withIssuer = storeThreads();
            try (WebServer node = WebServer.jetty(null, Map.of("latchkey.redis-url", redis.uri(4)))) {
                assertThat(status(node, key.token())).isEqualTo(200);
                assertThat(storeThreads()).as("the filter's own Lettuce threads").isNotEqualTo(withIssuer);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(storeThreads())
                    .as("threads left by the destroyed filter").isSubsetOf(withIssuer));
            assertThat(issuer.find(key.key().id()).orElseThrow().usage().count()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(storeThreads()).isSubsetOf(before));
    }
}
