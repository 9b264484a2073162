package dev.latchkey.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The admin service as users run it: {@code java -jar latchkey-admin.jar} in a process of its own, configured by
 * environment (API.md §1) to listen on a loopback port and use the soak's Redis; stopped with {@code SIGTERM}.
 */
final class AdminProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    AdminProcess(Path jar, int port, String redisUrl, String rootToken) throws IOException, InterruptedException {
        this.port = port;
        this.log = Files.createTempFile("latchkey-faults-admin-", ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
                jar.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LATCHKEY_HOST", "127.0.0.1");
        pb.environment().put("LATCHKEY_PORT", Integer.toString(port));
        pb.environment().put("LATCHKEY_REDIS_URL", redisUrl);
        pb.environment().put("LATCHKEY_ADMIN_TOKEN", rootToken);
        this.process = pb.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(base() + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (res.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                close();
                throw new IOException("the admin service did not start; its output is in " + log);
            }
            Thread.sleep(100);
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
