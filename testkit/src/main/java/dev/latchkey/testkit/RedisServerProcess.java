package dev.latchkey.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A {@code redis-server} process started by this JVM on a loopback port, without persistence ({@code --save ""},
 * {@code --appendonly no}), in a temporary directory of its own. {@link #stop()} kills it as a crash would and
 * {@link #start()} brings it back on the same port, for tests of reconnects; {@link #close()} stops it for good and
 * removes its directory. A JVM shutdown hook kills processes that were never closed.
 *
 * <p>Readiness is checked by polling {@code PING} until a deadline, never by sleeping a fixed time.
 */
public final class RedisServerProcess implements RedisServer, AutoCloseable {

    /** How long a start may take before it counts as failed. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final String HOST = "127.0.0.1";
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "latchkey-redis-reaper"));
    }

    private final Path binary;
    private final int port;
    private final List<String> extraArgs;
    private final @Nullable String config;
    private final Path dir;
    private @Nullable Process process;
    private boolean closed;

    private RedisServerProcess(Path binary, int port, List<String> extraArgs, @Nullable String config) {
        this.binary = binary;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.config = config;
        try {
            this.dir = Files.createTempDirectory("latchkey-redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the {@code redis-server} binary on the {@code PATH}, if there is one. */
    public static Optional<Path> findBinary() {
        return findOnPath("redis-server");
    }

    static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts {@code redis-server} from the {@code PATH} on a free port and returns once it answers {@code PING}.
     *
     * @throws IllegalStateException when there is no binary or it does not come up in time
     */
    public static RedisServerProcess launch() {
        return launch(FreePorts.find(1).get(0), List.of());
    }

    /**
     * Starts {@code redis-server} on {@code port} with extra arguments (such as {@code --cluster-enabled yes}) and
     * returns once it answers {@code PING}.
     *
     * @throws IllegalStateException when there is no binary or it does not come up in time
     */
    public static RedisServerProcess launch(int port, List<String> extraArgs) {
        Path binary = findBinary().orElseThrow(() -> new IllegalStateException(
                "no redis-server on the PATH (apt-get install -y redis-server)"));
        return start(new RedisServerProcess(binary, port, extraArgs, null));
    }

    /**
     * Starts {@code redis-server <config> --sentinel} on {@code port} with a configuration file of its own (a
     * sentinel rewrites it, so each sentinel needs one) and returns once it answers {@code PING}.
     *
     * @throws IllegalStateException when there is no binary or it does not come up in time
     */
    static RedisServerProcess launchSentinel(int port, String config) {
        Path binary = findBinary().orElseThrow(() -> new IllegalStateException(
                "no redis-server on the PATH (apt-get install -y redis-server)"));
        return start(new RedisServerProcess(binary, port, List.of(), config));
    }

    private static RedisServerProcess start(RedisServerProcess p) {
        try {
            p.start();
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** Returns the directory the server runs in (its log is {@code redis.log} there). */
    public Path directory() {
        return dir;
    }

    @Override
    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    @Override
    public String uri(int database) {
        return uri() + "/" + database;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Source source() {
        return Source.PROCESS;
    }

    @Override
    public boolean restartable() {
        return true;
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("this Redis process was closed");
        }
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        if (config != null) {
            Path file = dir.resolve("sentinel.conf");
            try {
                if (!Files.exists(file)) {
                    Files.writeString(file, config, StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cmd.addAll(List.of(file.toString(), "--sentinel"));
        }
        cmd.addAll(List.of(
                "--port", Integer.toString(port),
                "--bind", HOST,
                "--protected-mode", "no",
                "--save", "",
                "--appendonly", "no",
                "--dir", dir.toString(),
                "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.out").toFile());
        Process started;
        try {
            started = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + binary, e);
        }
        LIVE.add(started);
        process = started;
        if (!Resp.awaitPong(HOST, port, null, START_TIMEOUT)) {
            String log = tail();
            stop();
            throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                    + START_TIMEOUT + "; its log ends with:\n" + log);
        }
    }

    @Override
    public synchronized void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping redis-server", e);
        } finally {
            LIVE.remove(p);
        }
    }

    /**
     * Freezes the process ({@code SIGSTOP}): its connections stay open and nothing answers, as with a hung host or a
     * partition that drops packets silently. {@link #thaw()} resumes it.
     */
    public synchronized void freeze() {
        signal("STOP");
    }

    /** Resumes a {@link #freeze() frozen} process ({@code SIGCONT}). */
    public synchronized void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " failed for redis-server on port " + port);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling redis-server", e);
        }
    }

    @Override
    public boolean isRunning() {
        try {
            return "PONG".equals(Resp.command(HOST, port, null, Duration.ofMillis(500), "PING"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public @Nullable Object command(String... args) {
        try {
            return Resp.command(HOST, port, null, Duration.ofSeconds(10), args);
        } catch (IOException | Resp.ErrorReply e) {
            throw new IllegalStateException("Redis on port " + port + " failed " + args[0] + ": " + e.getMessage(),
                    e);
        }
    }

    /** Stops the process for good and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }

    private String tail() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("redis.out", "redis.log")) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8);
                lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(l -> out.append(l).append('\n'));
            } catch (IOException ignored) {
                // no such file yet
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "RedisServerProcess[" + uri() + "]";
    }
}
