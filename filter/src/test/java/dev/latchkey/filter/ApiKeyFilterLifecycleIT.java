package dev.latchkey.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Configuration, issuer checks and shutdown of {@link ApiKeyFilter}. */
class ApiKeyFilterLifecycleIT {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private int status(WebServer server, String token) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(server.uri("/hello")).header("Authorization", "Bearer " + token).build();
        return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A plain FilterConfig, as a container hands one over. */
    private record Config(Map<String, String> params) implements FilterConfig {
        @Override
        public String getFilterName() {
            return "latchkey";
        }

        @Override
        public ServletContext getServletContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getInitParameter(String name) {
            return params.get(name);
        }

        @Override
        public Enumeration<String> getInitParameterNames() {
            return Collections.enumeration(params.keySet());
        }
    }

    @Test
    void init_withInvalidSetting_failsNamingIt() {
        assertThatThrownBy(() -> new ApiKeyFilter().init(new Config(Map.of("latchkey.cache.ttl", "60 seconds"))))
                .isInstanceOf(ServletException.class).hasMessageContaining("latchkey.cache.ttl");
        assertThatThrownBy(() -> new ApiKeyFilter().init(new Config(Map.of("latchkey.scopes", "GET reports x"))))
                .isInstanceOf(ServletException.class).hasMessageContaining("latchkey.scopes");
        assertThatThrownBy(() -> new ApiKeyFilter().init(new Config(Map.of("latchkey.trusted-proxies", "10.0.0.1/8"))))
                .isInstanceOf(ServletException.class).hasMessageContaining("latchkey.trusted-proxies");
        assertThatThrownBy(() -> new ApiKeyFilter().init(new Config(Map.of("latchkey.cache.tll", "PT1S"))))
                .isInstanceOf(ServletException.class).hasMessageContaining("latchkey.cache.tll");
        // In code, the setter itself refuses the value, naming the method called.
        assertThatThrownBy(() -> ApiKeyFilter.builder(new InMemoryKeyStore()).tokenPrefix("l_k"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("tokenPrefix:");
    }

    @Test
    void init_withPlaceholderWithoutValue_failsNamingIt() {
        assertThatThrownBy(() -> new ApiKeyFilter().init(new Config(
                Map.of("latchkey.redis-url", "${LATCHKEY_NO_SUCH_VARIABLE_FOR_TESTS}"))))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("latchkey.redis-url").hasMessageContaining("LATCHKEY_NO_SUCH_VARIABLE_FOR_TESTS");
    }

    @Test
    void init_withoutStoreOrUrl_failsNamingRedisUrl() {
        assertThatThrownBy(() -> new ApiKeyFilter().init(new Config(
                Map.of("latchkey.redis-url", "${LATCHKEY_NO_SUCH_VARIABLE_FOR_TESTS:}"))))
                .isInstanceOf(ServletException.class).hasMessageContaining("latchkey.redis-url");
        assertThatThrownBy(() -> new ApiKeyFilter().init(new Config(Map.of("latchkey.redis-url", "mongodb://x"))))
                .isInstanceOf(ServletException.class).hasMessageContaining("latchkey.redis-url");
    }

    @Test
    void wrongPepperOrPrefix_rejectsEveryToken_andSaysWhyAtInit() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(ApiKeyFilter.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try (InMemoryKeyStore store = new InMemoryKeyStore()) {
            SecretHasher issuerHasher = SecretHasher.hmac("issuer-pepper");
            store.initSetting(KeyStore.HASHER_CHECK, issuerHasher.checkValue());
            store.initSetting(KeyStore.TOKEN_PREFIX, "lk");
            IssuedKey key = new KeyManager(store, TokenCodec.defaults(), issuerHasher, Clock.systemUTC(), Runnable::run)
                    .create(Actor.ROOT, CreateKeyRequest.named("k"));
            try (WebServer right = WebServer.jetty(ApiKeyFilter.builder(store).pepper("issuer-pepper")
                    .meterRegistry(new SimpleMeterRegistry()).build(), Map.of())) {
                assertThat(status(right, key.token())).isEqualTo(200);
            }
            assertThat(appender.list).noneMatch(e -> e.getFormattedMessage().contains("every"));
            try (WebServer wrongPepper = WebServer.jetty(ApiKeyFilter.builder(store).pepper("other-pepper")
                    .meterRegistry(new SimpleMeterRegistry()).build(), Map.of());
                 WebServer wrongPrefix = WebServer.tomcat(ApiKeyFilter.builder(store).pepper("issuer-pepper")
                         .tokenPrefix("acme").meterRegistry(new SimpleMeterRegistry()).build(), Map.of())) {
                assertThat(status(wrongPepper, key.token())).isEqualTo(401);
                assertThat(status(wrongPrefix, key.token())).isEqualTo(401);
            }
            assertThat(appender.list).anyMatch(e -> e.getFormattedMessage().contains("latchkey.pepper"));
            assertThat(appender.list).anyMatch(e -> e.getFormattedMessage().contains("latchkey.token-prefix"));
            assertThat(appender.list).noneMatch(e -> e.getFormattedMessage().contains("issuer-pepper"));
        } finally {
            log.detachAppender(appender);
        }
    }

    @Test
    void destroy_flushesUsage_stopsThreads_removesMeters() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (InMemoryKeyStore store = new InMemoryKeyStore()) {
            IssuedKey key = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                    Runnable::run).create(Actor.ROOT, CreateKeyRequest.named("k"));
            ApiKeyFilter filter = ApiKeyFilter.builder(store).meterRegistry(registry)
                    .usageFlushInterval(java.time.Duration.ofHours(1)).build();
            try (WebServer server = WebServer.tomcat(filter, Map.of())) {
                for (int i = 0; i < 3; i++) {
                    assertThat(status(server, key.token())).isEqualTo(200);
                }
                assertThat(registry.getMeters()).isNotEmpty();
                assertThat(store.find(key.key().id()).orElseThrow().usage().count()).isZero();
            }
            assertThat(store.find(key.key().id()).orElseThrow().usage().count()).isEqualTo(3);
            assertThat(registry.getMeters()).isEmpty();
            // the flush executor has terminated; its thread may take a moment to leave run()
            await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                    .noneMatch(t -> t.getName().equals("latchkey-usage-flush") && t.isAlive()));
        }
    }

    @Test
    void emptyApiKeyHeader_disablesTheSecondHeader_butAuthorizationStillWorks() throws Exception {
        try (InMemoryKeyStore store = new InMemoryKeyStore()) {
            IssuedKey key = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                    Runnable::run).create(Actor.ROOT, CreateKeyRequest.named("k"));
            try (WebServer server = WebServer.jetty(ApiKeyFilter.builder(store).apiKeyHeader("")
                    .meterRegistry(new SimpleMeterRegistry()).build(), Map.of())) {
                HttpRequest viaHeader = HttpRequest.newBuilder(server.uri("/hello")).header("X-API-Key", key.token())
                        .build();
                HttpResponse<String> r = http.send(viaHeader, HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(401);
                assertThat(r.body()).contains("missing").doesNotContain(key.token());
                assertThat(status(server, key.token())).isEqualTo(200);
                HttpRequest viaToken = HttpRequest.newBuilder(server.uri("/hello"))
                        .header("Authorization", "Token " + key.token()).build();
                assertThat(http.send(viaToken, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            }
        }
    }
}
