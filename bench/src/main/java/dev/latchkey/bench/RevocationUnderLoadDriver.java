package dev.latchkey.bench;

import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.Subscription;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.filter.ApiKeyFilter;
import dev.latchkey.redis.RedisKeyStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Revocation under load (#20): two filter nodes — embedded Jetty with {@link ApiKeyFilter}, each on its own
 * {@link RedisKeyStore} connection and cache — serve a steady stream of authenticated requests (from Debian's
 * {@code wrk}, one process per node, when it is on the PATH; else from JDK client threads that alternate between the
 * nodes), while node A's admin rules ({@link KeyManager} on A's store) flip a probe key between
 * {@code inactive} and {@code active}. A probe thread asks node B over HTTP with the probe key until B's answer
 * changes; the time from the admin call's start to B's new answer is the propagation delay. It also times when B's
 * store delivers the change's event (the delivery that evicts B's cached copy), from the same start. The same run
 * measures the baseline: the probe's own request to B with the status unchanged, and one Redis {@code PING}.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.latchkey.bench.RevocationUnderLoadDriver
 * redis://HOST:PORT [changes=300] [connections per node=16]}. Every wait is bounded (a change not seen within 5 s
 * counts as 5 s and is reported). Prints the throughput the two nodes granted during the changes (counted by their
 * own {@code latchkey.auth.requests} meters), the delay's percentiles and the maximum.
 */
public final class RevocationUnderLoadDriver {

    private static final Duration GIVE_UP = Duration.ofSeconds(5);

    private RevocationUnderLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: RevocationUnderLoadDriver redis://HOST:PORT [changes] [connections per node]");
            System.exit(2);
        }
        String url = args[0];
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        String prefix = "latchkey-bench-" + System.nanoTime() + ":";
        try (RedisKeyStore storeA = RedisKeyStore.builder().uri(url).keyPrefix(prefix).build();
                RedisKeyStore storeB = RedisKeyStore.builder().uri(url).keyPrefix(prefix).build()) {
            KeyManager admin = new KeyManager(storeA, TokenCodec.defaults(), SecretHasher.sha256(),
                    Clock.systemUTC(), Runnable::run);
            String loadToken = admin.create(Actor.ROOT, CreateKeyRequest.named("load")
                    .withScopes(List.of("reports:read"))).token();
            var probe = admin.create(Actor.ROOT, CreateKeyRequest.named("probe")
                    .withScopes(List.of("reports:read")));
            Node a = Node.start(storeA);
            Node b = Node.start(storeB);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try {
                run(admin, probe.key().id(), probe.token(), loadToken, a, b, client, changes, connections, storeA,
                        storeB);
            } finally {
                a.stop();
                b.stop();
            }
        }
    }

    private static void run(KeyManager admin, String probeId, String probeToken, String loadToken, Node a, Node b,
            HttpClient client, int changes, int connections, KeyStore storeA, KeyStore storeB) throws Exception {
        HttpRequest probeAtB = request(b, probeToken);
        // When B's store delivers the change's event: the same delivery that evicts B's cached copy.
        AtomicLong eventAtB = new AtomicLong();
        try (Load load = Load.start(client, loadToken, connections, a, b);
                Subscription events = storeB.subscribe(e -> {
                    if (e.type() == KeyEvent.Type.UPDATED && probeId.equals(e.keyId())) {
                        eventAtB.compareAndSet(0, System.nanoTime());
                    }
                })) {
            awaitStatus(client, probeAtB, 200);
            for (int i = 0; i < 200; i++) { // warm-up of both nodes and of the probe's path
                status(client, probeAtB);
            }
            long[] ping = new long[changes];
            long[] probeRtt = new long[changes];
            long[] visible = new long[changes];
            long[] call = new long[changes];
            long[] delivered = new long[changes];
            int late = 0;
            double grantedBefore = a.granted() + b.granted();
            long start = System.nanoTime();
            for (int i = 0; i < changes; i++) {
                long t0 = System.nanoTime();
                storeA.ping();
                ping[i] = System.nanoTime() - t0;
                int before = i % 2 == 0 ? 200 : 401;
                t0 = System.nanoTime();
                if (status(client, probeAtB) != before) {
                    throw new IllegalStateException("node B answered the probe unexpectedly before change " + i);
                }
                probeRtt[i] = System.nanoTime() - t0;
                boolean deactivate = i % 2 == 0;
                eventAtB.set(0);
                t0 = System.nanoTime();
                admin.setStatus(Actor.ROOT, probeId, deactivate ? "inactive" : "active", null, null);
                call[i] = System.nanoTime() - t0;
                visible[i] = awaitStatus(client, probeAtB, deactivate ? 401 : 200) - t0;
                long event = eventAtB.get();
                delivered[i] = event == 0 ? GIVE_UP.toNanos() : event - t0;
                if (visible[i] >= GIVE_UP.toNanos()) {
                    late++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double throughput = (a.granted() + b.granted() - grantedBefore) / seconds;
            Stats pingStats = new Stats(ping, changes);
            Stats probeStats = new Stats(probeRtt, changes);
            Stats visibleStats = new Stats(visible, changes);
            System.out.printf(Locale.ROOT, "load: %s; the two nodes granted %.0f req/s during the %.1f s of changes%n",
                    load.describe(), throughput, seconds);
            System.out.println("baseline: one Redis round trip (PING)       " + pingStats.summary());
            System.out.println("baseline: the probe's request to B          " + probeStats.summary());
            System.out.println("the admin call on A returned after          " + new Stats(call, changes).summary());
            System.out.println("the change's event delivered at B           " + new Stats(delivered, changes).summary());
            System.out.println("status change on A seen in B's answer       " + visibleStats.summary());
            System.out.printf(Locale.ROOT, "changes not seen within %d s: %d of %d%n", GIVE_UP.toSeconds(), late,
                    changes);
            System.out.printf(Locale.ROOT, "ratio p99 delay / p99 probe request = %.1f%n",
                    visibleStats.percentileMicros(99) / probeStats.percentileMicros(99));
        }
    }

    /** The background load: two {@code wrk} processes (one per node) when wrk is installed, else client threads. */
    private static final class Load implements AutoCloseable {
        private final List<Process> processes = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private String description = "";

        static Load start(HttpClient client, String token, int connections, Node... nodes) throws IOException {
            Load load = new Load();
            if (onPath("wrk")) {
                for (Node n : nodes) {
                    load.processes.add(new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d3600s",
                            "-H", "Authorization: Bearer " + token, "http://127.0.0.1:" + n.port() + "/api/reports")
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                }
                load.description = "wrk -t1 -c" + connections + " on each of " + nodes.length + " nodes";
                return load;
            }
            for (int t = 0; t < 4; t++) {
                Node node = nodes[t % nodes.length];
                HttpRequest request = request(node, token);
                Thread w = new Thread(() -> {
                    while (load.running.get()) {
                        status(client, request);
                    }
                }, "load-" + t);
                w.start();
                load.threads.add(w);
            }
            load.description = "4 JDK client threads over " + nodes.length + " nodes (wrk is not installed)";
            return load;
        }

        String describe() {
            return description;
        }

        private static boolean onPath(String command) {
            String path = System.getenv("PATH");
            if (path == null) {
                return false;
            }
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, command))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Process p : processes) {
                p.destroy();
                p.waitFor();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    private static HttpRequest request(Node node, String token) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/reports"))
                .header("Authorization", "Bearer " + token).GET().build();
    }

    /** Asks until the answer is {@code expected}; returns the {@link System#nanoTime()} it was seen, bounded. */
    private static long awaitStatus(HttpClient client, HttpRequest request, int expected) {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            int code = status(client, request);
            long now = System.nanoTime();
            if (code == expected || now > deadline) {
                return now;
            }
        }
    }

    private static int status(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** One filter node: embedded Jetty on a free loopback port, {@link ApiKeyFilter} in front of a tiny servlet. */
    private record Node(LoopbackJetty jetty, ApiKeyFilter filter, SimpleMeterRegistry registry) {

        static Node start(KeyStore store) throws Exception {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ApiKeyFilter filter = ApiKeyFilter.builder(store)
                    .scopes("GET /api/** reports:read")
                    .cacheTtl(Duration.ofMinutes(10))
                    .meterRegistry(registry)
                    .build();
            return new Node(LoopbackJetty.start(filter), filter, registry);
        }

        int port() {
            return jetty.port();
        }

        void stop() throws Exception {
            jetty.stop();
            filter.destroy();
        }

        /** Requests this node granted so far, by its own meter. */
        double granted() {
            var counter = registry.find("latchkey.auth.requests").tag("outcome", "valid").counter();
            return counter == null ? 0 : counter.count();
        }
    }
}
