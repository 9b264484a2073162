package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A real gateway (nginx, Caddy, HAProxy from Debian's packages) started for a test class: its config comes from
 * {@code src/test/resources/gateways/}, written for the documented ports (gateway 8000, Latchkey 8090, app 9000),
 * with those ports replaced by free ones. A missing binary fails the test, naming the package to install.
 */
final class GatewayProcess implements AutoCloseable {

    static final String INSTALL = "apt-get install -y nginx caddy haproxy";

    private final Process process;
    private final Path log;
    final Path dir;
    final int port;

    private GatewayProcess(Process process, Path dir, Path log, int port) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.port = port;
    }

    /** Returns the path of a binary on the PATH (or in /usr/sbin), failing the test when it is not installed. */
    static String binary(String name) {
        List<String> dirs = new ArrayList<>(List.of(Objects.requireNonNullElse(System.getenv("PATH"), "")
                .split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"));
        for (String d : dirs) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail(name + " is not installed, and the gateway tests (tag \"gateways\") run real gateways: "
                + INSTALL);
    }

    /** Returns a free loopback port. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Returns a new directory that a gateway's worker processes (which may drop privileges) can read. */
    static Path workDir(String name) throws IOException {
        Path dir = Files.createTempDirectory("latchkey-" + name + "-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /**
     * Reads a config from the test resources and puts the test's ports and paths in place of the documented ones.
     *
     * @param replacements documented text → test text, applied in order
     */
    static String config(String resource, Map<String, String> replacements) throws IOException {
        String text;
        try (InputStream in = GatewayProcess.class.getResourceAsStream("/gateways/" + resource)) {
            text = new String(Objects.requireNonNull(in, resource).readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> e : replacements.entrySet()) {
            if (!text.contains(e.getKey())) {
                throw new IllegalStateException(resource + " no longer contains " + e.getKey());
            }
            text = text.replace(e.getKey(), e.getValue());
        }
        return text;
    }

    /** Starts a gateway and waits until it accepts connections on {@code port}. */
    static GatewayProcess start(List<String> command, Map<String, String> env, Path dir, int port)
            throws IOException, InterruptedException {
        Path log = dir.resolve("process.log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        GatewayProcess g = new GatewayProcess(p, dir, log, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail(command.get(0) + " exited with " + p.exitValue() + ":\n" + g.log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return g;
            } catch (IOException notYet) {
                Thread.sleep(50); // polling a port that is not open yet: there is nothing to await on
            }
        }
        g.close();
        return fail(command.get(0) + " did not listen on " + port + " within 30 s:\n" + g.log());
    }

    /** Returns what the process wrote so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
