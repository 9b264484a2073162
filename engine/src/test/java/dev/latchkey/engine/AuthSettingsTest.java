package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link AuthSettings}, its builder and {@link Placeholders}: every setting of API.md §5 and its default. */
class AuthSettingsTest {

    private final Placeholders none = new Placeholders(n -> null, n -> null);

    private AuthSettings settings(Map<String, String> params) {
        return AuthSettings.fromProperties(params, none::resolve).build();
    }

    @Test
    void noParams_giveTheDefaultsOfSection5() {
        AuthSettings s = settings(Map.of());
        assertThat(s.storeUrl()).isNull();
        assertThat(s.pepper()).isNull();
        assertThat(s.tokenPrefix()).isEqualTo("lk");
        assertThat(s.apiKeyHeader()).isEqualTo("X-API-Key");
        assertThat(s.rules().rules()).isEmpty();
        assertThat(s.excludes()).isEmpty();
        assertThat(s.trustedProxies().trustsAny()).isFalse();
        assertThat(s.cacheMaxSize()).isEqualTo(100_000);
        assertThat(s.cacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.negativeTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.staleIfError()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.usageFlushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.realm()).isEqualTo("latchkey");
        assertThat(s.allowPreflight()).isFalse();
        assertThat(s.authFailureLimit()).isEqualTo(1000);
        assertThat(s.authFailurePeriod()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void emptyValues_asAnEmptyPlaceholderDefaultGives_meanTheDefault_exceptTheHeaderWhichIsDisabled() {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : AuthSettings.NAMES) {
            params.put(name, "${LATCHKEY_UNSET_FOR_TESTS:}");
        }
        AuthSettings s = settings(params);
        assertThat(s.apiKeyHeader()).isNull();
        assertThat(s.cacheMaxSize()).isEqualTo(100_000);
        assertThat(s.realm()).isEqualTo("latchkey");
        assertThat(s.allowPreflight()).isFalse();
        assertThat(s.tokenPrefix()).isEqualTo("lk");
        assertThat(s.cacheTtl()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void everySetting_isRead() {
        AuthSettings s = settings(Map.ofEntries(
                Map.entry("latchkey.redis-url", "redis://h:1"), Map.entry("latchkey.pepper", "p"),
                Map.entry("latchkey.token-prefix", "acme"), Map.entry("latchkey.api-key-header", "X-Key"),
                Map.entry("latchkey.scopes", "GET /reports/** reports:read; POST /reports/** reports:write"),
                Map.entry("latchkey.exclude", "/health, /public/**"),
                Map.entry("latchkey.trusted-proxies", "10.0.0.0/8 ::1"),
                Map.entry("latchkey.cache.max-size", "10"), Map.entry("latchkey.cache.ttl", "PT30S"),
                Map.entry("latchkey.cache.negative-ttl", "PT1S"), Map.entry("latchkey.cache.stale-if-error", "PT0S"),
                Map.entry("latchkey.usage.flush-interval", "PT2S"), Map.entry("latchkey.realm", "shop"),
                Map.entry("latchkey.allow-preflight", "TRUE")));
        assertThat(s.storeUrl()).isEqualTo("redis://h:1");
        assertThat(s.tokenPrefix()).isEqualTo("acme");
        assertThat(s.apiKeyHeader()).isEqualTo("X-Key");
        assertThat(s.rules().required("GET", "/reports/x")).containsExactly("reports:read");
        assertThat(s.excludes()).hasSize(2);
        assertThat(s.trustedProxies().trustsAny()).isTrue();
        assertThat(s.cacheMaxSize()).isEqualTo(10);
        assertThat(s.staleIfError()).isZero();
        assertThat(s.usageFlushInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(new Denials(s.realm()).challenge()).isEqualTo("Bearer realm=\"shop\"");
        assertThat(s.allowPreflight()).isTrue();
    }

    @Test
    void invalidValues_failNamingTheSetting() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("latchkey.cache.max-size", "lots");
        bad.put("latchkey.cache.ttl", "PT0S");
        bad.put("latchkey.cache.negative-ttl", "-PT1S");
        bad.put("latchkey.realm", "a\"b");
        bad.put("latchkey.allow-preflight", "yes");
        bad.put("latchkey.api-key-header", "X Key");
        bad.put("latchkey.exclude", "health");
        bad.put("latchkey.scopes", "GET /a/**/b x");
        bad.put("latchkey.trusted-proxies", "10.0.0.1/8");
        bad.put("latchkey.token-prefix", "l_k");
        bad.put("latchkey.auth-failure.limit", "-1");
        bad.put("latchkey.auth-failure.period", "PT0.5S");
        bad.put("latchkey.rate-limit.store-timeout", "PT0S");
        bad.put("latchkey.rate-limit.on-store-error", "sometimes");
        bad.put("latchkey.no-such-setting", "x");
        bad.forEach((name, value) -> assertThatThrownBy(() -> settings(Map.of(name, value)))
                .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(name));
    }

    @Test
    void builderSetters_checkAtOnce_namingTheMethod() {
        AuthSettingsBuilder b = AuthSettings.builder();
        assertThatThrownBy(() -> b.cacheTtl(Duration.ZERO)).hasMessageStartingWith("cacheTtl:");
        assertThatThrownBy(() -> b.negativeTtl(Duration.ofSeconds(-1))).hasMessageStartingWith("negativeTtl:");
        assertThatThrownBy(() -> b.cacheMaxSize(0)).hasMessageStartingWith("cacheMaxSize:");
        assertThatThrownBy(() -> b.realm("a\"b")).hasMessageStartingWith("realm:");
        assertThatThrownBy(() -> b.apiKeyHeader("Authorization")).hasMessageStartingWith("apiKeyHeader:");
        assertThatThrownBy(() -> b.tokenPrefix("l_k")).hasMessageStartingWith("tokenPrefix:");
        assertThatThrownBy(() -> b.trustedProxies("10.0.0.1/8")).hasMessageStartingWith("trustedProxies:");
        assertThatThrownBy(() -> b.exclude("health")).hasMessageStartingWith("exclude:");
        assertThatThrownBy(() -> b.scopes("GET")).hasMessageStartingWith("scopes:");
        assertThatThrownBy(() -> b.rule("G ET", "/a")).hasMessageStartingWith("rule:");
        assertThatThrownBy(() -> b.rule("GET", "/a", "Bad Scope")).hasMessageStartingWith("rule:");
        assertThatThrownBy(() -> b.rule("GET", "/a", 1_000_001, "x")).hasMessageStartingWith("rule:");
        assertThatThrownBy(() -> b.authFailureLimit(-1)).hasMessageStartingWith("authFailureLimit:");
        assertThatThrownBy(() -> b.authFailurePeriod(Duration.ofMillis(10))).hasMessageStartingWith("authFailurePeriod:");
    }

    @Test
    void typedRules_matchAsTheTextGrammarDoes() {
        AuthSettings typed = AuthSettings.builder()
                .rule("GET", "/reports/**", "reports:read")
                .rule("post", "/reports/**", 5, "reports:write")
                .rule("*", "/admin/*", "admin", "audit")
                .build();
        AuthSettings text = settings(Map.of("latchkey.scopes",
                "GET /reports/** reports:read; POST /reports/** reports:write cost=5; * /admin/* admin audit"));
        for (String[] req : new String[][] {{"GET", "/reports/1"}, {"HEAD", "/reports"}, {"POST", "/reports/x"},
                {"DELETE", "/admin/x"}, {"GET", "/other"}}) {
            assertThat(typed.rules().required(req[0], req[1])).as(req[0] + " " + req[1])
                    .isEqualTo(text.rules().required(req[0], req[1]));
        }
        assertThat(typed.rules().match("POST", "/reports/1").cost()).isEqualTo(5);
        assertThat(text.rules().match("POST", "/reports/1").cost()).isEqualTo(5);
        assertThat(text.rules().match("GET", "/reports/1").cost()).isEqualTo(1);
        assertThat(text.rules().match("GET", "/other")).isNull();
    }

    @Test
    void rateLimitSettings_areReadFromTextAndFromTheEnvironment() {
        AuthSettings s = settings(Map.of("latchkey.rate-limit.store-timeout", "PT2S",
                "latchkey.rate-limit.on-store-error", "CLOSED"));
        assertThat(s.rateLimitStoreTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.rateLimitOnStoreError()).isEqualTo(AuthSettings.OnStoreError.CLOSED);
        assertThat(AuthSettings.defaults().rateLimitOnStoreError()).isEqualTo(AuthSettings.OnStoreError.LOCAL);
        assertThat(AuthSettings.defaults().rateLimitStoreTimeout()).isEqualTo(Duration.ofMillis(250));
        AuthSettings env = AuthSettings.fromEnvironment(Map.of("LATCHKEY_RATE_LIMIT_ON_STORE_ERROR", "open",
                "LATCHKEY_AUTH_FAILURE_LIMIT", "5")).build();
        assertThat(env.rateLimitOnStoreError()).isEqualTo(AuthSettings.OnStoreError.OPEN);
        assertThat(env.authFailureLimit()).isEqualTo(5);
        assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of("LATCHKEY_CACHE_TTL", "soon")))
                .hasMessageStartingWith("LATCHKEY_CACHE_TTL:");
    }

    @Test
    void toBuilder_keepsEverySetting() {
        AuthSettings s = settings(Map.of("latchkey.scopes", "GET /a x", "latchkey.realm", "r",
                "latchkey.auth-failure.limit", "7", "latchkey.exclude", "/h"));
        assertThat(s.toBuilder().build()).isEqualTo(s);
    }

    @Test
    void placeholders_systemPropertyThenEnvironmentThenDefault() {
        Placeholders p = new Placeholders(n -> n.equals("BOTH") ? "property" : null,
                n -> n.equals("BOTH") || n.equals("ENV") ? "env" : null);
        assertThat(p.resolve("${BOTH}")).isEqualTo("property");
        assertThat(p.resolve("${ENV:x}")).isEqualTo("env");
        assertThat(p.resolve("${NONE:redis://h:6379/0}")).isEqualTo("redis://h:6379/0");
        assertThat(p.resolve("a-${ENV}-${NONE:}-b")).isEqualTo("a-env--b");
        assertThatThrownBy(() -> p.resolve("${NONE}")).hasMessageContaining("NONE");
        assertThatThrownBy(() -> AuthSettings.fromProperties(Map.of("latchkey.pepper", "${MISSING_PEPPER}"),
                p::resolve)).hasMessageContaining("latchkey.pepper").hasMessageContaining("MISSING_PEPPER");
    }
}
