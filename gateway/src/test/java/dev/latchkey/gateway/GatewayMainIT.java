package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreProvider;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link GatewayMain#main} as API.md §11 runs it: a separate JVM configured only by the environment, on a
 * real Redis, stopped with SIGTERM, which must flush the counted uses.
 */
@WithRedis
class GatewayMainIT {

    @Test
    void main_onRedisUrl_allows_andSigtermStopsCleanly_flushingUsage(RedisServer redis, @TempDir Path dir)
            throws Exception {
        String url = redis.uri(8);
        IssuedKey k;
        try (KeyStore store = KeyStoreProvider.openFirst(url, getClass().getClassLoader())) {
            k = Fixtures.key(Fixtures.manager(store), "reports:read");
        }
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(name -> name.startsWith("LATCHKEY_"));
        pb.environment().put("LATCHKEY_GATEWAY_PORT", "0");
        pb.environment().put("LATCHKEY_REDIS_URL", url);
        pb.environment().put("LATCHKEY_PEPPER", Fixtures.PEPPER);
        pb.environment().put("LATCHKEY_SCOPES", Fixtures.RULES);
        pb.environment().put("LATCHKEY_USAGE_FLUSH_INTERVAL", "PT1H"); // only the SIGTERM flush can write the use
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as(() -> read(err)).startsWith("gateway listening on http://127.0.0.1:");
            int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            RawHttp.Reply r = RawHttp.send(port, "GET", "/v1/authorize/nginx", "X-Original-Method: GET",
                    "X-Original-URI: /reports/1", "Authorization: Bearer " + k.token());
            assertThat(r.status()).isEqualTo(200);
            assertThat(RawHttp.send(port, "GET", "/health").body())
                    .isEqualTo("{\"status\":\"up\",\"store\":\"redis\"}");

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(read(err)).contains("Latchkey gateway stopped").doesNotContain(k.token());
        } finally {
            p.destroyForcibly();
        }
        try (KeyStore store = KeyStoreProvider.openFirst(url, getClass().getClassLoader())) {
            assertThat(store.find(k.key().id()).orElseThrow().usage().count()).isEqualTo(1);
            store.delete(k.key().id());
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
