package dev.latchkey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.admin.AdminServer;
import dev.latchkey.core.KeyStore;
import dev.latchkey.redis.RedisKeyStore;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Usage history end to end (API.md §10): 8 threads send requests through two filter nodes (Jetty and Tomcat, each
 * with a Redis store of its own) that are admitted, refused by scope, refused by a rate limit, or carry a wrong
 * secret; after the nodes stop (a clean stop flushes), the admin service's {@code GET /v1/keys/{id}/usage} series
 * sums to exactly the requests of each outcome, and wrong secrets count nowhere.
 */
@WithRedis
@Tag("history")
class HistoryFilterIT {

    static final String ROOT = "history-root-token";
    static final int THREADS = 8;
    static final int PER_THREAD = 40;
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static RedisKeyStore store(RedisServer redis, String prefix) {
        return RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(5))
                .build();
    }

    static ApiKeyFilter filter(KeyStore store) {
        return ApiKeyFilter.builder(store).rule("GET", "/admin/**", "admin:all").cacheTtl(Duration.ofSeconds(2))
                .meterRegistry(new SimpleMeterRegistry()).build();
    }

    JsonNode admin(AdminServer server, String method, String path, @Nullable Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Authorization", "Bearer " + ROOT).timeout(Duration.ofSeconds(20));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + " " + r.body()).isLessThan(300);
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    int status(WebServer node, String path, String token) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(node.uri(path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(20)).build();
        return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * Sends {@value #THREADS} × {@value #PER_THREAD} requests for each token through both nodes, and returns per token
     * the responses seen: {valid, denied, rate_limited}.
     */
    List<long[]> traffic(List<WebServer> nodes, List<String> tokens) throws Exception {
        List<AtomicLongArray> seen = new ArrayList<>();
        tokens.forEach(t -> seen.add(new AtomicLongArray(3)));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        for (int k = 0; k < tokens.size(); k++) {
                            WebServer node = nodes.get((thread + i) % nodes.size());
                            String token = tokens.get(k);
                            String path = i % 4 == 3 ? "/admin/x" : "/hello";
                            if (i % 10 == 9) {
                                assertThat(status(node, "/hello", token.substring(0, token.length() - 5) + "AAAAA"))
                                        .isEqualTo(401);
                                continue;
                            }
                            int s = status(node, path, token);
                            switch (s) {
                                case 200 -> seen.get(k).incrementAndGet(0);
                                case 403 -> seen.get(k).incrementAndGet(1);
                                case 429 -> seen.get(k).incrementAndGet(2);
                                default -> throw new AssertionError("unexpected status " + s);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<long[]> out = new ArrayList<>();
        for (AtomicLongArray a : seen) {
            out.add(new long[] {a.get(0), a.get(1), a.get(2)});
        }
        return out;
    }

    /** Returns a key's series summed per outcome, at one granularity. */
    long[] sums(AdminServer server, String keyId, String granularity) throws Exception {
        JsonNode series = admin(server, "GET", "/v1/keys/" + keyId + "/usage?granularity=" + granularity, null)
                .get("series");
        long[] n = new long[3];
        series.forEach(b -> {
            n[0] += b.get("valid").asLong();
            n[1] += b.get("denied").asLong();
            n[2] += b.get("rate_limited").asLong();
        });
        return n;
    }

    @Test
    void eightThreadsThroughTwoNodes_seriesSumsToTheRequestsPerOutcome(RedisServer redis) throws Exception {
        String prefix = redis.uniqueKeyPrefix();
        try (RedisKeyStore adminStore = store(redis, prefix);
             AdminServer server = AdminServer.builder(adminStore).port(0).adminToken(ROOT).build().start()) {
            String tenant = "hist-" + System.nanoTime();
            String config = admin(server, "POST", "/v1/storage-configs",
                    Map.of("tenant_id", tenant, "kind", "redis", "retention_days", 7)).get("id").asText();
            Map<String, Object> defaults = new java.util.HashMap<>();
            defaults.put("rate_limit", null);
            defaults.put("quota", null);
            defaults.put("webhook_config", null);
            defaults.put("storage_config", config);
            admin(server, "PUT", "/v1/tenants/" + tenant + "/defaults", defaults);
            JsonNode open = admin(server, "POST", "/v1/keys", Map.of("name", "open", "tenant_id", tenant));
            JsonNode limited = admin(server, "POST", "/v1/keys", Map.of("name", "limited", "tenant_id", tenant,
                    "rate_limit", Map.of("limit", 60, "period_seconds", 3600)));

            List<long[]> seen;
            try (RedisKeyStore a = store(redis, prefix); RedisKeyStore b = store(redis, prefix)) {
                try (WebServer nodeA = WebServer.jetty(filter(a), Map.of());
                     WebServer nodeB = WebServer.tomcat(filter(b), Map.of())) {
                    seen = traffic(List.of(nodeA, nodeB), List.of(open.get("token").asText(),
                            limited.get("token").asText()));
                }
            }
            long[] openSeen = seen.get(0);
            long[] limitedSeen = seen.get(1);
            assertThat(openSeen[1]).isPositive();
            assertThat(limitedSeen[2]).isPositive();
            assertThat(limitedSeen[0]).isEqualTo(60);
            for (String g : List.of("minute", "hour", "day")) {
                assertThat(sums(server, open.get("id").asText(), g)).as(g).containsExactly(openSeen);
                assertThat(sums(server, limited.get("id").asText(), g)).as(g).containsExactly(limitedSeen);
            }
            JsonNode key = admin(server, "GET", "/v1/keys/" + open.get("id").asText(), null);
            assertThat(key.get("usage_count").asLong()).isEqualTo(openSeen[0]);
        }
    }
}
