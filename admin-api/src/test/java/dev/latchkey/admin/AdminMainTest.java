package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.SecretHasher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Tests for {@link AdminMain}: settings from the environment, the printed root token and listening line. */
class AdminMainTest {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @Test
    void start_withoutAdminToken_printsGeneratedTokenOnceAndListeningLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (LogCapture logs = new LogCapture();
                AdminMain.Running running = AdminMain.start(Map.of("LATCHKEY_PORT", "0"),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            String out = bytes.toString(StandardCharsets.UTF_8);
            String token = running.server().adminToken();
            assertThat(out).containsOnlyOnce(token);
            Matcher m = LISTENING.matcher(out);
            assertThat(m.find()).as(out).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(running.server().port());
            assertThat(out.indexOf(token)).isLessThan(out.indexOf("listening on"));
            Http http = new Http(running.server().baseUri());
            assertThat(http.send("GET", "/v1/keys", token, null).status()).isEqualTo(200);
            assertThat(http.send("GET", "/health", null, null).json().get("store").asText()).isEqualTo("memory");
            assertThat(logs.lines()).noneMatch(l -> l.contains(token));
            assertThat(logs.lines()).anyMatch(l -> l.contains("LATCHKEY_REDIS_URL is not set"));
        }
    }

    @Test
    void start_withSettings_usesThemAndPrintsNoToken() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AdminMain.Running running = AdminMain.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_HOST", "127.0.0.1",
                        "LATCHKEY_ADMIN_TOKEN", "given-root", "LATCHKEY_PEPPER", "pepper", "LATCHKEY_TOKEN_PREFIX", "acme"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertThat(out).doesNotContain("given-root").contains("listening on http://127.0.0.1:");
            Http http = new Http(running.server().baseUri());
            Http.Res created = http.send("POST", "/v1/keys", "given-root", Http.map("name", "k"));
            assertThat(created.json().get("token").asText()).startsWith("acme_live_");
        }
    }

    @Test
    void start_withBadPortOrUnknownStoreUrl_fails() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> AdminMain.start(Map.of("LATCHKEY_PORT", "eighty"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LATCHKEY_PORT");
        assertThatThrownBy(() -> AdminMain.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_REDIS_URL", "mongo://x"), out))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void start_withPepper_hashesSecretsWithHmacOfIt_andWithoutOne_withPlainSha256() {
        String value = "Imported+Secret/Value=" + System.nanoTime();
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (AdminMain.Running running = AdminMain.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_ADMIN_TOKEN", "r",
                "LATCHKEY_PEPPER", "the-pepper"), out)) {
            Http.Res r = new Http(running.server().baseUri()).send("POST", "/v1/keys", "r",
                    Http.map("name", "k", "token", value));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(running.store().findByImportedHash(SecretHasher.hmac("the-pepper").hash(value))).isPresent();
            assertThat(running.store().findByImportedHash(SecretHasher.sha256().hash(value))).isEmpty();
        }
        try (AdminMain.Running running = AdminMain.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_ADMIN_TOKEN", "r"),
                out)) {
            Http.Res r = new Http(running.server().baseUri()).send("POST", "/v1/keys", "r",
                    Http.map("name", "k", "token", value));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(running.store().findByImportedHash(SecretHasher.sha256().hash(value))).isPresent();
        }
    }

    @Test
    void start_withEmptyAdminToken_generatesAndPrintsOne_andTheEmptyValueIsNoToken() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AdminMain.Running running = AdminMain.start(Map.of("LATCHKEY_PORT", "0", "LATCHKEY_ADMIN_TOKEN", ""),
                new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            String token = running.server().adminToken();
            assertThat(token).isNotBlank();
            assertThat(bytes.toString(StandardCharsets.UTF_8)).containsOnlyOnce(token);
            Http http = new Http(running.server().baseUri());
            assertThat(http.send("GET", "/v1/keys", token, null).status()).isEqualTo(200);
            Http.Res empty = http.send("GET", "/v1/keys", null, null, "Authorization", "Bearer ");
            assertThat(empty.status()).isEqualTo(401);
        }
    }
}
