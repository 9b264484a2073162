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
 * A Redis Cluster of {@code redis-server} processes on free loopback ports: masters only ({@link #launch(int)}), or
 * masters with one replica each and a chosen {@code cluster-node-timeout} ({@link #launch(int, int, Duration)}, for
 * failover tests that {@link #killMasterOf(String) kill a master}). Each node gets
 * an explicit {@code --cluster-port} (the default, port + 10000, overflows for high free ports) and its own
 * {@code nodes.conf}; {@code redis-cli --cluster create} assigns the slots, and {@link #launch(int)} returns once every
 * node reports {@code cluster_state:ok} and knows every other node.
 */
public final class RedisClusterProcess implements RedisCluster, AutoCloseable {

    /** How long forming the cluster may take. */
    public static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOST = "127.0.0.1";

    private final List<RedisServerProcess> nodes;
    private final int replicas;

    private RedisClusterProcess(List<RedisServerProcess> nodes, int replicas) {
        this.nodes = List.copyOf(nodes);
        this.replicas = replicas;
    }

    /**
     * Starts a cluster of {@code masters} nodes (at least 3, as {@code redis-cli --cluster create} requires).
     *
     * @throws IllegalStateException when {@code redis-server} or {@code redis-cli} is missing, or the cluster does
     *     not form in time
     */
    public static RedisClusterProcess launch(int masters) {
        return launch(masters, 0, Duration.ofSeconds(5));
    }

    /**
     * Starts a cluster of {@code masters} masters (at least 3) with {@code replicasPerMaster} replicas each and the
     * given {@code cluster-node-timeout}; returns once every node reports {@code cluster_state:ok}, knows every
     * other node, and every replica has finished its first sync.
     *
     * @throws IllegalStateException when {@code redis-server} or {@code redis-cli} is missing, or the cluster does
     *     not form in time
     */
    public static RedisClusterProcess launch(int masters, int replicasPerMaster, Duration nodeTimeout) {
        if (masters < 3) {
            throw new IllegalArgumentException("Redis Cluster needs at least 3 masters");
        }
        if (replicasPerMaster < 0) {
            throw new IllegalArgumentException("replicasPerMaster must not be negative");
        }
        Path cli = RedisServerProcess.findOnPath("redis-cli").orElseThrow(() -> new IllegalStateException(
                "no redis-cli on the PATH (apt-get install -y redis-server)"));
        int count = masters * (1 + replicasPerMaster);
        List<Integer> ports = FreePorts.find(count * 2);
        List<RedisServerProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                int port = ports.get(i);
                int busPort = ports.get(count + i);
                started.add(RedisServerProcess.launch(port, List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-port", Integer.toString(busPort),
                        "--cluster-config-file", "nodes-" + port + ".conf",
                        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()))));
            }
            RedisClusterProcess cluster = new RedisClusterProcess(started, masters * replicasPerMaster);
            cluster.create(cli, replicasPerMaster);
            cluster.awaitHealthy();
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisServerProcess::close);
            throw e;
        }
    }

    private void create(Path cli, int replicasPerMaster) {
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
        nodes.forEach(n -> cmd.add(HOST + ":" + n.port()));
        cmd.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
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

    /**
     * Waits until every node reports {@code cluster_state:ok} and knows every other node, and every replica has
     * synced with its master: after {@link #launch}, and after a killed node was started again (it rejoins as a
     * replica of the master that replaced it).
     *
     * @throws IllegalStateException when that does not happen within {@link #FORM_TIMEOUT}
     */
    public void awaitHealthy() {
        awaitOk();
        if (replicas > 0) {
            awaitReplicasSynced();
        }
    }

    private void awaitReplicasSynced() {
        Instant deadline = Instant.now().plus(FORM_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            long synced = nodes.stream().map(n -> String.valueOf(n.command("INFO", "replication")))
                    .filter(i -> i.contains("role:slave") && i.contains("master_link_status:up")
                            && i.contains("master_sync_in_progress:0"))
                    .count();
            if (synced >= replicas) {
                return;
            }
            Resp.pause();
        }
        throw new IllegalStateException("the cluster's " + replicas + " replicas did not sync within " + FORM_TIMEOUT);
    }

    /** Returns the node serving {@code key}'s hash slot as a master now ({@code CLUSTER NODES} of a live node). */
    public RedisServerProcess masterOf(String key) {
        RedisServerProcess live = nodes.stream().filter(RedisServerProcess::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster is running"));
        long slot = (Long) live.command("CLUSTER", "KEYSLOT", key);
        for (String line : String.valueOf(live.command("CLUSTER", "NODES")).split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (range[0].startsWith("[")) {
                    continue;
                }
                long from = Long.parseLong(range[0]);
                long to = range.length > 1 ? Long.parseLong(range[1]) : from;
                if (slot >= from && slot <= to) {
                    int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                    return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new IllegalStateException("no live master serves slot " + slot);
    }

    /**
     * Kills (as a crash would) the master serving {@code key}'s hash slot and returns it; its replica takes over
     * once the other masters agree it failed ({@code cluster-node-timeout} and an election later).
     */
    public RedisServerProcess killMasterOf(String key) {
        RedisServerProcess master = masterOf(key);
        master.stop();
        return master;
    }

    /** Returns every node's process, masters and replicas. */
    public List<RedisServerProcess> processes() {
        return nodes;
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
