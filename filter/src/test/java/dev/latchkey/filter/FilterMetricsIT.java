package dev.latchkey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The meters of API.md §6 per filter: names, the global registry default, two filters in one JVM, destroy. */
class FilterMetricsIT {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final IssuedKey key = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(),
            Clock.systemUTC(), Runnable::run).create(Actor.ROOT, CreateKeyRequest.named("metrics"));

    private int status(WebServer server) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(server.uri("/hello")).header("Authorization", "Bearer " + key.token())
                .build();
        return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Returns the valid count of the filter whose {@code filter} tag is {@code filterTag} (null: untagged). */
    private static double valid(SimpleMeterRegistry registry, @Nullable String filterTag) {
        return registry.get("latchkey.auth.requests").tag("outcome", "valid").counters().stream()
                .filter(c -> Objects.equals(c.getId().getTag("filter"), filterTag)).findFirst().orElseThrow().count();
    }

    @Test
    void twoFiltersOnOneRegistry_neverShareCounters_andDestroyingOneKeepsTheOthersMeters() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WebServer first = WebServer.jetty(ApiKeyFilter.builder(store).meterRegistry(registry).build(), Map.of());
        try (WebServer second = WebServer.tomcat(ApiKeyFilter.builder(store).meterRegistry(registry).build(),
                Map.of())) {
            assertThat(status(first)).isEqualTo(200);
            assertThat(status(first)).isEqualTo(200);
            assertThat(status(second)).isEqualTo(200);
            assertThat(valid(registry, null)).isEqualTo(2);
            assertThat(valid(registry, "latchkey")).isEqualTo(1);
            assertThat(registry.get("cache.gets").tag("cache", "latchkey.keys").tag("filter", "latchkey")
                    .meters()).isNotEmpty();

            first.close();
            assertThat(registry.find("latchkey.auth.requests").meters())
                    .allMatch(m -> "latchkey".equals(m.getId().getTag("filter")));
            assertThat(status(second)).isEqualTo(200);
            assertThat(valid(registry, "latchkey")).isEqualTo(2);
            assertThat(registry.get("cache.gets").tag("cache", "latchkey.keys").tag("filter", "latchkey")
                    .meters()).isNotEmpty();
            assertThat(registry.find("latchkey.usage.pending").gauges()).hasSize(1);
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void filterWithoutRegistry_usesTheGlobalRegistry_underTheNamesOfSection6_andDestroyRemovesThem()
            throws Exception {
        SimpleMeterRegistry app = new SimpleMeterRegistry();
        Metrics.addRegistry(app);
        try {
            try (WebServer server = WebServer.tomcat(ApiKeyFilter.builder(store).build(), Map.of())) {
                assertThat(status(server)).isEqualTo(200);
                assertThat(app.get("latchkey.auth.requests").tag("outcome", "valid").counter().count()).isEqualTo(1);
                for (String name : List.of("latchkey.auth.duration", "latchkey.usage.pending",
                        "latchkey.usage.flushes", "latchkey.cache.invalidations", "latchkey.auth.previous_token")) {
                    assertThat(app.find(name).meters()).as(name).isNotEmpty();
                }
                assertThat(app.get("cache.gets").tag("cache", "latchkey.keys").meters()).isNotEmpty();
                for (Meter m : app.getMeters()) {
                    assertThat(m.getId().getTag("filter")).as(m.getId().getName()).isNull();
                }
            }
            assertThat(Metrics.globalRegistry.getMeters())
                    .noneMatch(m -> m.getId().getName().startsWith("latchkey.")
                            || "latchkey.keys".equals(m.getId().getTag("cache")));
        } finally {
            Metrics.removeRegistry(app);
            app.close();
            store.close();
        }
    }
}
