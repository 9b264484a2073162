package dev.latchkey.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A Redis deployment watched by Sentinel, as real processes on free loopback ports: one master, one replica and
 * three {@code redis-server --sentinel} processes (quorum 2) monitoring it under the name {@value #MASTER_NAME}, with
 * {@code down-after-milliseconds} and {@code failover-timeout} as given. {@link #launch(Duration, Duration)} returns
 * once the replica has synced and every sentinel knows the replica and the two other sentinels, so a failover can
 * start at once. For failover tests: {@link #killMaster()} kills the current master as a crash would and
 * {@link #awaitSwitch(int, Duration)} waits until the sentinels name another one.
 */
public final class RedisSentinelProcess implements AutoCloseable {

    /** The name the sentinels monitor the master under (the fragment of {@link #uri()}). */
    public static final String MASTER_NAME = "latchkey";
    /** How long forming the deployment may take. */
    public static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOST = "127.0.0.1";

    private final List<RedisServerProcess> servers;
    private final List<RedisServerProcess> sentinels;
    private final Duration failoverTimeout;
    private volatile Instant lastSwitch = Instant.MIN;

    private RedisSentinelProcess(List<RedisServerProcess> servers, List<RedisServerProcess> sentinels,
            Duration failoverTimeout) {
        this.servers = List.copyOf(servers);
        this.sentinels = List.copyOf(sentinels);
        this.failoverTimeout = failoverTimeout;
    }

    /**
     * Starts the master, its replica and three sentinels.
     *
     * @throws IllegalStateException when {@code redis-server} is missing or the deployment does not form in time
     */
    public static RedisSentinelProcess launch(Duration downAfter, Duration failoverTimeout) {
        List<Integer> ports = FreePorts.find(5);
        List<RedisServerProcess> servers = new ArrayList<>();
        List<RedisServerProcess> sentinels = new ArrayList<>();
        try {
            servers.add(RedisServerProcess.launch(ports.get(0), List.of()));
            servers.add(RedisServerProcess.launch(ports.get(1),
                    List.of("--replicaof", HOST, Integer.toString(ports.get(0)))));
            for (int i = 2; i < 5; i++) {
                sentinels.add(RedisServerProcess.launchSentinel(ports.get(i), String.join("\n",
                        "sentinel monitor " + MASTER_NAME + " " + HOST + " " + ports.get(0) + " 2",
                        "sentinel down-after-milliseconds " + MASTER_NAME + " " + downAfter.toMillis(),
                        "sentinel failover-timeout " + MASTER_NAME + " " + failoverTimeout.toMillis(),
                        "sentinel parallel-syncs " + MASTER_NAME + " 1",
                        "")));
            }
            RedisSentinelProcess deployment = new RedisSentinelProcess(servers, sentinels, failoverTimeout);
            deployment.awaitFormed();
            deployment.awaitHealthy();
            return deployment;
        } catch (RuntimeException e) {
            sentinels.forEach(RedisServerProcess::close);
            servers.forEach(RedisServerProcess::close);
            throw e;
        }
    }

    private void awaitFormed() {
        Instant deadline = Instant.now().plus(FORM_TIMEOUT);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            String replication = String.valueOf(servers.get(1).command("INFO", "replication"));
            boolean ready = replication.contains("master_link_status:up")
                    && replication.contains("master_sync_in_progress:0");
            for (RedisServerProcess s : sentinels) {
                if (!ready) {
                    break;
                }
                List<?> fields = (List<?>) s.command("SENTINEL", "MASTER", MASTER_NAME);
                last = String.valueOf(fields);
                ready = "1".equals(field(fields, "num-slaves")) && "2".equals(field(fields, "num-other-sentinels"));
            }
            if (ready) {
                return;
            }
            Resp.pause();
        }
        throw new IllegalStateException("the sentinels did not see the replica and each other within "
                + FORM_TIMEOUT + "; last SENTINEL MASTER: " + last);
    }

    private static @Nullable String field(List<?> flat, String name) {
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (name.equals(flat.get(i))) {
                return String.valueOf(flat.get(i + 1));
            }
        }
        return null;
    }

    /**
     * Returns the URI in API.md §1 form: {@code redis-sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3#latchkey}.
     */
    public String uri() {
        return "redis-sentinel://" + sentinels.stream().map(s -> HOST + ":" + s.port())
                .collect(Collectors.joining(",")) + "#" + MASTER_NAME;
    }

    /** Returns the port of the master as the first live sentinel names it now. */
    public int masterPort() {
        for (RedisServerProcess s : sentinels) {
            try {
                List<?> addr = (List<?>) s.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
                return Integer.parseInt(String.valueOf(addr.get(1)));
            } catch (IllegalStateException e) {
                // try the next sentinel
            }
        }
        throw new IllegalStateException("no sentinel answers");
    }

    /** Returns the current master's process. */
    public RedisServerProcess master() {
        int port = masterPort();
        return servers.stream().filter(s -> s.port() == port).findFirst().orElseThrow();
    }

    /** Returns the master and the replica (in start order, not by role). */
    public List<RedisServerProcess> servers() {
        return servers;
    }

    /** Returns the three sentinels. */
    public List<RedisServerProcess> sentinels() {
        return sentinels;
    }

    /** Kills the current master as a crash would and returns its process (restart it with {@code start()}). */
    public RedisServerProcess killMaster() {
        RedisServerProcess master = master();
        master.stop();
        return master;
    }

    /**
     * Waits until the sentinels name a master other than {@code oldPort} and returns when they did.
     *
     * @throws IllegalStateException when they do not within {@code within}
     */
    public Instant awaitSwitch(int oldPort, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (masterPort() != oldPort) {
                lastSwitch = Instant.now();
                return lastSwitch;
            }
            Resp.pause();
        }
        throw new IllegalStateException("the sentinels did not switch from port " + oldPort + " within " + within);
    }

    /**
     * Waits until both servers run, the one the sentinels do not name as master has synced with the master, and
     * every sentinel sees exactly one healthy replica: after {@link #launch}, and after a killed master was started
     * again (the sentinels turn it into a replica of the master that replaced it).
     *
     * @throws IllegalStateException when that does not happen within {@link #FORM_TIMEOUT}
     */
    public void awaitHealthy() {
        Instant deadline = Instant.now().plus(FORM_TIMEOUT);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                int master = masterPort();
                RedisServerProcess replica = servers.stream().filter(s -> s.port() != master).findFirst()
                        .orElseThrow();
                String info = String.valueOf(replica.command("INFO", "replication"));
                last = info;
                boolean ready = info.contains("role:slave") && info.contains("master_port:" + master)
                        && info.contains("master_link_status:up") && info.contains("master_sync_in_progress:0");
                for (RedisServerProcess s : sentinels) {
                    if (!ready) {
                        break;
                    }
                    List<?> replicas = (List<?>) s.command("SENTINEL", "REPLICAS", MASTER_NAME);
                    last = String.valueOf(replicas);
                    ready = replicas.size() == 1 && "slave".equals(field((List<?>) replicas.get(0), "flags"));
                }
                if (ready) {
                    return;
                }
            } catch (IllegalStateException e) {
                last = e.getMessage();
            }
            Resp.pause();
        }
        throw new IllegalStateException("the deployment did not become healthy within " + FORM_TIMEOUT + "; last: "
                + last);
    }

    /**
     * Waits until the sentinels may fail over again: a sentinel does not start a failover of a master within twice
     * the failover timeout of the previous attempt, so a test that breaks the master again sooner would measure that
     * rule instead of the failover. The rule is a time, not an event, so this waits for the time.
     */
    public void awaitFailoverAllowed() {
        Instant allowed = lastSwitch.equals(Instant.MIN) ? Instant.MIN
                : lastSwitch.plus(failoverTimeout.multipliedBy(2)).plusSeconds(1);
        while (Instant.now().isBefore(allowed)) {
            Resp.pause();
        }
    }

    /** Stops every process and deletes their directories. */
    @Override
    public void close() {
        sentinels.forEach(RedisServerProcess::close);
        servers.forEach(RedisServerProcess::close);
    }

    @Override
    public String toString() {
        return "RedisSentinelProcess[" + uri() + "]";
    }
}
