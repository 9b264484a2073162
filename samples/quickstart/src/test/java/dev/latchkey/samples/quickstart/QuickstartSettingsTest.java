package dev.latchkey.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.admin.AdminSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link QuickstartSettings}: the defaults of API.md §1 and §7, read without binding a port. */
class QuickstartSettingsTest {

    @Test
    void from_emptyEnvironment_givesTheDocumentedDefaults() {
        QuickstartSettings s = QuickstartSettings.from(Map.of());
        assertThat(s.admin().host()).isEqualTo("127.0.0.1");
        assertThat(s.admin().port()).isEqualTo(8080);
        assertThat(s.appPort()).isEqualTo(8081);
        assertThat(s.admin().redisUrl()).isNull();
        assertThat(s.admin().adminToken()).isNull();
        assertThat(s.admin().pepper()).isNull();
        assertThat(s.admin().tokenPrefix()).isEqualTo("lk");
        assertThat(s.trustedProxies()).isNull();
    }

    @Test
    void from_everyVariable_isRead_andPortZeroMeansAnyFreePort() {
        QuickstartSettings s = QuickstartSettings.from(Map.of("LATCHKEY_HOST", "0.0.0.0", "LATCHKEY_PORT", "0",
                "LATCHKEY_APP_PORT", "0", "LATCHKEY_REDIS_URL", "redis://h:6379", "LATCHKEY_ADMIN_TOKEN", "root",
                "LATCHKEY_PEPPER", "p", "LATCHKEY_TOKEN_PREFIX", "acme", "LATCHKEY_TRUSTED_PROXIES", "10.0.0.0/8"));
        assertThat(s).isEqualTo(new QuickstartSettings(
                new AdminSettings("0.0.0.0", 0, "redis://h:6379", "root", "p", "acme"), 0, "10.0.0.0/8"));
    }

    @Test
    void from_portOutOfRange_failsNamingTheVariable() {
        assertThatThrownBy(() -> QuickstartSettings.from(Map.of("LATCHKEY_PORT", "65536")))
                .hasMessageContaining("LATCHKEY_PORT");
        assertThatThrownBy(() -> QuickstartSettings.from(Map.of("LATCHKEY_APP_PORT", "-1")))
                .hasMessageContaining("LATCHKEY_APP_PORT");
    }

    @Test
    void from_badTrustedProxies_failsNamingTheVariable() {
        for (String bad : new String[] {"notacidr", "10.0.0.1/8"}) {
            assertThatThrownBy(() -> QuickstartSettings.from(Map.of("LATCHKEY_TRUSTED_PROXIES", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("LATCHKEY_TRUSTED_PROXIES");
        }
    }

    @Test
    void start_badTrustedProxies_failsBeforeTheAdminServiceSaysItListens() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("LATCHKEY_PORT", "0", "LATCHKEY_APP_PORT", "0",
                "LATCHKEY_TRUSTED_PROXIES", "notacidr");

        assertThatThrownBy(() -> Quickstart.start(env, new PrintStream(out, true, StandardCharsets.UTF_8)))
                .hasMessageStartingWith("LATCHKEY_TRUSTED_PROXIES");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("listening on");
    }
}
