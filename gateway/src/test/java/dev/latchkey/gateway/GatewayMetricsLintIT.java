package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.testkit.Promtool;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tests for the gateway's {@code /metrics} (issue #19): after allowed, denied and rate-limited asks, Prometheus's own
 * linter ({@code promtool check metrics}) finds nothing to say about the scrape of the launcher's registry.
 */
@WithRedis
class GatewayMetricsLintIT {

    private static final Map<String, String> ENV = Map.of("LATCHKEY_GATEWAY_PORT", "0",
            "LATCHKEY_PEPPER", Fixtures.PEPPER, "LATCHKEY_SCOPES", Fixtures.RULES, "LATCHKEY_EXCLUDE", Fixtures.EXCLUDE,
            "LATCHKEY_AUTH_FAILURE_LIMIT", "2");

    @Test
    void metrics_inMemory_afterTraffic_passPromtoolCheckMetrics() throws Exception {
        String scrape = scrapeAfterTraffic(ENV);
        Files.writeString(Path.of("target", "gateway-metrics.txt"), scrape);
        Promtool.assertClean(scrape);
    }

    @Test // the Redis store adds Lettuce's command latency meters to the same registry
    void metrics_onRedis_afterTraffic_passPromtoolCheckMetrics(RedisServer redis) throws Exception {
        Map<String, String> env = new HashMap<>(ENV);
        env.put("LATCHKEY_REDIS_URL", redis.uri());
        String scrape = scrapeAfterTraffic(env);
        Files.writeString(Path.of("target", "gateway-metrics-redis.txt"), scrape);
        assertThat(scrape).contains("lettuce_");
        Promtool.assertClean(scrape);
    }

    /** Starts the gateway as {@code java -jar} does, sends allowed, denied and rate-limited asks, scrapes. */
    private static String scrapeAfterTraffic(Map<String, String> env) throws Exception {
        try (GatewayMain.Running running = GatewayMain.start(env, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8))) {
            int port = running.server().port();
            KeyManager manager = Fixtures.manager(running.store());
            IssuedKey limited = Fixtures.rateLimitedKey(manager, 1, "reports:read");
            IssuedKey writer = Fixtures.key(manager, "reports:write");
            IssuedKey fresh = Fixtures.key(manager, "reports:read");
            String wrong = "Authorization: Bearer " + writer.token().substring(0, writer.token().length() - 2) + "zz";
            String[] auth = {"Authorization: Bearer " + limited.token()};
            int[] statuses = {
                ask(port, "127.0.0.1", "GET", "/reports/1", auth), // allowed
                ask(port, "127.0.0.1", "GET", "/reports/1", auth), // rate limited
                ask(port, "127.0.0.1", "GET", "/reports/1", "Authorization: Bearer " + writer.token()), // scope
                ask(port, "127.0.0.1", "GET", "/public/x"), // excluded
                ask(port, "127.0.0.1", "GET", "/reports/1"), // no key
                ask(port, "127.0.0.1", "GET", "/reports/1", "Authorization: Bearer lk_live_nonsense"), // malformed
                ask(port, "127.0.0.1", "GET", "/reports/1", wrong),
                ask(port, "127.0.0.1", "GET", "/reports/1", wrong),
                ask(port, "127.0.0.1", "GET", "/reports/1", "Authorization: Bearer " + fresh.token()), // throttled
                ask(port, "127.0.0.1", "GET", "/a/%2F/b"), // bad path
            };
            assertThat(statuses).containsExactly(200, 429, 403, 200, 401, 401, 401, 401, 429, 400);
            running.server().engine().usage().flush();
            RawHttp.Reply r = RawHttp.send(port, "GET", "/metrics");
            assertThat(r.status()).isEqualTo(200);
            String scrape = r.body();
            assertThat(scrape).contains("latchkey_auth_requests_total{outcome=\"valid\"}")
                    .contains("latchkey_auth_requests_total{outcome=\"rate_limited\"}");
            return scrape;
        }
    }

    private static int ask(int port, String from, String method, String uri, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "X-Forwarded-Method: " + method;
        all[1] = "X-Forwarded-Uri: " + uri;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return RawHttp.send(from, port, "GET", "/v1/authorize", all).status();
    }
}
