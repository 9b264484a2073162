package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tests for the gateway on Redis, set up from the environment as {@code java -jar latchkey-gateway.jar} is
 * ({@code LATCHKEY_REDIS_URL} opened through {@code KeyStoreProvider}): keys issued into Redis are judged, usage
 * reaches Redis, an admin change reaches the gateway, and a Redis outage is a 503 for keys it has not cached. Redis
 * is this class's own process, stopped by the last test.
 */
@WithRedis(isolated = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayRedisIT {

    KeyStore store;
    KeyManager manager;
    GatewayServer gateway;

    @BeforeAll
    void start(RedisServer redis) {
        GatewaySettings settings = GatewaySettings.fromEnvironment(Map.of("LATCHKEY_REDIS_URL", redis.uri(),
                "LATCHKEY_GATEWAY_PORT", "0", "LATCHKEY_PEPPER", Fixtures.PEPPER, "LATCHKEY_SCOPES", Fixtures.RULES,
                "LATCHKEY_EXCLUDE", Fixtures.EXCLUDE));
        store = settings.openStore(null);
        manager = Fixtures.manager(store);
        gateway = GatewayServer.start(settings, store, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (store != null) {
            store.close();
        }
    }

    RawHttp.Reply ask(String method, String uri, String token) throws Exception {
        return RawHttp.send(gateway.port(), "GET", "/v1/authorize", "X-Forwarded-Method: " + method,
                "X-Forwarded-Uri: " + uri, "Authorization: Bearer " + token);
    }

    @Test
    @Order(1)
    void redisKey_allowedAndCountedInRedis() throws Exception {
        assertThat(store.kind()).isEqualTo("redis");
        IssuedKey k = Fixtures.key(manager, "reports:read");
        assertThat(ask("GET", "/reports/1", k.token()).status()).isEqualTo(200);
        assertThat(ask("GET", "/reports/2", k.token()).status()).isEqualTo(200);
        assertThat(ask("POST", "/reports/2", k.token()).status()).isEqualTo(403);
        gateway.engine().usage().flush();
        assertThat(store.find(k.key().id()).orElseThrow().usage().count()).isEqualTo(2);
    }

    @Test
    @Order(2)
    void deletedKey_isRefusedByTheGatewayAtOnce() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        assertThat(ask("GET", "/reports/1", k.token()).status()).isEqualTo(200);
        manager.delete(dev.latchkey.core.admin.Actor.ROOT, k.key().id());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ask("GET", "/reports/1", k.token()).status() == 401);
    }

    @Test
    @Order(3)
    void redisDown_503ForUncachedKeys_cachedKeysStillServed_healthDown(RedisServer redis) throws Exception {
        IssuedKey cached = Fixtures.key(manager, "reports:read");
        IssuedKey fresh = Fixtures.key(manager, "reports:read");
        assertThat(ask("GET", "/reports/1", cached.token()).status()).isEqualTo(200);
        redis.stop();
        RawHttp.Reply down = ask("GET", "/reports/1", fresh.token());
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.header("Retry-After")).isEqualTo("1");
        assertThat(ask("GET", "/reports/1", cached.token()).status()).isEqualTo(200);
        assertThat(RawHttp.send(gateway.port(), "GET", "/health").status()).isEqualTo(503);
    }
}
