package dev.latchkey.samples.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.RateLimitInput;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Tests for the Spring Security sample over real HTTP on a random port, on a real Redis: scopes through
 * {@code @PreAuthorize} and a request rule, Latchkey's 401, 403 and 429 problems, HTTP Basic on {@code /admin/**},
 * and the library versions its pom's properties ask for over those of {@code spring-boot-starter-parent}.
 */
@WithRedis
class SecuredReportsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String ADMIN_PASSWORD = "sample admin password";

    private static ConfigurableApplicationContext app;
    private static URI base;
    private static KeyManager keys;

    @BeforeAll
    static void start(RedisServer redis) {
        app = new SpringApplicationBuilder(SecuredReportsApplication.class)
                .run("--server.port=0", "--latchkey.redis-url=" + redis.uri(),
                        "--spring.security.user.password=" + ADMIN_PASSWORD, "--spring.main.banner-mode=off");
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
    void scopes_areAuthorities_forPreAuthorizeAndRequestRules() throws Exception {
        String reader = issue("reports:read");
        String writer = issue("reports:read", "reports:write");

        HttpResponse<String> hello = send("GET", "/hello", "Authorization", "Bearer " + reader);
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).contains("\"authorities\":[\"SCOPE_reports:read\"]");

        assertThat(send("POST", "/reports?title=q3", "Authorization", "Bearer " + writer).statusCode()).isEqualTo(201);
        assertThat(send("GET", "/reports", "X-API-Key", reader).body()).contains("\"title\":\"q3\"");

        HttpResponse<String> noWrite = send("POST", "/reports", "Authorization", "Bearer " + reader);
        assertThat(noWrite.statusCode()).isEqualTo(403);
        assertThat(noWrite.headers().firstValue("WWW-Authenticate")).get().asString()
                .contains("error=\"insufficient_scope\"").contains("scope=\"reports:write\"");

        HttpResponse<String> noRead = send("GET", "/reports", "Authorization", "Bearer " + issue("billing:read"));
        assertThat(noRead.statusCode()).isEqualTo(403);
        assertThat(noRead.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/problem+json");
        assertThat(noRead.body()).contains("\"code\":\"insufficient_scope\"").contains("reports:read");
    }

    @Test
    void missingOrUnknownKey_isLatchkeys401() throws Exception {
        HttpResponse<String> missing = send("GET", "/hello");
        HttpResponse<String> unknown = send("GET", "/hello", "Authorization", "Bearer lk_live_unknown");

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"latchkey\"");
        assertThat(missing.body()).contains("\"code\":\"unauthenticated\"");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("WWW-Authenticate")).get().asString().contains("invalid_token");
    }

    @Test
    void admin_signsInWithHttpBasic_onAdminPaths() throws Exception {
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> admin = send("GET", "/admin/reports/count", "Authorization", basic);
        HttpResponse<String> anonymous = send("GET", "/admin/reports/count");
        HttpResponse<String> key = send("GET", "/admin/reports/count", "Authorization", "Bearer " + issue("reports:read"));

        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("\"admin\":\"admin\"");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"admin\"");
        assertThat(key.statusCode()).as("an API key is not the admin").isEqualTo(403);
    }

    @Test
    void rateLimitedKey_getsRateLimitHeaders_thenLatchkeys429() throws Exception {
        String token = keys.create(Actor.ROOT, CreateKeyRequest.named("limited").withTenant("acme")
                .withScopes(List.of("reports:read")).withLimits(new RateLimitInput(2L, 3600L), null)).token();

        for (int i = 1; i <= 2; i++) {
            HttpResponse<String> allowed = send("GET", "/reports", "Authorization", "Bearer " + token);
            assertThat(allowed.statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(allowed.headers().firstValue("RateLimit-Policy")).as("request %d", i).isPresent();
            assertThat(allowed.headers().firstValue("RateLimit")).as("request %d", i).isPresent();
        }
        HttpResponse<String> refused = send("GET", "/reports", "Authorization", "Bearer " + token);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/problem+json");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                .isGreaterThanOrEqualTo(1);
        assertThat(refused.body()).contains("\"code\":\"rate_limited\"").contains("\"retry_after\":");
    }

    @Test
    void libraryVersions_areThePomsProperties_notBootsParents() {
        assertThat(RedisClient.class.getPackage().getImplementationVersion()).startsWith("7.7.0.RELEASE");
        assertThat(Caffeine.class.getPackage().getImplementationVersion()).isEqualTo("3.3.1");
        assertThat(MeterRegistry.class.getPackage().getImplementationVersion()).isEqualTo("1.17.2");
    }

    private static String issue(String... scopes) {
        return keys.create(Actor.ROOT, CreateKeyRequest.named("sample").withTenant("acme")
                .withScopes(List.of(scopes))).token();
    }

    private static HttpResponse<String> send(String method, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
