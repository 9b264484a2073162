package dev.latchkey.bench;

import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.Environment;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.filter.ApiKeyFilter;
import dev.latchkey.redis.RedisKeyStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What requests cost the store, counted by Redis itself ({@code INFO commandstats}, after {@code CONFIG RESETSTAT}),
 * and how long a cache miss takes over HTTP. {@link ApiKeyFilter} on a {@link RedisKeyStore} in embedded Jetty on
 * loopback, one client thread on one keep-alive connection ({@link KeepAliveClient}):
 * <ol>
 *   <li><b>cached</b>: one key, N requests after a warm-up: store commands per request;</li>
 *   <li><b>cold</b>: N keys created beforehand by another node, each presented once, so every request misses the
 *       cache and reads Redis (after the same with N other keys, unmeasured, as many times as the warm-up passes
 *       say, to have the miss path compiled);
 *       interleaved with a {@code PING} and a request to the same servlet without the filter
 *       (the baselines), and the p50/p99 of each;</li>
 *   <li><b>unknown ids</b>: N/10 made-up ids in well-formed tokens (valid checksum), each presented 10 times within
 *       the negative TTL: store reads per id (the rule: at most one);</li>
 *   <li><b>malformed</b>: N tokens with a wrong checksum, and N values that are no token at all: store commands
 *       (the rule: none).</li>
 * </ol>
 * Usage: {@code StoreReadsDriver redis://127.0.0.1:PORT [N=2000] [usage flush interval in seconds=1]
 * [warm-up passes=4]}. One pass of N keys left the miss path still being compiled while it was timed (its p50 fell
 * by a quarter with four). A long interval keeps the usage flush out of the timed series (each phase still flushes
 * before its counts are read), to tell what the flush's traffic adds to a miss. Uses its own key prefix; leaves its
 * keys behind (run it on a throwaway Redis). The key read is {@code HGETALL}; the other commands counted come from the usage
 * flush, which runs once a second off the request path (its script's commands count one by one); each phase's
 * counts include its own last flush, written before they are read.
 */
public final class StoreReadsDriver {

    private StoreReadsDriver() {
    }

    /** Runs the four phases and prints their figures. */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Duration flushInterval = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 1);
        int warmPasses = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        String prefix = "lkbench" + System.nanoTime() % 100000 + ":";
        TokenCodec codec = TokenCodec.defaults();
        RedisClient admin = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> redis = admin.connect();
                RedisKeyStore filterStore = RedisKeyStore.builder().uri(url).keyPrefix(prefix).build();
                RedisKeyStore otherNode = RedisKeyStore.builder().uri(url).keyPrefix(prefix).build()) {
            KeyManager manager = new KeyManager(otherNode, codec, SecretHasher.sha256(), Clock.systemUTC(),
                    Runnable::run);
            String token = manager.create(Actor.ROOT, CreateKeyRequest.named("cached")
                    .withScopes(List.of("reports:read"))).token();
            Authenticator engine = Authenticator.builder(filterStore)
                    .settings(AuthSettings.builder().scopes("GET /api/** reports:read")
                            .usageFlushInterval(flushInterval).build())
                    .meterRegistry(new SimpleMeterRegistry()).build();
            ApiKeyFilter filter = ApiKeyFilter.builder(engine).build();
            LoopbackJetty server = LoopbackJetty.start(filter);
            KeepAliveClient client = new KeepAliveClient("127.0.0.1", server.port());
            System.out.printf(Locale.ROOT, "N=%d, usage flush every %d s, %d warm-up passes, load average %s%n", n,
                    flushInterval.toSeconds(), warmPasses, loadAverage());
            try {
                for (int i = 0; i < 2000; i++) { // warm-up
                    call(client, "/api/reports", token, 200);
                    call(client, "/open/reports", token, 200);
                }
                reset(redis, engine);
                for (int i = 0; i < n; i++) {
                    call(client, "/api/reports", token, 200);
                }
                report("cached: " + n + " requests of one key", stats(redis, engine), n);

                for (int pass = 0; pass < warmPasses; pass++) { // the miss path's own warm-up, unmeasured
                    for (String t : createKeys(manager, "warm" + pass + "-", n)) {
                        redis.sync().ping();
                        call(client, "/open/reports", token, 200);
                        call(client, "/api/reports", t, 200);
                    }
                }
                List<String> cold = createKeys(manager, "cold-", n);
                long[] coldNanos = new long[n];
                long[] openNanos = new long[n];
                long[] pingNanos = new long[n];
                reset(redis, engine);
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    redis.sync().ping();
                    pingNanos[i] = System.nanoTime() - t0;
                    openNanos[i] = call(client, "/open/reports", token, 200);
                    coldNanos[i] = call(client, "/api/reports", cold.get(i), 200);
                }
                Map<String, Long> coldStats = stats(redis, engine);
                report("cold: " + n + " first requests of " + n + " keys", coldStats, n);
                Stats open = new Stats(openNanos, n);
                Stats miss = new Stats(coldNanos, n);
                System.out.println("  one Redis PING       " + new Stats(pingNanos, n).summary());
                System.out.println("  baseline (no filter) " + open.summary());
                System.out.println("  cache miss           " + miss.summary());
                System.out.printf(Locale.ROOT, "  p50 +%.0f us, p99 +%.0f us over the baseline; p99 %.2f ms%n",
                        miss.percentileMicros(50) - open.percentileMicros(50),
                        miss.percentileMicros(99) - open.percentileMicros(99), miss.percentileMicros(99) / 1000);

                int ids = Math.max(1, n / 10);
                List<String> unknown = new ArrayList<>();
                for (int i = 0; i < ids; i++) {
                    unknown.add(codec.generate(Environment.LIVE, Ids.next()));
                }
                reset(redis, engine);
                long start = System.nanoTime();
                for (int round = 0; round < 10; round++) {
                    for (String u : unknown) {
                        call(client, "/api/reports", u, 401);
                    }
                }
                double took = (System.nanoTime() - start) / 1e9;
                report(String.format(Locale.ROOT, "unknown ids: %d ids x 10 requests in %.1f s", ids, took),
                        stats(redis, engine), 10L * ids);

                reset(redis, engine);
                for (int i = 0; i < n; i++) {
                    String good = codec.generate(Environment.LIVE, Ids.next());
                    String typo = good.substring(0, 40) + (good.charAt(40) == 'a' ? 'b' : 'a') + good.substring(41);
                    call(client, "/api/reports", typo, 401);
                    call(client, "/api/reports", "not a token " + i, 401);
                }
                report("malformed: " + n + " mistyped tokens + " + n + " non-tokens", stats(redis, engine), 2L * n);
            } finally {
                client.close();
                server.stop();
                filter.destroy();
                engine.close();
            }
            System.out.printf(Locale.ROOT, "load average after %s%n", loadAverage());
        } finally {
            admin.shutdown();
        }
    }

    private static List<String> createKeys(KeyManager manager, String name, int n) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(manager.create(Actor.ROOT, CreateKeyRequest.named(name + i)
                    .withScopes(List.of("reports:read"))).token());
        }
        return tokens;
    }

    private static long call(KeepAliveClient client, String path, String token, int expected) throws Exception {
        long t0 = System.nanoTime();
        int status = client.get(path, token);
        long took = System.nanoTime() - t0;
        if (status != expected) {
            throw new IllegalStateException(path + " answered " + status + ", expected " + expected);
        }
        return took;
    }

    /** Writes the usage counted so far, then zeroes Redis's command counts: a phase counts only its own commands. */
    private static void reset(StatefulRedisConnection<String, String> redis, Authenticator engine) {
        flush(engine);
        redis.sync().configResetstat();
    }

    private static void flush(Authenticator engine) {
        if (!engine.usage().flush()) {
            throw new IllegalStateException("the usage flush failed");
        }
    }

    /**
     * Calls per command since the last reset, without this driver's own INFO and CONFIG, after writing the phase's
     * pending usage: a phase's usage flush counts in that phase, never in the next one.
     */
    private static Map<String, Long> stats(StatefulRedisConnection<String, String> redis, Authenticator engine) {
        long t0 = System.nanoTime();
        flush(engine);
        System.out.printf(Locale.ROOT, "  the phase's last usage flush took %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        Map<String, Long> calls = new TreeMap<>();
        for (String line : redis.sync().info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String name = line.substring("cmdstat_".length(), line.indexOf(':'));
            if (name.equals("info") || name.startsWith("config") || name.equals("ping")) {
                continue;
            }
            int at = line.indexOf("calls=") + "calls=".length();
            calls.put(name, Long.parseLong(line.substring(at, line.indexOf(',', at))));
        }
        return calls;
    }

    private static void report(String phase, Map<String, Long> calls, long requests) {
        long total = calls.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "%s: %d Redis commands = %.3f per request %s%n", phase, total,
                (double) total / requests, calls);
    }

    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
