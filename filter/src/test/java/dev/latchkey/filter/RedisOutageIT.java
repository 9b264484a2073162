package dev.latchkey.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.engine.FakeTicker;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Redis killed under a running filter: cached keys keep working, uncached ones get 503, then it recovers. */
@WithRedis(isolated = true)
class RedisOutageIT {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private int status(WebServer server, IssuedKey key) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(server.uri("/hello")).header("Authorization", "Bearer " + key.token())
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void redisKilled_cachedKeysServedStale_uncachedGet503_thenRecovers(RedisServer redis) throws Exception {
        Assumptions.assumeTrue(redis.restartable(), "needs a Redis this JVM can stop");
        FakeTicker ticker = new FakeTicker();
        try (RedisKeyStore store = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(redis.uniqueKeyPrefix())
                .reconnectDelayMax(Duration.ofMillis(200)).commandTimeout(Duration.ofMillis(500)).build();
             WebServer node = WebServer.jetty(ApiKeyFilter.builder(store).ticker(ticker)
                     .meterRegistry(new SimpleMeterRegistry()).build(), Map.of())) {
            KeyManager admin = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                    Runnable::run);
            IssuedKey cached = admin.create(Actor.ROOT, CreateKeyRequest.named("cached"));
            IssuedKey uncached = admin.create(Actor.ROOT, CreateKeyRequest.named("uncached"));
            assertThat(status(node, cached)).isEqualTo(200);

            redis.stop();
            ticker.advance(Duration.ofSeconds(61)); // past the ttl: only stale-if-error can serve it now
            assertThat(status(node, cached)).isEqualTo(200);
            assertThat(status(node, uncached)).isEqualTo(503);

            redis.start(); // no persistence: the restarted server is empty
            IssuedKey fresh = await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> admin.create(Actor.ROOT, CreateKeyRequest.named("after")), k -> true);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status(node, fresh)).isEqualTo(200));
            ticker.advance(Duration.ofSeconds(2));
            assertThat(status(node, uncached)).isEqualTo(401); // the store answers again: gone, not unavailable
        }
    }
}
