package dev.latchkey.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@code redis-server} on a loopback port that the fault soak can break: stop it cleanly ({@code SIGTERM}), kill it
 * ({@code SIGKILL}), freeze it ({@code SIGSTOP}/{@code SIGCONT}) and start it again on the same port and data. It runs
 * with an append-only file synced on every write, so a kill loses nothing Redis acknowledged and the usage
 * accounting after a restart is exact.
 */
final class FaultRedis implements AutoCloseable {

    private final int port;
    private final Path dir;
    private Process process;

    FaultRedis(int port) throws IOException {
        this.port = port;
        this.dir = Files.createTempDirectory("latchkey-faults-redis-");
        start();
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server and returns once it answers {@code PING} (and has loaded its append-only file). */
    synchronized void start() throws IOException {
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--protected-mode", "no", "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"+PONG".equals(command("PING"))) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IOException("redis-server on port " + port + " did not start; see " + dir);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /** Stops the server as an operator would ({@code SIGTERM}: it finishes writing its file, then exits). */
    synchronized void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Kills the server as a crash would ({@code SIGKILL}). */
    synchronized void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Freezes ({@code SIGSTOP}) or thaws ({@code SIGCONT}) the server: connections stay open, nothing answers. */
    synchronized void signal(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("kill -" + name + " failed");
        }
    }

    /**
     * Sends one inline command and returns the first line of the reply, or {@code null} when the server does not
     * answer within a second.
     */
    String command(String inline) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(1000);
            s.getOutputStream().write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            StringBuilder line = new StringBuilder();
            for (int c = s.getInputStream().read(); c >= 0 && c != '\r'; c = s.getInputStream().read()) {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            try {
                signal("CONT");
            } catch (IOException ignored) {
                // it was not frozen
            }
            process.destroyForcibly().waitFor();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
