package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.redis.RedisKeyStore;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link AdminMain#main} as API.md §1 runs it: a separate JVM configured only by the environment, on a
 * real Redis (its own database), stopped with SIGTERM.
 */
@WithRedis
class AdminMainIT {

    private static final String ROOT = "root-for-admin-main-it";
    private static final String PEPPER = "pepper-for-admin-main-it";

    @Test
    void main_onRedisUrl_servesKeys_andSigtermStopsCleanly_flushingUsage(RedisServer redis, @TempDir Path dir)
            throws Exception {
        String url = redis.uri(7);
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AdminMain.class.getName()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LATCHKEY_"));
        pb.environment().put("LATCHKEY_PORT", "0");
        pb.environment().put("LATCHKEY_REDIS_URL", url);
        pb.environment().put("LATCHKEY_ADMIN_TOKEN", ROOT);
        pb.environment().put("LATCHKEY_PEPPER", PEPPER);
        Process p = pb.start();
        String id;
        String imported = "Imported+Main/It=" + System.nanoTime();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as(() -> read(err)).startsWith("listening on http://127.0.0.1:");
            Http http = new Http(URI.create(line.substring("listening on ".length())));
            JsonNode health = http.send("GET", "/health", null, null).json();
            assertThat(health.get("status").asText()).isEqualTo("up");
            assertThat(health.get("store").asText()).isEqualTo("redis");
            Http.Res created = http.send("POST", "/v1/keys", ROOT, map("name", "main it", "token", imported));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            id = created.json().get("id").asText();
            assertThat(http.send("POST", "/v1/verify", ROOT, map("token", imported)).json().get("code").asText())
                    .isEqualTo("valid");
            assertThat(http.send("GET", "/metrics", null, null).body())
                    .as("the Redis store's Lettuce latencies reach the admin service's /metrics")
                    .contains("lettuce_command_completion_seconds");

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(read(err)).contains("Latchkey admin API stopped").doesNotContain(ROOT, imported);
        } finally {
            p.destroyForcibly();
        }
        try (RedisKeyStore store = RedisKeyStore.builder().uri(url).build()) {
            assertThat(store.find(id).orElseThrow().usage().count()).isEqualTo(1);
            assertThat(store.findByImportedHash(SecretHasher.hmac(PEPPER).hash(imported))).isPresent();
            assertThat(store.findByImportedHash(SecretHasher.sha256().hash(imported))).isEmpty();
            store.delete(id);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(no stderr: " + e + ")";
        }
    }
}
