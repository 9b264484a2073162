package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.spring.boot.apps.DefaultChainApp;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Tests for the store's health contributor under {@code /actuator/health} on a Redis of its own that the test stops
 * and starts, in an application that relies on the starter's own security chain.
 */
@WithRedis(isolated = true)
class LatchkeyHealthIT {

    private static ConfigurableApplicationContext app;
    private static URI base;

    @BeforeAll
    static void start(RedisServer redis) {
        app = new SpringApplicationBuilder(DefaultChainApp.class)
                .properties("server.port=0", "server.address=127.0.0.1", "latchkey.redis-url=" + redis.uri(),
                        "latchkey.exclude=/actuator/health/**", "management.endpoint.health.show-components=always",
                        "management.endpoint.health.show-details=always", "spring.main.banner-mode=off")
                .run();
        base = URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void health_isUpWithRedis_downWithout_andUpAgain(RedisServer redis) {
        HttpResponse<String> up = Http.get(base, "/actuator/health/latchkey");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"status\":\"UP\"").contains("\"store\":\"redis\"")
                .doesNotContain(redis.uri());

        redis.stop();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> down = Http.get(base, "/actuator/health/latchkey");
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body()).contains("\"status\":\"DOWN\"");
            });
            assertThat(Http.get(base, "/actuator/health").statusCode()).as("the whole health is down").isEqualTo(503);
        } finally {
            redis.start();
        }

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Http.get(base, "/actuator/health/latchkey").statusCode()).isEqualTo(200));
    }

    @Test
    void defaultChain_needsAKey_exceptOnExcludedPaths() {
        IssuedKey key = new Keys(app.getBean(KeyStore.class)).issue("acme", "reports:read");

        assertThat(Http.get(base, "/hello").statusCode()).isEqualTo(401);
        assertThat(Http.get(base, "/hello").headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"latchkey\"");
        assertThat(Http.get(base, "/hello", "Authorization", Http.bearer(key.token())).body())
                .contains("SCOPE_reports:read");
        assertThat(Http.get(base, "/nowhere").statusCode()).as("an unknown path needs a key first").isEqualTo(401);
        assertThat(Http.get(base, "/actuator/health").statusCode()).isIn(200, 503);
    }
}
