package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.QuotaInput;
import dev.latchkey.core.admin.RateLimitInput;
import dev.latchkey.spring.boot.apps.SecuredApp;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Tests for the Spring Security integration over real HTTP on a random port, on a real Redis: a key becomes an
 * {@code Authentication} with {@code SCOPE_} authorities, {@code @PreAuthorize} and request rules refuse with
 * Latchkey's 403 problem, a missing or bad key gets Latchkey's 401, rate limits and quotas answer with their headers
 * and Latchkey's 429 and 403 problems, and HTTP Basic serves {@code /admin/**} on the same chain.
 */
@WithRedis
class LatchkeySecurityIT {

    private static ConfigurableApplicationContext app;
    private static URI base;
    private static Keys keys;

    @BeforeAll
    static void start(RedisServer redis) {
        app = new SpringApplicationBuilder(SecuredApp.class)
                .properties("server.port=0", "server.address=127.0.0.1", "latchkey.redis-url=" + redis.uri(),
                        "latchkey.exclude=/status", "latchkey.scopes=DELETE /reports/** reports:delete",
                        "spring.main.banner-mode=off")
                .run();
        base = URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort());
        keys = new Keys(app.getBean(KeyStore.class));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void validKey_isAnAuthentication_withScopeAuthorities() {
        IssuedKey key = keys.issue("acme", "reports:read", "billing:read");

        HttpResponse<String> answer = Http.get(base, "/hello", "Authorization", Http.bearer(key.token()));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"name\":\"" + key.key().id() + "\"")
                .contains("\"principal\":\"ApiKeyPrincipal\"")
                .contains("\"authorities\":[\"SCOPE_billing:read\",\"SCOPE_reports:read\"]")
                .doesNotContain(key.token());
    }

    @Test
    void apiKeyHeader_authenticatesToo() {
        IssuedKey key = keys.issue("acme");
        assertThat(Http.get(base, "/hello", "X-API-Key", key.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void noKey_isLatchkeys401Problem() {
        HttpResponse<String> answer = Http.get(base, "/hello", "X-Request-Id", "req-123");

        assertThat(answer.statusCode()).isEqualTo(401);
        assertProblemHeaders(answer);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"latchkey\"");
        assertThat(answer.headers().firstValue("X-Request-Id")).hasValue("req-123");
        assertThat(answer.body()).contains("\"code\":\"unauthenticated\"").contains("\"detail\":\"missing:")
                .contains("\"request_id\":\"req-123\"").contains("\"instance\":\"/hello\"");
    }

    @Test
    void unknownKey_is401InvalidToken() {
        HttpResponse<String> answer = Http.get(base, "/hello", "Authorization", "Bearer lk_live_nope");

        assertThat(answer.statusCode()).isEqualTo(401);
        assertProblemHeaders(answer);
        assertThat(answer.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"latchkey\", error=\"invalid_token\"");
        assertThat(answer.body()).contains("\"code\":\"unauthenticated\"");
    }

    @Test
    void preAuthorize_grantsAKeyWithTheScope() {
        IssuedKey reader = keys.issue("acme", "reports:read");

        HttpResponse<String> answer = Http.get(base, "/reports", "Authorization", Http.bearer(reader.token()));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"tenant\":\"acme\"}");
    }

    @Test
    void preAuthorize_refusesAKeyWithoutTheScope_asLatchkeys403() {
        IssuedKey writer = keys.issue("acme", "reports:write");

        HttpResponse<String> answer = Http.get(base, "/reports", "Authorization", Http.bearer(writer.token()));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertProblemHeaders(answer);
        assertThat(answer.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"latchkey\", error=\"insufficient_scope\", scope=\"reports:read\"");
        assertThat(answer.body()).contains("\"code\":\"insufficient_scope\"")
                .contains("\"detail\":\"insufficient_scope: this request needs reports:read\"");
    }

    @Test
    void requestMatcherHasAuthority_refusesAndGrantsByScope() {
        IssuedKey reader = keys.issue("acme", "reports:read");
        IssuedKey writer = keys.issue("acme", "reports:write");

        HttpResponse<String> refused = Http.call(base, "POST", "/reports", "Authorization", Http.bearer(reader.token()));
        HttpResponse<String> granted = Http.call(base, "POST", "/reports", "Authorization", Http.bearer(writer.token()));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertProblemHeaders(refused);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).get().asString()
                .contains("scope=\"reports:write\"");
        assertThat(granted.statusCode()).isEqualTo(200);
    }

    @Test
    void latchkeyRouteRules_stillApplyUnderSecurity() {
        IssuedKey reader = keys.issue("acme", "reports:read");

        HttpResponse<String> answer = Http.call(base, "DELETE", "/reports/1", "Authorization",
                Http.bearer(reader.token()));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("\"code\":\"insufficient_scope\"").contains("reports:delete");
    }

    @Test
    void basicAdmin_andApiKeys_shareOneChain() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + SecuredApp.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        IssuedKey key = keys.issue("acme", "reports:read");

        HttpResponse<String> admin = Http.get(base, "/admin/stats", "Authorization", basic);
        HttpResponse<String> anonymous = Http.get(base, "/admin/stats");
        HttpResponse<String> keyOnAdmin = Http.get(base, "/admin/stats", "Authorization", Http.bearer(key.token()));
        HttpResponse<String> adminOnApi = Http.get(base, "/reports", "Authorization", basic);

        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).isEqualTo("{\"admin\":\"admin\"}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"admin\"");
        assertThat(keyOnAdmin.statusCode()).isEqualTo(403);
        assertThat(keyOnAdmin.body()).contains("\"code\":\"insufficient_scope\"");
        assertThat(adminOnApi.statusCode()).as("the admin has no SCOPE_reports:read").isEqualTo(403);
    }

    @Test
    void permitAllAndExcludedPaths_needNoKey() {
        assertThat(Http.get(base, "/public/ping").statusCode()).isEqualTo(200);
        assertThat(Http.get(base, "/status").statusCode()).isEqualTo(200);
        assertThat(Http.get(base, "/status", "Authorization", "Bearer lk_live_nope").statusCode())
                .as("an excluded path never judges a key").isEqualTo(200);
    }

    @Test
    void rateLimitedKey_allowedAnswersCarryRateLimitHeaders_thenLatchkeys429Problem() {
        IssuedKey limited = keys.create(CreateKeyRequest.named("k").withLimits(new RateLimitInput(2L, 3600L), null));

        for (int i = 1; i <= 2; i++) {
            HttpResponse<String> allowed = Http.get(base, "/hello", "Authorization", Http.bearer(limited.token()));
            assertThat(allowed.statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(allowed.headers().firstValue("RateLimit-Policy")).as("request %d", i).isPresent();
            assertThat(allowed.headers().firstValue("RateLimit")).as("request %d", i).isPresent();
        }
        HttpResponse<String> refused = Http.get(base, "/hello", "Authorization", Http.bearer(limited.token()));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertProblemHeaders(refused);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isGreaterThanOrEqualTo(1);
        assertThat(refused.headers().firstValue("RateLimit")).isPresent();
        assertThat(refused.body()).contains("\"code\":\"rate_limited\"").contains("\"retry_after\":")
                .doesNotContain(limited.token());
    }

    @Test
    void spentPrepaidCredits_areLatchkeys403QuotaExhausted() {
        IssuedKey prepaid = keys.create(CreateKeyRequest.named("k").withLimits(null, new QuotaInput(1L, "none", null)));

        HttpResponse<String> allowed = Http.get(base, "/hello", "Authorization", Http.bearer(prepaid.token()));
        HttpResponse<String> refused = Http.get(base, "/hello", "Authorization", Http.bearer(prepaid.token()));

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("RateLimit")).hasValue("\"quota\";r=0");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertProblemHeaders(refused);
        assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
        assertThat(refused.body()).contains("\"code\":\"quota_exhausted\"");
    }

    private static void assertProblemHeaders(HttpResponse<String> answer) {
        assertThat(answer.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/problem+json");
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(answer.headers().firstValue("X-Request-Id")).isPresent();
    }
}
