package dev.latchkey.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link FilterSettings} and {@link Placeholders}: every init-param of API.md §5 and its default. */
class FilterSettingsTest {

    private final Placeholders none = new Placeholders(n -> null, n -> null);

    private FilterSettings settings(Map<String, String> params) {
        return FilterSettings.fromInitParams(params, none::resolve).validate();
    }

    @Test
    void noParams_giveTheDefaultsOfSection5() {
        FilterSettings s = settings(Map.of());
        assertThat(s.redisUrl()).isNull();
        assertThat(s.pepper()).isNull();
        assertThat(s.tokenPrefix()).isEqualTo("lk");
        assertThat(s.apiKeyHeader()).isEqualTo("X-API-Key");
        assertThat(s.rules().rules()).isEmpty();
        assertThat(s.excludes()).isEmpty();
        assertThat(s.proxies().trustsAny()).isFalse();
        assertThat(s.cacheMaxSize()).isEqualTo(100_000);
        assertThat(s.cacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.negativeTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.staleIfError()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.flushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.realm()).isEqualTo("latchkey");
        assertThat(s.allowPreflight()).isFalse();
        assertThat(s.challenge()).isEqualTo("Bearer realm=\"latchkey\"");
    }

    @Test
    void emptyValues_asAnEmptyPlaceholderDefaultGives_meanTheDefault_exceptTheHeaderWhichIsDisabled() {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : FilterSettings.NAMES) {
            params.put(name, "${LATCHKEY_UNSET_FOR_TESTS:}");
        }
        FilterSettings s = settings(params);
        assertThat(s.apiKeyHeader()).isNull();
        assertThat(s.cacheMaxSize()).isEqualTo(100_000);
        assertThat(s.realm()).isEqualTo("latchkey");
        assertThat(s.allowPreflight()).isFalse();
        assertThat(s.tokenPrefix()).isEqualTo("lk");
        assertThat(s.cacheTtl()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void everySetting_isRead() {
        FilterSettings s = settings(Map.ofEntries(
                Map.entry("latchkey.redis-url", "redis://h:1"), Map.entry("latchkey.pepper", "p"),
                Map.entry("latchkey.token-prefix", "acme"), Map.entry("latchkey.api-key-header", "X-Key"),
                Map.entry("latchkey.scopes", "GET /reports/** reports:read; POST /reports/** reports:write"),
                Map.entry("latchkey.exclude", "/health, /public/**"),
                Map.entry("latchkey.trusted-proxies", "10.0.0.0/8 ::1"),
                Map.entry("latchkey.cache.max-size", "10"), Map.entry("latchkey.cache.ttl", "PT30S"),
                Map.entry("latchkey.cache.negative-ttl", "PT1S"), Map.entry("latchkey.cache.stale-if-error", "PT0S"),
                Map.entry("latchkey.usage.flush-interval", "PT2S"), Map.entry("latchkey.realm", "shop"),
                Map.entry("latchkey.allow-preflight", "TRUE")));
        assertThat(s.redisUrl()).isEqualTo("redis://h:1");
        assertThat(s.tokenPrefix()).isEqualTo("acme");
        assertThat(s.apiKeyHeader()).isEqualTo("X-Key");
        assertThat(s.rules().required("GET", "/reports/x")).containsExactly("reports:read");
        assertThat(s.excludes()).hasSize(2);
        assertThat(s.proxies().trustsAny()).isTrue();
        assertThat(s.cacheMaxSize()).isEqualTo(10);
        assertThat(s.staleIfError()).isZero();
        assertThat(s.flushInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.invalidTokenChallenge()).isEqualTo("Bearer realm=\"shop\", error=\"invalid_token\"");
        assertThat(s.allowPreflight()).isTrue();
    }

    @Test
    void invalidValues_failNamingTheSetting() {
        Map<String, String> bad = Map.of("latchkey.cache.max-size", "lots", "latchkey.cache.ttl", "PT0S",
                "latchkey.cache.negative-ttl", "-PT1S", "latchkey.realm", "a\"b", "latchkey.allow-preflight", "yes",
                "latchkey.api-key-header", "X Key", "latchkey.exclude", "health", "latchkey.scopes", "GET /a/**/b x",
                "latchkey.trusted-proxies", "10.0.0.1/8", "latchkey.token-prefix", "l_k");
        bad.forEach((name, value) -> assertThatThrownBy(() -> settings(Map.of(name, value)))
                .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(name));
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
        assertThatThrownBy(() -> FilterSettings.fromInitParams(Map.of("latchkey.pepper", "${MISSING_PEPPER}"),
                p::resolve)).hasMessageContaining("latchkey.pepper").hasMessageContaining("MISSING_PEPPER");
    }
}
