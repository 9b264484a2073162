package dev.latchkey.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of {@code redis-server} processes on free loopback ports, all masters, no replicas. Each node gets
 * an explicit {@code --cluster-port} (the default, port + 10000, overflows for high free ports) and its own
 * {@code nodes.conf}; {@code redis-cli --cluster create} assigns the slots, and {@link #launch(int)} returns once every
 * node reports {@code cluster_state:ok} and knows every other node.
 */
public final class RedisClusterProcess implements RedisCluster, AutoCloseable {

    /** How long forming the cluster may take. */
    public static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOST = "127.0.0.1";

    private final List<RedisServerProcess> nodes;

    private RedisClusterProcess(List<RedisServerProcess> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts a cluster of {@code masters} nodes (at least 3, as {@code redis-cli --cluster create} requires).
     *
     * @throws IllegalStateException when {@code redis-server} or {@code redis-cli} is missing, or the cluster does
     *     not form in time
     */
    public static RedisClusterProcess launch(int masters) {
        if (masters < 3) {
            throw new IllegalArgumentException("Redis Cluster needs at least 3 masters");
        }
        Path cli = RedisServerProcess.findOnPath("redis-cli").orElseThrow(() -> new IllegalStateException(
                "no redis-cli on the PATH (apt-get install -y redis-server)"));
        List<Integer> ports = FreePorts.find(masters * 2);
        List<RedisServerProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                int port = ports.get(i);
                int busPort = ports.get(masters + i);
                started.add(RedisServerProcess.launch(port, List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-port", Integer.toString(busPort),
                        "--cluster-config-file", "nodes-" + port + ".conf",
                        "--cluster-node-timeout", "5000")));
            }
            RedisClusterProcess cluster = new RedisClusterProcess(started);
            cluster.create(cli);
            cluster.awaitOk();
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisServerProcess::close);
            throw e;
        }
    }

    private void create(Path cli) {
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
        nodes.forEach(n -> cmd.add(HOST + ":" + n.port()));
        cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(FORM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
    }

    private void awaitOk() {
        Instant deadline = Instant.now().plus(FORM_TIMEOUT);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            boolean allOk = true;
            for (RedisServerProcess n : nodes) {
                Object info;
                try {
                    info = n.command("CLUSTER", "INFO");
                } catch (IllegalStateException e) {
                    info = e.getMessage();
                }
                last = String.valueOf(info);
                if (!last.contains("cluster_state:ok") || !last.contains("cluster_known_nodes:" + nodes.size())) {
                    allOk = false;
                    break;
                }
            }
            if (allOk) {
                return;
            }
            Resp.pause();
        }
        throw new IllegalStateException("the cluster did not reach cluster_state:ok within " + FORM_TIMEOUT
                + "; last CLUSTER INFO:\n" + last);
    }

    @Override
    public String uri() {
        return nodes.stream().map(RedisServerProcess::uri).collect(Collectors.joining(","));
    }

    @Override
    public List<String> nodes() {
        return nodes.stream().map(n -> HOST + ":" + n.port()).toList();
    }

    @Override
    public String uniqueKeyPrefix() {
        return KeyPrefixes.next();
    }

    /** Stops every node and deletes their directories. */
    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
    }

    @Override
    public String toString() {
        return "RedisClusterProcess[" + uri() + "]";
    }
}
