package dev.latchkey.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.samples.demo.DemoAppChecks;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link QuickstartMain}: a separate JVM, started from the environment and stopped with SIGTERM. */
class QuickstartMainIT {

    @Test
    void sigterm_stopsTheProcessCleanly(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), QuickstartMain.class.getName())
                .redirectError(err.toFile());
        pb.environment().put("LATCHKEY_PORT", "0");
        pb.environment().put("LATCHKEY_APP_PORT", "0");
        pb.environment().remove("LATCHKEY_REDIS_URL");
        pb.environment().remove("LATCHKEY_ADMIN_TOKEN");
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String admin = out.readLine();
            String app = out.readLine();
            assertThat(admin).as(() -> read(err)).startsWith("listening on http://127.0.0.1:");
            assertThat(app).startsWith("app listening on http://127.0.0.1:");
            URI appUri = URI.create(app.substring("app listening on ".length()));
            assertThat(DemoAppChecks.get(appUri, "/health", null).status()).isEqualTo(200);

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
            assertThat(read(err)).contains("Latchkey admin API stopped").contains("Latchkey quickstart stopped");
        } finally {
            p.destroyForcibly();
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
