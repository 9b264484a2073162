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
import com.sun.management.ThreadMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Measures listing at scale: fills a Redis with N keys through the store's own scripts, in three pipelined passes
 * (records, the expiry index, the listing indexes) so that {@code INFO memory}'s {@code used_memory} growth of each
 * pass is exactly what that part costs per key, then times pages of {@link RedisKeyStore#list} under every filter,
 * deep offsets and 500-key pages, and reports the slowest single query since the load. Not part of the test run:
 * start it by hand against a Redis you can fill and flush (see bench/README.md, "Listing at scale (Redis)").
 *
 * <p>Arguments: the Redis URI, N, and the phase: {@code fill} (flush, fill, report memory), {@code query} (time the
 * queries on the keys a fill left; the "after the load" figures are the first after the load only when no query ran
 * since the fill), {@code both} (the default, in one JVM, whose heap the fill has grown and littered: the
 * queries' collections are then longer than in a JVM that only serves queries, as an admin service does) or
 * {@code migrate} (on the keys a fill left: how long an index filed before the all-keys set takes to get one).
 *
 * <p>The keys: 1,000 tenants, 80 % active / 15 % inactive / 5 % blocked, 10 % trial, 30 % test environment, 30 % with
 * an expiry (a third of those already past when the queries run), one second apart in creation time, the last one
 * created "now"; each with 2 scopes, one IP rule and one metadata pair, a realistic record. The Redis is flushed
 * first ({@code FLUSHDB}): never point it at real data.
 */
public final class ListingScaleMain {

    private static final int WINDOW = 2_000;
    private static final String PREFIX = "latchkey:";

    private static double slowest;
    private static String slowestWhat = "";

    private ListingScaleMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            // The fill flushes the Redis it is given, so no Redis is assumed.
            System.err.println("usage: ListingScaleMain redis://HOST:PORT [keys=1000000] [fill|query|migrate|both]"
                    + " (fill and both FLUSH that Redis first: give it a throwaway one)");
            System.exit(2);
        }
        String uri = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        String phase = args.length > 2 ? args[2] : "both";
        if (!List.of("fill", "query", "both", "migrate").contains(phase)) {
            throw new IllegalArgumentException("phase: fill, query, both or migrate, not " + phase);
        }
        RedisClient client = RedisClient.create(RedisURI.create(uri));
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            if (phase.equals("fill") || phase.equals("both")) {
                fillAndMeasure(conn, n, now);
            }
            if (phase.equals("fill")) {
                return;
            }
            try (RedisKeyStore store = RedisKeyStore.builder().uri(uri).keyPrefix(PREFIX)
                    .commandTimeout(Duration.ofSeconds(30)).build()) {
                warmUp(store, now);
                if (phase.equals("migrate")) {
                    migrate(conn, store, n, now);
                    return;
                }
                query(store, n, now);
            }
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** Flushes the database and fills it with N keys, reporting the memory each part of a key costs. */
    private static void fillAndMeasure(StatefulRedisConnection<String, String> conn, int n, Instant now) {
        RedisAsyncCommands<String, String> redis = conn.async();
        conn.sync().flushdb();
        Instant base = now.minusSeconds(n - 1L); // the last key is created now
        long m0 = usedMemory(conn);
        long fillStart = System.nanoTime();
        fill(redis, n, base, Pass.RECORDS);
        long m1 = usedMemory(conn);
        fill(redis, n, base, Pass.EXPIRY_INDEX);
        long m2 = usedMemory(conn);
        fill(redis, n, base, Pass.LISTING_INDEX);
        long m3 = usedMemory(conn);
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        System.out.printf(Locale.ROOT, "filled %,d keys in %.1f s (3 passes)%n", n, fillSeconds);
        System.out.printf(Locale.ROOT, "used_memory growth per key: total %,.0f B = record %,.0f B + expiry index "
                + "%,.0f B + listing indexes %,.0f B%n", (m3 - m0) / (double) n, (m1 - m0) / (double) n,
                (m2 - m1) / (double) n, (m3 - m2) / (double) n);
        memoryUsage(conn, n);
    }

    /**
     * Warms the JVM's query path, so that the series below time the store and not class loading and the JIT (as
     * in an admin service that has served pages before): pages of one tenant's keys, whose scope no series reads
     * (the first status query of the global scope after the load is still the first), 20 and 500 at a time, so
     * that decoding hundreds of records is compiled too; then drops the fill's and the warm-up's garbage.
     */
    private static void warmUp(RedisKeyStore store, Instant now) {
        for (int i = 0; i < 300; i++) {
            store.list(KeyQuery.clamped("tenant-0007", KeyStatus.ACTIVE, null, null, 0, 20, now));
            store.list(KeyQuery.clamped("tenant-0007", null, null, null, i % 2 * 500, 500, now));
        }
        System.gc();
    }

    private static void query(RedisKeyStore store, int n, Instant now) {
        time("first status=active query after the load", 1,
                () -> store.list(KeyQuery.clamped(null, KeyStatus.ACTIVE, null, null, 0, 20, now)));
        time("first unfiltered query after the load", 1,
                () -> store.list(KeyQuery.clamped(null, null, null, null, 0, 20, now)));
        time("all keys, first page (limit 20)", 1_000,
                () -> store.list(KeyQuery.clamped(null, null, null, null, 0, 20, now)));
        int deep = n / 10 * 9;
        time(String.format(Locale.ROOT, "all keys, offset %,d (limit 20)", deep), 1_000,
                () -> store.list(KeyQuery.clamped(null, null, null, null, deep, 20, now)));
        time("all keys, first page (limit 500)", 500,
                () -> store.list(KeyQuery.clamped(null, null, null, null, 0, 500, now)));
        for (KeyStatus s : KeyStatus.values()) {
            time("status=" + s.wire() + ", first page", 1_000,
                    () -> store.list(KeyQuery.clamped(null, s, null, null, 0, 20, now)));
        }
        for (KeyType t : KeyType.values()) {
            time("type=" + t.wire() + ", first page", 1_000,
                    () -> store.list(KeyQuery.clamped(null, null, t, null, 0, 20, now)));
        }
        for (Environment e : Environment.values()) {
            time("environment=" + e.wire() + ", first page", 1_000,
                    () -> store.list(KeyQuery.clamped(null, null, null, e, 0, 20, now)));
        }
        time("status=active, type=trial, environment=test, first page", 1_000,
                () -> store.list(KeyQuery.clamped(null, KeyStatus.ACTIVE, KeyType.TRIAL, Environment.TEST, 0,
                        20, now)));
        time("one tenant (~1,000 keys), first page", 1_000,
                () -> store.list(KeyQuery.clamped("tenant-0042", null, null, null, 0, 20, now)));
        time("one tenant, status=inactive, first page", 1_000,
                () -> store.list(KeyQuery.clamped("tenant-0042", KeyStatus.INACTIVE, null, null, 0, 20,
                        now)));
        time(String.format(Locale.ROOT, "status=active, offset %,d", n / 2), 1_000,
                () -> store.list(KeyQuery.clamped(null, KeyStatus.ACTIVE, null, null, n / 2, 20, now)));
        time(String.format(Locale.ROOT, "type=trial, environment=test, offset %,d", n / 100), 1_000,
                () -> store.list(KeyQuery.clamped(null, null, KeyType.TRIAL, Environment.TEST, n / 100, 20,
                        now)));
        time("status=expired, first page (limit 500)", 500,
                () -> store.list(KeyQuery.clamped(null, KeyStatus.EXPIRED, null, null, 0, 500, now)));
        time("find by id (cache miss path)", 2_000,
                () -> store.find(idOf(12_345)));
        System.out.printf(Locale.ROOT, "slowest single query since the load: %.2f ms (%s)%n", slowest,
                slowestWhat);
    }

    /**
     * Drops the global scope's all-keys set, as an index filed before it existed has none, runs one unfiltered
     * query (which starts filling the set in the background) and, until the set is full, reads records by id on
     * the store's connection: how long filling takes, and what it costs a read that waits behind its calls.
     */
    private static void migrate(StatefulRedisConnection<String, String> conn, RedisKeyStore store, int n,
            Instant now) {
        String all = new Layout(PREFIX).globalIndex() + ":k";
        conn.sync().del(all);
        long start = System.nanoTime();
        time("unfiltered query that starts filling the all-keys set", 1,
                () -> store.list(KeyQuery.clamped(null, null, null, null, 0, 20, now)));
        List<Long> reads = new ArrayList<>();
        int i = 0;
        while (conn.sync().zcard(all) < n) {
            for (int j = 0; j < 100; j++, i++) {
                long t = System.nanoTime();
                store.find(idOf(i * 7919 % n));
                reads.add(System.nanoTime() - t);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        reads.sort(null);
        System.out.printf(Locale.ROOT, "all-keys set of %,d keys filled in %.2f s; %,d reads by id meanwhile: "
                + "median %.2f  p99 %.2f  max %.2f ms%n", n, seconds, reads.size(),
                reads.get(reads.size() / 2) / 1e6, reads.get((int) (reads.size() * 0.99)) / 1e6,
                reads.get(reads.size() - 1) / 1e6);
        time("all keys, first page (limit 500), filled", 500,
                () -> store.list(KeyQuery.clamped(null, null, null, null, 0, 500, now)));
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

    private enum Pass { RECORDS, EXPIRY_INDEX, LISTING_INDEX }

    /** Writes one part of what the store keeps per key, for the same N keys each pass (same seed). */
    private static void fill(RedisAsyncCommands<String, String> redis, int n, Instant base, Pass pass) {
        Layout layout = new Layout(PREFIX);
        Listing listing = new Listing(layout, Listing.DEFAULT_FILING_BUDGET);
        Script create = Script.load("create");
        Random random = new Random(7);
        List<CompletableFuture<?>> window = new ArrayList<>(WINDOW * 3);
        for (int i = 0; i < n; i++) {
            ApiKey k = key(i, base, random);
            switch (pass) {
                case RECORDS -> {
                    List<String> argv = new ArrayList<>(List.of(layout.channel(), "fill|CREATED|" + k.id() + "|1", "",
                            ""));
                    RecordCodec.encode(k).forEach((f, v) -> {
                        argv.add(f);
                        argv.add(v);
                    });
                    window.add(create.run(redis, ScriptOutputType.INTEGER,
                            new String[] {layout.record(k.id()), layout.outbox(k.id())}, argv.toArray(String[]::new)));
                }
                case EXPIRY_INDEX -> {
                    if (k.expiresAt() != null) { // as RedisEventLog.indexExpiry does
                        window.add(redis.zadd(layout.expiryIndex(), (double) k.expiresAt().toEpochMilli(), k.id())
                                .toCompletableFuture());
                    }
                }
                case LISTING_INDEX -> window.addAll(listing.put(redis, k));
            }
            if (window.size() >= WINDOW * 3) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                window.clear();
            }
            if (i > 0 && i % 250_000 == 0) {
                System.out.printf(Locale.ROOT, "  %s: %,d keys%n", pass, i);
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
        String encoding = "";
        for (int i = 0; i < n; i += Math.max(1, n / 1000)) {
            Long bytes = r.memoryUsage(PREFIX + "k:{" + idOf(i) + "}");
            record += bytes == null ? 0 : bytes;
            samples++;
            encoding = r.objectEncoding(PREFIX + "k:{" + idOf(i) + "}");
        }
        System.out.printf(Locale.ROOT, "MEMORY USAGE of a key record hash: %,.0f B on average (%d samples), "
                + "encoding %s%n", record / (double) samples, samples, encoding);
        Map<String, String> info = info(conn);
        System.out.printf(Locale.ROOT, "INFO memory: used_memory_human=%s used_memory_dataset=%s "
                + "mem_fragmentation_ratio=%s%n", info.get("used_memory_human"), info.get("used_memory_dataset"),
                info.get("mem_fragmentation_ratio"));
    }

    private static void time(String what, int runs, Supplier<?> call) {
        long[] nanos = new long[runs];
        Object last = null;
        long[] gc0 = gc();
        long allocated0 = allocatedBytes();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            last = call.get();
            nanos[i] = System.nanoTime() - t;
        }
        long[] gc1 = gc();
        double kibPerCall = (allocatedBytes() - allocated0) / 1024.0 / runs;
        long first = nanos[0];
        if (first / 1e6 > slowest) {
            slowest = first / 1e6;
            slowestWhat = what;
        }
        // The first call is reported on its own (the "after a bulk load" figure); the percentiles are of the calls
        // after it, so that a p99 of a few hundred calls is not simply the first, cold call.
        if (runs > 1) {
            nanos = Arrays.copyOfRange(nanos, 1, runs);
            runs--;
        }
        Arrays.sort(nanos);
        if (nanos[runs - 1] / 1e6 > slowest) {
            slowest = nanos[runs - 1] / 1e6;
            slowestWhat = what;
        }
        String size = last instanceof Page<?> p ? String.format(Locale.ROOT, " (total %,d, %d items)", p.total(),
                p.items().size()) : "";
        System.out.printf(Locale.ROOT,
                "%-56s first %7.2f  median %6.2f  p99 %6.2f  max %7.2f ms  gc %d in %d ms  %,.0f KiB/call%s%n", what,
                first / 1e6, nanos[runs / 2] / 1e6, nanos[Math.min(runs - 1, (int) (runs * 0.99))] / 1e6,
                nanos[runs - 1] / 1e6, gc1[0] - gc0[0], gc1[1] - gc0[1], kibPerCall, size);
    }

    /**
     * Bytes allocated so far by every live thread (the caller's and Lettuce's event loops, which decode the replies):
     * unlike collection counts, the same from run to run, so a change in what a page allocates shows in one run.
     */
    private static long allocatedBytes() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    /** Collections so far and the milliseconds they took, over all of the JVM's collectors. */
    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, bean.getCollectionCount());
            millis += Math.max(0, bean.getCollectionTime());
        }
        return new long[] {count, millis};
    }
}
