package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.KeyStore;
import dev.latchkey.engine.AuthSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link AdminSettings}: the variables and defaults of API.md §1, read without binding a port. */
class AdminSettingsTest {

    @Test
    void fromEnvironment_empty_givesTheDocumentedDefaults() {
        AdminSettings s = AdminSettings.fromEnvironment(Map.of());

        assertThat(s).isEqualTo(new AdminSettings("127.0.0.1", 8080, null, null, null, "lk"));
    }

    @Test
    void fromEnvironment_readsEveryVariable_blankMeansUnset_secretsAreKeptAsGiven() {
        AdminSettings s = AdminSettings.fromEnvironment(Map.of("LATCHKEY_HOST", " 0.0.0.0 ", "LATCHKEY_PORT", "0",
                "LATCHKEY_REDIS_URL", "  ", "LATCHKEY_ADMIN_TOKEN", " root ", "LATCHKEY_PEPPER", "",
                "LATCHKEY_TOKEN_PREFIX", "acme"));

        assertThat(s).isEqualTo(new AdminSettings("0.0.0.0", 0, null, " root ", null, "acme"));
    }

    @Test
    void fromEnvironment_readsTheRateLimitStoreSettingsOfVerify_defaultLocalAnd250ms() {
        AdminSettings defaults = AdminSettings.fromEnvironment(Map.of());
        AdminSettings s = AdminSettings.fromEnvironment(Map.of("LATCHKEY_RATE_LIMIT_ON_STORE_ERROR", "open",
                "LATCHKEY_RATE_LIMIT_STORE_TIMEOUT", "PT0.5S"));

        assertThat(defaults.rateLimitOnStoreError()).isEqualTo(AuthSettings.OnStoreError.LOCAL);
        assertThat(defaults.rateLimitStoreTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.rateLimitOnStoreError()).isEqualTo(AuthSettings.OnStoreError.OPEN);
        assertThat(s.rateLimitStoreTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LATCHKEY_RATE_LIMIT_ON_STORE_ERROR", "bogus")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LATCHKEY_RATE_LIMIT_ON_STORE_ERROR");
    }

    @Test
    void fromEnvironment_badPort_failsNamingTheVariable() {
        for (String bad : new String[] {"-1", "65536", "http", "80.5"}) {
            assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LATCHKEY_PORT", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("LATCHKEY_PORT");
        }
    }

    @Test
    void fromEnvironment_hostNoUrlCanCarry_failsNamingTheVariable() {
        // A host like these leaves the server's http:// URI without a host and port: Grizzly then bound every
        // interface on port 80, while "listening on http://my_host:80" claimed otherwise.
        for (String bad : new String[] {"999.1.1.1", "my_host", "user@127.0.0.1", "127.0.0.1/x", "h#x"}) {
            assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LATCHKEY_HOST", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("LATCHKEY_HOST");
        }
        for (String good : new String[] {"0.0.0.0", "localhost", "::1", "[::1]", "admin.example.com"}) {
            assertThat(AdminSettings.fromEnvironment(Map.of("LATCHKEY_HOST", good)).host()).isEqualTo(good);
        }
    }

    @Test
    void fromEnvironment_badTokenPrefix_failsNamingTheVariable() {
        for (String bad : new String[] {"my-co", "lk_", "a".repeat(17)}) {
            assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LATCHKEY_TOKEN_PREFIX", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("LATCHKEY_TOKEN_PREFIX");
        }
    }

    @Test
    void fromEnvironment_webhookAllowPrivate_isTrueOrFalse_elseFailsNamingTheVariable() {
        assertThat(AdminSettings.fromEnvironment(Map.of()).webhookAllowPrivate()).isFalse();
        assertThat(AdminSettings.fromEnvironment(Map.of("LATCHKEY_WEBHOOK_ALLOW_PRIVATE", "TRUE"))
                .webhookAllowPrivate()).isTrue();
        assertThat(AdminSettings.fromEnvironment(Map.of("LATCHKEY_WEBHOOK_ALLOW_PRIVATE", "false"))
                .webhookAllowPrivate()).isFalse();
        for (String bad : new String[] {"yes", "1", "on"}) {
            assertThatThrownBy(() -> AdminSettings.fromEnvironment(Map.of("LATCHKEY_WEBHOOK_ALLOW_PRIVATE", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("LATCHKEY_WEBHOOK_ALLOW_PRIVATE");
        }
    }

    @Test
    void openStore_withoutRedisUrl_isTheInMemoryStore() {
        try (KeyStore store = AdminSettings.fromEnvironment(Map.of()).openStore()) {
            assertThat(store.kind()).isEqualTo("memory");
        }
    }

    @Test
    void openStore_badRedisUrl_failsNamingTheVariable() {
        for (String bad : new String[] {"foo", "http://127.0.0.1:6379", "REDIS://127.0.0.1:6379"}) {
            AdminSettings s = AdminSettings.fromEnvironment(Map.of("LATCHKEY_REDIS_URL", bad));
            assertThatThrownBy(s::openStore)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("LATCHKEY_REDIS_URL");
        }
    }

    @Test
    void toString_hidesTheAdminTokenAndThePepper() {
        AdminSettings s = new AdminSettings("127.0.0.1", 8080, null, "root-secret", "pepper-secret", "lk");

        assertThat(s.toString()).doesNotContain("root-secret", "pepper-secret");
    }

    @Test
    void uriHost_bracketsIpv6Literals() {
        assertThat(AdminSettings.uriHost("::1")).isEqualTo("[::1]");
        assertThat(AdminSettings.uriHost("127.0.0.1")).isEqualTo("127.0.0.1");
    }
}
