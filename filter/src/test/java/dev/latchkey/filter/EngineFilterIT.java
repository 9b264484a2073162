package dev.latchkey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.RateLimitInput;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.Authenticator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link ApiKeyFilter#builder(dev.latchkey.engine.Authenticator)}: a filter on an engine the caller owns. */
class EngineFilterIT {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(WebServer server, String token) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(server.uri("/hello")).header("Authorization", "Bearer " + token).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static KeyManager manager(InMemoryKeyStore store) {
        return new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(), Runnable::run);
    }

    @Test
    void engineFilter_usesTheCallersEngine_andLeavesItOpenAtDestroy() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (InMemoryKeyStore store = new InMemoryKeyStore();
             Authenticator engine = Authenticator.builder(store)
                     .settings(AuthSettings.builder().scopes("GET /hello reports:read").build())
                     .meterRegistry(registry).build()) {
            IssuedKey reader = manager(store).create(Actor.ROOT,
                    CreateKeyRequest.named("reader").withScopes(java.util.List.of("reports:read")));
            IssuedKey other = manager(store).create(Actor.ROOT, CreateKeyRequest.named("other"));
            try (WebServer server = WebServer.tomcat(ApiKeyFilter.builder(engine).build(), Map.of())) {
                HttpResponse<String> granted = get(server, reader.token());
                assertThat(granted.statusCode()).isEqualTo(200);
                assertThat(granted.body()).contains("principal=" + reader.key().id()).contains("authType=API_KEY");
                HttpResponse<String> refused = get(server, other.token());
                assertThat(refused.statusCode()).as("the engine's route rules apply").isEqualTo(403);
                assertThat(refused.body()).contains("\"code\":\"insufficient_scope\"");
            }
            assertThat(engine.cache().estimatedSize()).as("the engine's own cache served the filter").isPositive();
            assertThat(registry.getMeters()).as("destroy left the owner's meters").isNotEmpty();
            assertThat(engine.authenticateToken(reader.token(), "127.0.0.1"))
                    .as("destroy left the owner's engine open").isInstanceOf(dev.latchkey.engine.Allow.class);
        }
    }

    @Test
    void engineFilter_answers503_onceTheOwnerClosedTheEngine() throws Exception {
        try (InMemoryKeyStore store = new InMemoryKeyStore()) {
            Authenticator engine = Authenticator.builder(store).build();
            IssuedKey key = manager(store).create(Actor.ROOT, CreateKeyRequest.named("k"));
            try (WebServer server = WebServer.jetty(ApiKeyFilter.builder(engine).build(), Map.of())) {
                assertThat(get(server, key.token()).statusCode()).isEqualTo(200);
                engine.close();
                HttpResponse<String> closed = get(server, key.token());
                assertThat(closed.statusCode()).isEqualTo(503);
                assertThat(closed.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(closed.body()).contains("\"code\":\"store_unavailable\"").doesNotContain(key.token());
            }
        }
    }

    @Test
    void engineFilter_setsRateLimitHeaders_andAnswers429AsAProblem() throws Exception {
        try (InMemoryKeyStore store = new InMemoryKeyStore();
             Authenticator engine = Authenticator.builder(store).build()) {
            IssuedKey key = manager(store).create(Actor.ROOT,
                    CreateKeyRequest.named("k").withLimits(new RateLimitInput(2L, 3600L), null));
            try (WebServer server = WebServer.tomcat(ApiKeyFilter.builder(engine).build(), Map.of())) {
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> ok = get(server, key.token());
                    assertThat(ok.statusCode()).isEqualTo(200);
                    assertThat(ok.headers().firstValue("RateLimit-Policy")).isPresent();
                    assertThat(ok.headers().firstValue("RateLimit")).isPresent();
                }
                HttpResponse<String> limited = get(server, key.token());
                assertThat(limited.statusCode()).isEqualTo(429);
                assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isPositive();
                assertThat(limited.headers().firstValue("Content-Type")).get().asString()
                        .startsWith("application/problem+json");
                assertThat(limited.body()).contains("\"code\":\"rate_limited\"").contains("\"retry_after\":");
            }
        }
    }
}
