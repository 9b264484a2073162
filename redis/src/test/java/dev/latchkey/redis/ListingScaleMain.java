package dev.latchkey.redis;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Environment;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Page;
import dev.latchkey.core.RuleStatus;
import dev.latchkey.testkit.Keys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Measures listing at scale: fills a Redis with N keys through the store's own scripts (create + index filing,
 * pipelined in windows of a few thousand commands), then times pages of {@link RedisKeyStore#list} for the common
 * queries and reads Redis memory per key ({@code INFO memory} before and after, {@code MEMORY USAGE} of records and
 * index structures). Not part of the test run: start it by hand against a Redis you can fill and flush.
 *
 * <pre>
 * redis-server --port 6391 --save "" --appendonly no --daemonize yes
 * cd redis &amp;&amp; mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.latchkey.redis.ListingScaleMain \
 *     redis://127.0.0.1:6391 1000000
 * </pre>
 *
 * The keys: 1,000 tenants, 80 % active / 15 % inactive / 5 % blocked, 10 % trial, 30 % test environment, 30 % with
 * an expiry (a third of those already past), one second apart in creation time; each with 2 scopes, one IP rule and
 * one metadata pair, a realistic record. The Redis is flushed first ({@code FLUSHDB}): never point it at real data.
 *
 * <p>Measured 2026-11-27 on the 2-core development machine (Redis 7.0.15, shared with other builds), N = 1,000,000:
 * pages of 20 take a median of 1 to 3 ms for every query shape above, deep offsets included (offset 900,000: 1.1 to
 * 1.7 ms), 500-key pages 17 to 25 ms (mostly decoding in Java), a find by id 0.06 ms. Memory is 2,391 B per key with
 * Redis's default {@code hash-max-listpack-value 64} (the record's JSON fields push its hash to a hashtable: 1,820 B)
 * and 1,474 B per key with {@code hash-max-listpack-value 256} (record 728 B); the indexes take about 360 B per key for
 * the all-keys scope and 330 B for the tenant scopes. The first status query after 95,000 keys expired at once
 * refiles them in 1.5 to 2.9 s, in calls of a few tens of milliseconds each.
 */
public final class ListingScaleMain {

    private static final int WINDOW = 2_000;
    private static final String PREFIX = "latchkey:";

    private ListingScaleMain() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args.length > 0 ? args[0] : "redis://127.0.0.1:6391";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        RedisClient client = RedisClient.create(RedisURI.create(uri));
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisAsyncCommands<String, String> redis = conn.async();
            conn.sync().flushdb();
            long before = usedMemory(conn);
            Instant base = Instant.parse("2026-01-01T00:00:00Z");

            long fillStart = System.nanoTime();
            fill(redis, n, base);
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            long after = usedMemory(conn);
            System.out.printf(Locale.ROOT, "filled %,d keys in %.1f s (%,.0f keys/s)%n", n, fillSeconds,
                    n / fillSeconds);
            System.out.printf(Locale.ROOT, "INFO memory used_memory: before %,d B, after %,d B: %,.0f B per key%n",
                    before, after, (after - before) / (double) n);
            memoryUsage(conn, n);

            Instant now = base.plusSeconds(n); // the moment the last key was created
            try (RedisKeyStore store = RedisKeyStore.builder().uri(uri).keyPrefix(PREFIX)
                    .commandTimeout(Duration.ofSeconds(30)).build()) {
                time("first status=active query (files every expired key: one-off)", 1,
                        () -> store.list(KeyQuery.clamped(null, KeyStatus.ACTIVE, null, null, 0, 20, now)));
                time("all keys, first page (limit 20)", 200,
                        () -> store.list(KeyQuery.clamped(null, null, null, null, 0, 20, now)));
                time("all keys, offset 900,000 (limit 20)", 200,
                        () -> store.list(KeyQuery.clamped(null, null, null, null, 900_000, 20, now)));
                time("all keys, first page (limit 500)", 50,
                        () -> store.list(KeyQuery.clamped(null, null, null, null, 0, 500, now)));
                time("one tenant (~1,000 keys), first page", 200,
                        () -> store.list(KeyQuery.clamped("tenant-0042", null, null, null, 0, 20, now)));
                time("status=active, first page (4-class union + filing check)", 200,
                        () -> store.list(KeyQuery.clamped(null, KeyStatus.ACTIVE, null, null, 0, 20, now)));
                time("status=active, offset 500,000", 200,
                        () -> store.list(KeyQuery.clamped(null, KeyStatus.ACTIVE, null, null, 500_000, 20, now)));
                time("status=expired (8-class union), first page", 200,
                        () -> store.list(KeyQuery.clamped(null, KeyStatus.EXPIRED, null, null, 0, 20, now)));
                time("type=trial, environment=test (5-class union), offset 10,000", 200,
                        () -> store.list(KeyQuery.clamped(null, null, KeyType.TRIAL, Environment.TEST, 10_000, 20,
                                now)));
                time("type=standard (10-class union), offset 50,000", 200,
                        () -> store.list(KeyQuery.clamped(null, null, KeyType.STANDARD, null, 50_000, 20, now)));
                time("one tenant, status=inactive", 200,
                        () -> store.list(KeyQuery.clamped("tenant-0042", KeyStatus.INACTIVE, null, null, 0, 20,
                                now)));
                time("find by id (cache miss path)", 2_000,
                        () -> store.find(idOf(12_345)));
            }
        } finally {
            client.shutdown();
        }
    }

    /** Ids that sort by creation time like ULIDs, fixed-width, so runs are repeatable. */
    static String idOf(int i) {
        return String.format(Locale.ROOT, "01K%023d", i);
    }

    static ApiKey key(int i, Instant base, Random random) {
        String id = idOf(i);
        int r = random.nextInt(100);
        KeyStatus status = r < 80 ? KeyStatus.ACTIVE : r < 95 ? KeyStatus.INACTIVE : KeyStatus.BLOCKED;
        Instant created = base.plusSeconds(i);
        ApiKey.Builder b = ApiKey.builder().id(id).tenantId(String.format(Locale.ROOT, "tenant-%04d", i % 1000))
                .ownerId("svc-" + (i % 97)).name("service key " + i)
                .environment(random.nextInt(10) < 3 ? Environment.TEST : Environment.LIVE)
                .type(random.nextInt(10) == 0 ? KeyType.TRIAL : KeyType.STANDARD)
                .storedStatus(status)
                .scopes(List.of("reports:read", "reports:write"))
                .ipRestrictions(List.of(IpRestriction.of(String.format(Locale.ROOT, "01R%023d", i), "10.0.0.0/8",
                        "office", RuleStatus.ACTIVE)))
                .metadata(Map.of("team", "payments"))
                .createdAt(created).updatedAt(created)
                .current(Keys.generated(Keys.token(id)));
        if (random.nextInt(10) < 3) {
            // a third of the expiring keys are past their expiry when the queries run
            b.expiresAt(random.nextInt(3) == 0 ? created.plusSeconds(60) : created.plus(Duration.ofDays(90)));
        }
        return b.build();
    }

    private static void fill(RedisAsyncCommands<String, String> redis, int n, Instant base) {
        Layout layout = new Layout(PREFIX);
        Listing listing = new Listing(layout, Listing.DEFAULT_FILING_BUDGET);
        Script create = Script.load("create");
        Random random = new Random(7);
        List<CompletableFuture<?>> window = new ArrayList<>(WINDOW * 3);
        for (int i = 0; i < n; i++) {
            ApiKey k = key(i, base, random);
            List<String> argv = new ArrayList<>();
            argv.add(layout.channel());
            argv.add("fill|CREATED|" + k.id() + "|1");
            RecordCodec.encode(k).forEach((f, v) -> {
                argv.add(f);
                argv.add(v);
            });
            window.add(create.run(redis, ScriptOutputType.INTEGER, new String[] {layout.record(k.id())},
                    argv.toArray(String[]::new)));
            window.addAll(listing.put(redis, k));
            if (window.size() >= WINDOW * 3) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                window.clear();
            }
            if (i > 0 && i % 100_000 == 0) {
                System.out.printf(Locale.ROOT, "  %,d keys%n", i);
            }
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
    }

    private static long usedMemory(StatefulRedisConnection<String, String> conn) {
        return Long.parseLong(info(conn).get("used_memory"));
    }

    private static Map<String, String> info(StatefulRedisConnection<String, String> conn) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : conn.sync().info("memory").split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return out;
    }

    private static void memoryUsage(StatefulRedisConnection<String, String> conn, int n) {
        var r = conn.sync();
        long record = 0;
        int samples = 0;
        for (int i = 0; i < n; i += Math.max(1, n / 1000)) {
            Long bytes = r.memoryUsage(PREFIX + "k:{" + idOf(i) + "}");
            record += bytes == null ? 0 : bytes;
            samples++;
        }
        System.out.printf(Locale.ROOT, "MEMORY USAGE of a key record hash: %,.0f B on average (%d samples)%n",
                record / (double) samples, samples);
        long index = 0;
        for (String scope : List.of(PREFIX + "idx:{all}")) {
            for (String suffix : suffixes()) {
                Long bytes = r.memoryUsage(scope + ":" + suffix);
                index += bytes == null ? 0 : bytes;
            }
        }
        System.out.printf(Locale.ROOT, "MEMORY USAGE of the all-keys index scope: %,d B = %,.0f B per key%n", index,
                index / (double) n);
        long tenants = 0;
        for (int t = 0; t < 1000; t++) {
            for (String suffix : suffixes()) {
                Long bytes = r.memoryUsage(PREFIX + "idx:{t:" + String.format(Locale.ROOT, "tenant-%04d", t) + "}:"
                        + suffix);
                tenants += bytes == null ? 0 : bytes;
            }
        }
        System.out.printf(Locale.ROOT, "MEMORY USAGE of the 1,000 tenant index scopes: %,d B = %,.0f B per key%n",
                tenants, tenants / (double) n);
        Map<String, String> info = info(conn);
        System.out.printf(Locale.ROOT, "INFO memory: used_memory_human=%s used_memory_dataset=%s "
                + "mem_fragmentation_ratio=%s%n", info.get("used_memory_human"), info.get("used_memory_dataset"),
                info.get("mem_fragmentation_ratio"));
    }

    private static List<String> suffixes() {
        List<String> out = new ArrayList<>(List.of("all", "meta"));
        for (String s : List.of("a", "i", "b", "xa", "xi")) {
            for (String t : List.of("s", "t")) {
                for (String e : List.of("l", "t")) {
                    out.add("c:" + s + t + e);
                    if (!s.equals("b") && s.length() == 1) {
                        out.add("e:" + s + t + e);
                        out.add("x:" + s + t + e);
                    }
                }
            }
        }
        return out;
    }

    private static void time(String what, int runs, Supplier<?> call) {
        long[] nanos = new long[runs];
        Object last = null;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            last = call.get();
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        String size = last instanceof Page<?> p ? String.format(Locale.ROOT, " (total %,d, %d items)", p.total(),
                p.items().size()) : "";
        System.out.printf(Locale.ROOT, "%-62s median %7.2f ms  p99 %7.2f ms  max %7.2f ms%s%n", what,
                nanos[runs / 2] / 1e6, nanos[Math.min(runs - 1, (int) (runs * 0.99))] / 1e6, nanos[runs - 1] / 1e6,
                size);
    }
}
