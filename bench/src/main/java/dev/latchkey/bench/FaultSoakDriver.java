package dev.latchkey.bench;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.redis.RedisKeyStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fault soak of issue #21 (run by {@code bench/run-faults.sh}): two filter nodes ({@link FaultNode}, each with
 * its own Redis connections and cache) and the admin service (its shaded jar, a process of its own) on one
 * {@code redis-server} ({@link FaultRedis}) under steady load ({@link FaultLoad}), while Redis is restarted, its
 * pub/sub connections killed, frozen for 5 s, and killed between a usage flush and its acknowledgement. Per fault it
 * prints the answers by class and cause, the seconds to recover after Redis is back, and usage lost or counted twice
 * (uses answered 200 against the stored {@code usage_count}, after a clean stop of the nodes).
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.latchkey.bench.FaultSoakDriver
 * admin-api/target/latchkey-admin.jar [seconds-after-each-fault]}. Everything listens on 127.0.0.1 and every wait is
 * bounded.
 */
public final class FaultSoakDriver {

    /** Lettuce's reconnect chatter (through java.util.logging here); held so the levels stay set. */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("io.lettuce"), java.util.logging.Logger.getLogger("io.netty"));
    private static final int CACHED_KEYS_PER_PHASE = 20;
    private static final int MISS_POOL = 2_000;
    private static final Duration BEFORE_FAULT = Duration.ofSeconds(4);
    /**
     * The slack a 503 may take past the command timeout: Lettuce expires commands on Netty's hashed-wheel timer,
     * whose tick is 100 ms (a timeout fires up to that late), plus the HTTP exchange on a loaded machine.
     */
    private static final Duration TIMEOUT_SLACK = Duration.ofMillis(200);

    private FaultSoakDriver() {
    }

    public static void main(String[] args) throws Exception {
        Path adminJar = Path.of(args.length > 0 ? args[0] : "admin-api/target/latchkey-admin.jar");
        Duration after = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 8);
        if (!Files.isRegularFile(adminJar)) {
            throw new IllegalArgumentException("no admin service jar at " + adminJar);
        }
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.SEVERE));
        System.out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());
        List<Integer> ports = freePorts(2);
        String rootToken = "soak-" + UUID.randomUUID();
        try (FaultRedis redis = new FaultRedis(ports.get(0));
                AdminProcess admin = new AdminProcess(adminJar, ports.get(1), redis.url(), rootToken);
                RedisKeyStore store = RedisKeyStore.builder().uri(redis.url()).keyPrefix("latchkey:").build()) {
            KeyManager manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(),
                    Clock.systemUTC(), Runnable::run);
            List<String> names = List.of("none", "restart", "pubsub-kill", "freeze-5s", "kill-before-ack");
            Map<String, List<FaultLoad.Key>> cachedSets = new LinkedHashMap<>();
            for (String n : names) {
                cachedSets.put(n, createKeys(manager, CACHED_KEYS_PER_PHASE));
            }
            List<FaultLoad.Key> pool = createKeys(manager, MISS_POOL);
            System.out.printf(Locale.ROOT, "redis %s, admin service %s, %d cached keys per phase, %d miss keys%n",
                    redis.url(), admin.base(), CACHED_KEYS_PER_PHASE, MISS_POOL);

            List<FaultLoad.Phase> phases = new ArrayList<>();
            FaultNode a = new FaultNode("A", redis.url());
            FaultNode b = new FaultNode("B", redis.url());
            FaultLoad.Phase first = new FaultLoad.Phase(names.get(0), cachedSets.get(names.get(0)));
            phases.add(first);
            AtomicInteger cursor = new AtomicInteger();
            FaultLoad load = new FaultLoad(first);
            try {
                load.cached("cached@A", a.url(), 2);
                load.cached("cached@B", b.url(), 2);
                load.misses("miss@A", a.url(), i -> pool.get(i % pool.size()), cursor, Duration.ofMillis(100));
                load.misses("miss@B", b.url(), i -> pool.get(i % pool.size()), cursor, Duration.ofMillis(100));
                load.admin(admin.base(), rootToken, Duration.ofMillis(100));
                for (String name : names) {
                    FaultLoad.Phase p = name.equals(first.name) ? first
                            : new FaultLoad.Phase(name, cachedSets.get(name));
                    if (p != first) {
                        phases.add(p);
                        load.phase(p);
                    }
                    Thread.sleep(BEFORE_FAULT.toMillis());
                    p.faultNanos = System.nanoTime();
                    inject(name, redis, a);
                    p.redisBackNanos = System.nanoTime();
                    Thread.sleep(after.toMillis());
                    System.out.printf(Locale.ROOT, "phase %s done (load average %s)%n", name, loadAverage());
                }
            } finally {
                load.close();
                a.close();
                b.close();
            }
            if (cursor.get() > pool.size()) {
                System.out.printf(Locale.ROOT, "warning: %d miss requests for %d miss keys; later ones were cached%n",
                        cursor.get(), pool.size());
            }
            report(phases, store, load);
        }
        System.out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
    }

    private static void inject(String name, FaultRedis redis, FaultNode a) throws Exception {
        switch (name) {
            case "none" -> { }
            case "restart" -> {
                redis.stop();
                Thread.sleep(3_000);
                redis.start();
            }
            case "pubsub-kill" -> System.out.printf(Locale.ROOT, "CLIENT KILL TYPE pubsub: %s%n",
                    redis.command("CLIENT KILL TYPE pubsub"));
            case "freeze-5s" -> {
                redis.signal("STOP");
                Thread.sleep(5_000);
                redis.signal("CONT");
            }
            case "kill-before-ack" -> {
                a.loseNextUsageAck(() -> {
                    try {
                        redis.kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!a.ackFaultFired() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                if (!a.ackFaultFired()) {
                    throw new IllegalStateException("no usage flush within 10 s");
                }
                Thread.sleep(3_000);
                redis.start();
            }
            default -> throw new IllegalArgumentException(name);
        }
    }

    /** Prints each phase, a Markdown table of them, and whether the goals of #21 held. */
    private static void report(List<FaultLoad.Phase> phases, RedisKeyStore store, FaultLoad load) {
        Map<String, long[]> usage = new LinkedHashMap<>();
        phases.forEach(p -> usage.put(p.name, new long[4]));
        load.home.forEach((id, phase) -> {
            LongAdder served = load.servedUses.get(id);
            long counted = served == null ? 0 : served.sum();
            long stored = store.find(id).map(ApiKey::usage).map(u -> u.count()).orElse(0L);
            long[] u = usage.get(phase);
            u[0] += counted;
            u[1] += stored;
            u[2] += Math.max(0, counted - stored);
            u[3] += Math.max(0, stored - counted);
        });
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "| fault | served (2xx) | 5xx by cause | cached keys not served | recovery after Redis back (s) |"
                        + " slowest 503 of a miss (ms) | uses served / stored | lost | counted twice |%n"
                        + "|---|---|---|---|---|---|---|---|---|%n"));
        long total500 = 0;
        long cachedFailures = 0;
        long slowest503 = 0;
        double slowestRecovery = 0;
        long lost = 0;
        long twice = 0;
        for (FaultLoad.Phase p : phases) {
            Map<String, Long> fivexx = new java.util.TreeMap<>();
            long served = 0;
            long cachedBad = 0;
            long phaseSlowest503 = 0;
            for (Map.Entry<String, FaultLoad.ClassStats> c : p.classes.entrySet()) {
                served += c.getValue().count("2");
                if (c.getKey().startsWith("cached")) {
                    cachedBad += c.getValue().answers.entrySet().stream()
                            .filter(e -> !e.getKey().equals("200")).mapToLong(e -> e.getValue().sum()).sum();
                }
                c.getValue().answers.forEach((label, n) -> {
                    if (label.startsWith("5") || label.startsWith("io")) {
                        fivexx.merge(label, n.sum(), Long::sum);
                    }
                });
                if (c.getKey().startsWith("miss")) {
                    phaseSlowest503 = Math.max(phaseSlowest503, c.getValue().slowest503Nanos.get() / 1_000_000);
                }
            }
            long[] u = usage.get(p.name);
            double recovery = p.recoverySeconds();
            double outage = (p.redisBackNanos - p.faultNanos) / 1e9;
            System.out.printf(Locale.ROOT, "%n== %s (fault lasted %.1f s; recovered %.2f s after Redis was back)%n%s"
                    + "    usage: %d uses served, %d stored, %d lost, %d counted twice%n",
                    p.name, outage, recovery, p.describe(), u[0], u[1], u[2], u[3]);
            table.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %.2f | %d | %d / %d | %d | %d |%n",
                    p.name, served, fivexx.isEmpty() ? "none" : fivexx.toString().replaceAll("[{}]", ""), cachedBad,
                    recovery, phaseSlowest503, u[0], u[1], u[2], u[3]));
            total500 += fivexx.entrySet().stream().filter(e -> e.getKey().startsWith("500"))
                    .mapToLong(Map.Entry::getValue).sum();
            cachedFailures += cachedBad;
            slowest503 = Math.max(slowest503, phaseSlowest503);
            slowestRecovery = Math.max(slowestRecovery, recovery);
            lost += u[2];
            twice += u[3];
        }
        System.out.printf(Locale.ROOT, "%n%s%n", table);
        System.out.printf(Locale.ROOT, "goals: 0 x 500: %s (%d); cached keys served throughout: %s (%d not served);"
                + " misses 503 within the command timeout (%d ms, + 200 ms for Lettuce's 100 ms timer tick and HTTP): %s (slowest %d ms); recovery <= 5 s: %s (%.2f s);"
                + " 0 lost: %s (%d); 0 counted twice: %s (%d)%n",
                total500 == 0, total500, cachedFailures == 0, cachedFailures,
                RedisKeyStore.DEFAULT_COMMAND_TIMEOUT.toMillis(),
                slowest503 <= RedisKeyStore.DEFAULT_COMMAND_TIMEOUT.plus(TIMEOUT_SLACK).toMillis(), slowest503,
                slowestRecovery <= 5, slowestRecovery, lost == 0, lost, twice == 0, twice);
    }

    private static List<FaultLoad.Key> createKeys(KeyManager manager, int count) {
        List<FaultLoad.Key> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            IssuedKey issued = manager.create(Actor.ROOT, CreateKeyRequest.named("soak")
                    .withScopes(List.of("reports:read")));
            keys.add(new FaultLoad.Key(issued.key().id(), issued.token()));
        }
        return keys;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports.add(s.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
