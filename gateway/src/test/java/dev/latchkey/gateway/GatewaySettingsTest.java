package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.ClientAddresses;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link GatewaySettings}: API.md §11's variables, read in one place. */
class GatewaySettingsTest {

    @Test
    void fromEnvironment_empty_givesTheDefaults() {
        GatewaySettings s = GatewaySettings.fromEnvironment(Map.of());
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8090);
        assertThat(s.clients().contains("127.0.0.1")).isTrue();
        assertThat(s.clients().contains("::1")).isTrue();
        assertThat(s.clients().contains("127.0.0.2")).isFalse();
        assertThat(s.auth().trustedProxies()).isEqualTo(ClientAddresses.parse("127.0.0.1/32,::1/128"));
        assertThat(s.auth().storeUrl()).isNull();
        assertThat(s.auth().apiKeyHeader()).isEqualTo("X-API-Key");
    }

    @Test
    void fromEnvironment_readsEveryEngineSettingByTheRule() {
        GatewaySettings s = GatewaySettings.fromEnvironment(Map.of(
                "LATCHKEY_HOST", "0.0.0.0", "LATCHKEY_GATEWAY_PORT", "0",
                "LATCHKEY_REDIS_URL", "redis://127.0.0.1:6379", "LATCHKEY_PEPPER", "p",
                "LATCHKEY_SCOPES", "GET /reports/** reports:read", "LATCHKEY_EXCLUDE", "/public/**",
                "LATCHKEY_CACHE_TTL", "PT30S", "LATCHKEY_CACHE_NEGATIVE_TTL", "PT2S",
                "LATCHKEY_API_KEY_HEADER", "X-Key", "LATCHKEY_REALM", "shop"));
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isZero();
        assertThat(s.auth().storeUrl()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(s.auth().pepper()).isEqualTo("p");
        assertThat(s.auth().rules().required("GET", "/reports/1")).containsExactly("reports:read");
        assertThat(s.auth().excludes()).hasSize(1);
        assertThat(s.auth().cacheTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.auth().negativeTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.auth().apiKeyHeader()).isEqualTo("X-Key");
        assertThat(s.auth().realm()).isEqualTo("shop");
    }

    @Test
    void fromEnvironment_readsTheRateLimitSettings() {
        assertThat(GatewaySettings.fromEnvironment(Map.of()).auth().rateLimitOnStoreError())
                .isEqualTo(AuthSettings.OnStoreError.LOCAL);
        GatewaySettings s = GatewaySettings.fromEnvironment(Map.of("LATCHKEY_RATE_LIMIT_ON_STORE_ERROR", "closed",
                "LATCHKEY_RATE_LIMIT_STORE_TIMEOUT", "PT0.1S"));
        assertThat(s.auth().rateLimitOnStoreError()).isEqualTo(AuthSettings.OnStoreError.CLOSED);
        assertThat(s.auth().rateLimitStoreTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of("LATCHKEY_RATE_LIMIT_ON_STORE_ERROR", "maybe")))
                .hasMessageStartingWith("LATCHKEY_RATE_LIMIT_ON_STORE_ERROR");
    }

    @Test
    void trustedProxies_defaultToTheClients_andOnlyTheGatewayVariableCounts() {
        GatewaySettings s = GatewaySettings.fromEnvironment(Map.of("LATCHKEY_GATEWAY_CLIENTS", "10.0.0.0/8",
                "LATCHKEY_TRUSTED_PROXIES", "192.0.2.0/24"));
        assertThat(s.auth().trustedProxies()).isEqualTo(ClientAddresses.parse("10.0.0.0/8"));
        GatewaySettings t = GatewaySettings.fromEnvironment(Map.of("LATCHKEY_GATEWAY_CLIENTS", "10.0.0.0/8",
                "LATCHKEY_GATEWAY_TRUSTED_PROXIES", "10.1.0.0/16"));
        assertThat(t.auth().trustedProxies()).isEqualTo(ClientAddresses.parse("10.1.0.0/16"));
        assertThat(t.clients().contains("10.200.0.1")).isTrue();
    }

    @Test // the gateway then listened on every interface, on port 80, as the admin service did
    void hostNoUrlCanCarry_failsNamingTheVariable_andIpv6IsBracketed() {
        for (String bad : new String[] {"999.1.1.1", "my_host", "a b"}) {
            assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of("LATCHKEY_HOST", bad)))
                    .hasMessage("LATCHKEY_HOST must be an IP address or a host name");
        }
        assertThat(GatewaySettings.fromEnvironment(Map.of("LATCHKEY_HOST", "::1")).uriHost()).isEqualTo("[::1]");
        assertThat(GatewaySettings.fromEnvironment(Map.of("LATCHKEY_HOST", "gw.internal")).host())
                .isEqualTo("gw.internal");
    }

    @Test
    void badValues_nameTheirVariable() {
        assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of("LATCHKEY_GATEWAY_PORT", "99999")))
                .hasMessageStartingWith("LATCHKEY_GATEWAY_PORT");
        assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of("LATCHKEY_GATEWAY_CLIENTS", "10.0.0.1/8")))
                .hasMessageStartingWith("LATCHKEY_GATEWAY_CLIENTS");
        assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of("LATCHKEY_GATEWAY_CLIENTS", " , ")))
                .hasMessageStartingWith("LATCHKEY_GATEWAY_CLIENTS");
        assertThatThrownBy(() -> GatewaySettings.fromEnvironment(
                Map.of("LATCHKEY_GATEWAY_TRUSTED_PROXIES", "nope"))).hasMessageStartingWith(
                "LATCHKEY_GATEWAY_TRUSTED_PROXIES: 'nope'");
        assertThatThrownBy(() -> GatewaySettings.fromEnvironment(Map.of("LATCHKEY_CACHE_TTL", "soon")))
                .hasMessageStartingWith("LATCHKEY_CACHE_TTL");
    }

    @Test
    void addressBlocks_compareMappedAndBracketedAddresses() {
        AddressBlocks b = AddressBlocks.parse("127.0.0.1/32 ::1/128");
        assertThat(b.contains("::ffff:127.0.0.1")).isTrue();
        assertThat(b.contains("[::1]")).isTrue();
        assertThat(b.contains("garbage")).isFalse();
        assertThat(b.contains(null)).isFalse();
    }

    @Test
    void isMethod_acceptsTokensOnly() {
        assertThat(GatewayAuthorizer.isMethod("PATCH")).isTrue();
        assertThat(GatewayAuthorizer.isMethod("M-SEARCH")).isTrue();
        assertThat(GatewayAuthorizer.isMethod("GE T")).isFalse();
        assertThat(GatewayAuthorizer.isMethod("G(ET")).isFalse();
        assertThat(GatewayAuthorizer.isMethod("")).isFalse();
        assertThat(GatewayAuthorizer.isMethod("X".repeat(33))).isFalse();
    }

    @Test
    void pathOf_cutsQueryAndFragment_andReducesAbsoluteForm() {
        assertThat(GatewayAuthorizer.pathOf("/a/b?token=x#f")).isEqualTo("/a/b");
        assertThat(GatewayAuthorizer.pathOf("/a#f?x")).isEqualTo("/a");
        assertThat(GatewayAuthorizer.pathOf("http://h:8/a/b?q")).isEqualTo("/a/b");
        assertThat(GatewayAuthorizer.pathOf("https://h?q")).isEqualTo("/");
        assertThat(GatewayAuthorizer.pathOf("https://h")).isEqualTo("/");
    }
}
