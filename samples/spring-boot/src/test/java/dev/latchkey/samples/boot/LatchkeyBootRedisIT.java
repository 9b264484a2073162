package dev.latchkey.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.QuotaInput;
import dev.latchkey.core.admin.RateLimitInput;
import dev.latchkey.samples.demo.DemoAppChecks;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Tests for the sample on a real Redis of its own, over real HTTP: the starter's servlet filter answers 200 / 401 /
 * 403 as API.md §5 says, rate limits and quotas answer with their headers and 429 / 403 problems (API.md §8),
 * {@code /actuator/health} shows the store up and down, and the application runs on the library versions
 * latchkey-bom manages (it is imported before Spring Boot's BOM).
 */
@WithRedis(isolated = true)
class LatchkeyBootRedisIT {

    private static ConfigurableApplicationContext app;
    private static URI base;
    private static KeyManager keys;

    @BeforeAll
    static void start(RedisServer redis) {
        app = new SpringApplicationBuilder(LatchkeyBootApplication.class)
                // Arguments, not default properties: application.properties would win over those.
                .run("--server.port=0", "--latchkey.redis-url=" + redis.uri(), "--spring.main.banner-mode=off");
        base = URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort());
        keys = new KeyManager(app.getBean(KeyStore.class), TokenCodec.defaults(), SecretHasher.forPepper(null),
                Clock.systemUTC(), Runnable::run);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void keysOnRedis_protectTheController() {
        assertThat(app.getBean(KeyStore.class).kind()).isEqualTo("redis");
        DemoAppChecks.checkApp(base, issue("redis reader", "reports:read"),
                issue("redis writer", "reports:read", "reports:write"), "acme");
        assertThat(app.getBean(MeterRegistry.class).find("latchkey.auth.requests").counters())
                .as("the filter's meters are on Boot's registry").isNotEmpty();
    }

    @Test
    void rateLimitedKey_allowedAnswersCarryRateLimitHeaders_thenA429Problem() {
        IssuedKey limited = keys.create(Actor.ROOT,
                CreateKeyRequest.named("k").withLimits(new RateLimitInput(2L, 3600L), null));

        for (int i = 1; i <= 2; i++) {
            HttpResponse<String> allowed = hello(limited.token());
            assertThat(allowed.statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(allowed.headers().firstValue("RateLimit-Policy")).as("request %d", i).isPresent();
            assertThat(allowed.headers().firstValue("RateLimit")).as("request %d", i).isPresent();
        }
        HttpResponse<String> refused = hello(limited.token());

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/problem+json");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                .isGreaterThanOrEqualTo(1);
        assertThat(refused.body()).contains("\"code\":\"rate_limited\"").contains("\"retry_after\":")
                .doesNotContain(limited.token());
    }

    @Test
    void spentPrepaidCredits_areA403QuotaExhaustedProblem() {
        IssuedKey prepaid = keys.create(Actor.ROOT,
                CreateKeyRequest.named("k").withLimits(null, new QuotaInput(1L, "none", null)));

        HttpResponse<String> allowed = hello(prepaid.token());
        HttpResponse<String> refused = hello(prepaid.token());

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("RateLimit")).hasValue("\"quota\";r=0");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
        assertThat(refused.body()).contains("\"code\":\"quota_exhausted\"");
    }

    @Test
    void health_showsTheStore_upAndDown(RedisServer redis) {
        assertThat(DemoAppChecks.get(base, "/actuator/health/latchkey", null).status()).isEqualTo(200);
        redis.stop();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(DemoAppChecks.get(base, "/actuator/health/latchkey", null).status()).isEqualTo(503));
        } finally {
            redis.start();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(DemoAppChecks.get(base, "/actuator/health/latchkey", null).status()).isEqualTo(200));
    }

    @Test
    void libraryVersions_areLatchkeyBoms_notBoots() {
        assertThat(RedisClient.class.getPackage().getImplementationVersion()).startsWith("7.7.0.RELEASE");
        assertThat(Caffeine.class.getPackage().getImplementationVersion()).isEqualTo("3.3.1");
        assertThat(MeterRegistry.class.getPackage().getImplementationVersion()).isEqualTo("1.17.2");
    }

    /** {@code GET /hello} with a bearer token, waiting longer than DemoAppChecks on a busy machine. */
    private static HttpResponse<String> hello(String token) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/hello")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build();
        try {
            return DemoAppChecks.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static DemoAppChecks.IssuedKey issue(String name, String... scopes) {
        IssuedKey issued = keys.create(Actor.ROOT,
                CreateKeyRequest.named(name).withTenant("acme").withScopes(List.of(scopes)));
        return new DemoAppChecks.IssuedKey(issued.key().id(), issued.token());
    }
}
