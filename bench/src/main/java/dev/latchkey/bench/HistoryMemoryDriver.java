package dev.latchkey.bench;

import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageMinute;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.redis.RedisKeyStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Redis memory per key per day of usage history (issue #16). Starts its own {@code redis-server} on a free loopback
 * port ({@code --save '' --appendonly no --daemonize yes}), creates K keys per pattern with the Redis store, and
 * writes two consecutive UTC days of per-minute history through the store's usage flush
 * ({@link RedisKeyStore#recordUsage}, one batch per hour with every key's minutes of that hour): each active minute
 * counts all three outcomes (valid 1 to 1,000, denied 0 to 3, rate-limited 0 to 2), and the same script keeps the
 * hour and day roll-ups. The figure is the growth of {@code INFO memory}'s {@code used_memory} per key, for the first
 * day (which also creates the key's day hash, one per 100 days) and for the second day (what each further day adds),
 * with the usage-batch markers deleted before each reading (a sorted set per key of the batch ids of the last 15
 * minutes, kept for exactly-once counting whether or not history is kept). Patterns: a key used every minute, and
 * keys used one minute in E (staggered per key). Also prints {@code MEMORY USAGE} of one key's three kinds of hash.
 * Shuts the server down at the end.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.latchkey.bench.HistoryMemoryDriver [keys per pattern,
 * default 1000] [patterns: one minute in E, comma-separated, default 1,10,60] [port, default a free one]}.
 */
public final class HistoryMemoryDriver {

    private static final String PREFIX = "lk:";

    private HistoryMemoryDriver() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        String patterns = args.length > 1 ? args[1] : "1,10,60";
        int port = args.length > 2 ? Integer.parseInt(args[2]) : freePort();
        if (keys < 1 || keys > 100_000 || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("keys 1 to 100,000; port 1 to 65535");
        }
        List<Integer> every = new ArrayList<>();
        for (String p : patterns.split(",", -1)) {
            int e = Integer.parseInt(p.trim());
            if (e < 1 || e > 1_440) {
                throw new IllegalArgumentException("one minute in E: E from 1 to 1,440");
            }
            every.add(e);
        }
        exec("redis-server", "--port", Integer.toString(port), "--save", "", "--appendonly", "no",
                "--daemonize", "yes");
        String url = "redis://127.0.0.1:" + port;
        RedisClient client = RedisClient.create(url);
        try {
            StatefulRedisConnection<String, String> connection = connect(client);
            RedisCommands<String, String> redis = connection.sync();
            System.out.println("redis-server " + redis.info("server").lines()
                    .filter(l -> l.startsWith("redis_version:")).findFirst().orElse("?") + " on port " + port);
            try (RedisKeyStore store = RedisKeyStore.builder().uri(url).keyPrefix(PREFIX)
                    .commandTimeout(Duration.ofSeconds(30)).build()) {
                KeyManager manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(),
                        Clock.systemUTC(), Runnable::run);
                for (int e : every) {
                    measure(store, manager, redis, keys, e);
                }
            }
            connection.close();
        } finally {
            client.shutdown();
            try {
                exec("redis-cli", "-p", Integer.toString(port), "shutdown", "nosave");
            } catch (IOException e) {
                System.err.println("could not shut down redis-server on port " + port + ": " + e.getMessage());
            }
        }
    }

    private static void measure(RedisKeyStore store, KeyManager manager, RedisCommands<String, String> redis,
            int keys, int every) {
        List<String> ids = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            ids.add(manager.create(Actor.ROOT, CreateKeyRequest.named("mem-" + every + "-" + i)).key().id());
        }
        // Two whole UTC days in the past, inside the default 30-day retention.
        long firstDay = System.currentTimeMillis() / 86_400_000L - 3;
        SplittableRandom random = new SplittableRandom(every);
        long before = usedMemory(redis);
        long dbBefore = redis.dbsize();
        long active = writeDay(store, redis, ids, firstDay, every, random);
        long afterFirst = usedMemory(redis);
        long dbFirst = redis.dbsize();
        writeDay(store, redis, ids, firstDay + 1, every, random);
        long afterSecond = usedMemory(redis);
        long dbSecond = redis.dbsize();
        double first = (afterFirst - before) / (double) keys;
        double next = (afterSecond - afterFirst) / (double) keys;
        double perKeyActive = active / (double) keys;
        System.out.printf(Locale.ROOT, "one minute in %d (%,.0f active minutes per key and day), %,d keys:"
                + " first day %,.0f B per key (%,d Redis keys each), each further day %,.0f B per key (%,d Redis"
                + " keys each) = %.1f B per active minute%n", every, perKeyActive, keys, first,
                (dbFirst - dbBefore) / keys, next, (dbSecond - dbFirst) / keys, next / perKeyActive);
        String record = PREFIX + "k:{" + ids.get(0) + "}";
        long hour = (firstDay + 1) * 24;
        System.out.printf(Locale.ROOT, "  MEMORY USAGE of key 0: a minute hash (one hour) %d B, an hour hash (one"
                + " day) %d B, the day hash (100 days, 2 filled) %d B%n",
                memoryUsage(redis, record + ":hm:" + (hour + 12)), memoryUsage(redis, record + ":hh:" + (firstDay + 1)),
                memoryUsage(redis, record + ":hd:" + Math.floorDiv(firstDay, 100)));
    }

    /** Writes one day of history for every key, an hour per batch; returns the active minutes written. */
    private static long writeDay(RedisKeyStore store, RedisCommands<String, String> redis, List<String> ids,
            long day, int every, SplittableRandom random) {
        long active = 0;
        for (int h = 0; h < 24; h++) {
            List<UsageMinute> minutes = new ArrayList<>();
            for (int k = 0; k < ids.size(); k++) {
                for (int m = 0; m < 60; m++) {
                    long minute = day * 1_440 + h * 60L + m;
                    if ((minute + k) % every != 0) {
                        continue;
                    }
                    minutes.add(new UsageMinute(ids.get(k), minute, 1 + random.nextInt(1_000), random.nextInt(4),
                            random.nextInt(3)));
                }
            }
            active += minutes.size();
            store.recordUsage(new UsageBatch(Ids.next(), List.of(), minutes));
        }
        // The batch markers (k:{id}:u) belong to exactly-once usage counting and live 15 minutes: not history.
        List<String> markers = new ArrayList<>();
        for (String id : ids) {
            markers.add(PREFIX + "k:{" + id + "}:u");
            if (markers.size() == 1_000) {
                redis.del(markers.toArray(String[]::new));
                markers.clear();
            }
        }
        if (!markers.isEmpty()) {
            redis.del(markers.toArray(String[]::new));
        }
        return active;
    }

    private static long usedMemory(RedisCommands<String, String> redis) {
        return redis.info("memory").lines().filter(l -> l.startsWith("used_memory:"))
                .mapToLong(l -> Long.parseLong(l.substring("used_memory:".length()).trim())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no used_memory in INFO memory"));
    }

    private static long memoryUsage(RedisCommands<String, String> redis, String key) {
        Long n = redis.memoryUsage(key);
        return n == null ? -1 : n;
    }

    private static StatefulRedisConnection<String, String> connect(RedisClient client) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return client.connect();
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed");
        }
    }
}
