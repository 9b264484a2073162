package dev.latchkey.bench;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageMinute;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.ConfigManager;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.history.postgres.PostgresHistory;
import dev.latchkey.redis.RedisKeyStore;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Rows per second of usage history shipped from Redis into PostgreSQL (issue #16), through the admin service's own
 * {@code HistoryShipper}: N keys whose storage config is {@code postgresql} get M minutes of history each through the
 * Redis store's usage flush ({@link RedisKeyStore#recordUsage}, which also queues them for shipping), then the shipper
 * runs until it has shipped every key's minutes: per key, take the shipment from Redis, read the key and its effective storage config,
 * add the minutes to PostgreSQL in one transaction by the shipment's id ({@link PostgresHistory#add}: the id row and
 * an upsert per minute), acknowledge in Redis.
 *
 * <p>Baselines in the same run, over the same rows (new minutes every round, so every phase inserts): the same
 * {@link PostgresHistory#add} calls without Redis or the shipper ({@code add alone}, under other key ids), and a plain
 * JDBC batch insert into a bare table of the same columns with no key or index ({@code bare}), one transaction per key
 * as the shipments are, and one transaction for all rows ({@code bare, one tx}). A warm-up round, then rounds whose
 * phase order is reversed every other round. At the end the shipped rows are checked against what was filled.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.latchkey.bench.HistoryShipDriver redis://127.0.0.1:PORT
 * [keys, default 1000] [minutes per key and round, default 1] [rounds, default 3] [postgres host:port, default
 * 127.0.0.1:5432]}. PostgreSQL is reached as user {@code postgres} without a password (trust); the driver creates its
 * own database and drops it at the end, and uses a fresh key prefix in Redis.
 *
 * <p>The shipper is package-private in the admin module (it is started by {@code AdminServer}); it is built here by
 * reflection with a one-hour schedule, so that only this driver's {@code ship()} calls run it.
 */
public final class HistoryShipDriver {

    private static final String TENANT = "bench";
    private static final String BARE = "CREATE TABLE bare_usage_minute (key_id text NOT NULL, tenant_id text NOT NULL,"
            + " minute timestamptz NOT NULL, valid bigint NOT NULL, denied bigint NOT NULL, rate_limited bigint NOT NULL)";
    private static final String BARE_INSERT = "INSERT INTO bare_usage_minute (key_id, tenant_id, minute, valid, denied,"
            + " rate_limited) VALUES (?, ?, ?, ?, ?, ?)";

    private HistoryShipDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: HistoryShipDriver redis://HOST:PORT [keys] [minutes per key and round] [rounds]"
                    + " [postgres host:port]");
            System.exit(2);
        }
        String redisUrl = args[0];
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int minutes = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String hostPort = args.length > 4 ? args[4] : "127.0.0.1:5432";
        if (keys < 1 || keys > 100_000 || minutes < 1 || minutes > 1_440 || rounds < 1 || rounds > 20) {
            throw new IllegalArgumentException("keys 1 to 100,000, minutes 1 to 1,440, rounds 1 to 20");
        }
        if (!hostPort.matches("[A-Za-z0-9.-]+:[0-9]{1,5}")) {
            throw new IllegalArgumentException("postgres must be host:port");
        }
        String db = "latchkey_bench_" + System.currentTimeMillis();
        String adminUrl = "jdbc:postgresql://" + hostPort + "/postgres?user=postgres";
        String dbUrl = "jdbc:postgresql://" + hostPort + "/" + db + "?user=postgres";
        try (Connection admin = DriverManager.getConnection(adminUrl); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        try {
            run(redisUrl, dbUrl, keys, minutes, rounds);
        } finally {
            try (Connection admin = DriverManager.getConnection(adminUrl); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private static void run(String redisUrl, String dbUrl, int keys, int minutes, int rounds) throws Exception {
        Clock clock = Clock.systemUTC();
        String prefix = "latchkey-bench-" + System.nanoTime() + ":";
        try (RedisKeyStore store = RedisKeyStore.builder().uri(redisUrl).keyPrefix(prefix)
                .commandTimeout(Duration.ofSeconds(10)).build();
                PostgresHistory postgres = new PostgresHistory(Duration.ofSeconds(10));
                Connection plain = DriverManager.getConnection(dbUrl)) {
            KeyManager manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(), clock,
                    Runnable::run);
            ConfigManager configs = manager.configs();
            StorageConfig config = configs.createStorage(Actor.ROOT, new ConfigManager.StorageInput(TENANT,
                    "postgresql", 30L, dbUrl, "HistoryShipDriver"));
            List<String> ids = new ArrayList<>(keys);
            for (int i = 0; i < keys; i++) {
                ids.add(manager.create(Actor.ROOT, CreateKeyRequest.named("ship-" + i).withTenant(TENANT)
                        .withConfigs(null, config.id())).key().id());
            }
            try (Statement s = plain.createStatement()) {
                s.execute(BARE);
            }
            plain.setAutoCommit(false);
            long rows = (long) keys * minutes;
            System.out.printf(Locale.ROOT, "keys %,d, minutes per key and round %,d: %,d rows per phase and round,"
                    + " %d rounds after a warm-up%n", keys, minutes, rows, rounds);
            // Recent minutes (the shipper trims rows older than the config's 30 days), new ones every round.
            long firstMinute = clock.millis() / 60_000L - (long) (rounds + 2) * minutes;
            SplittableRandom random = new SplittableRandom(16);
            long[] expected = new long[3];
            double[][] perSecond = new double[4][rounds];
            try (Shipper shipper = Shipper.create(store, configs, postgres, clock)) {
                for (int round = -1; round < rounds; round++) {
                    long base = firstMinute + (long) (round + 1) * minutes;
                    List<List<UsageMinute>> perKey = new ArrayList<>(keys);
                    List<UsageMinute> all = new ArrayList<>();
                    for (String id : ids) {
                        List<UsageMinute> ms = new ArrayList<>(minutes);
                        for (int m = 0; m < minutes; m++) {
                            UsageMinute u = new UsageMinute(id, base + m, 1 + random.nextInt(1_000),
                                    random.nextInt(4), random.nextInt(3));
                            ms.add(u);
                            expected[0] += u.valid();
                            expected[1] += u.denied();
                            expected[2] += u.rateLimited();
                        }
                        perKey.add(ms);
                        all.addAll(ms);
                    }
                    long t0 = System.nanoTime();
                    store.recordUsage(new UsageBatch(Ids.next(), List.of(), all));
                    double fill = rows / seconds(t0);
                    double[] r = new double[4];
                    int[] empty = new int[1];
                    boolean forward = round % 2 == 0;
                    for (int phase = 0; phase < 4; phase++) {
                        int p = forward ? phase : 3 - phase;
                        long start = System.nanoTime();
                        long n = switch (p) {
                            case 0 -> shipAll(shipper, keys, empty);
                            case 1 -> addAlone(postgres, config, perKey);
                            case 2 -> bare(plain, perKey, false);
                            default -> bare(plain, perKey, true);
                        };
                        r[p] = rows / seconds(start);
                        if (p == 0 && n != keys) {
                            throw new IllegalStateException("shipped " + n + " shipments, expected " + keys);
                        }
                    }
                    if (round >= 0) {
                        for (int p = 0; p < 4; p++) {
                            perSecond[p][round] = r[p];
                        }
                    }
                    System.out.printf(Locale.ROOT, "%s: fill Redis %,.0f rows/s; shipper %,.0f rows/s (%d empty"
                            + " rounds); add alone %,.0f; bare %,.0f; bare, one tx %,.0f; shipper / bare %.2f%n",
                            round < 0 ? "warm-up" : "round " + (round + 1), fill, r[0], empty[0], r[1], r[2], r[3],
                            r[0] / r[2]);
                }
            }
            check(plain, ids, expected, rows * (rounds + 1));
            double ship = median(perSecond[0]);
            double alone = median(perSecond[1]);
            double bare = median(perSecond[2]);
            double oneTx = median(perSecond[3]);
            System.out.printf(Locale.ROOT, "median rows/s: shipper %,.0f; add alone %,.0f; bare, tx per key %,.0f;"
                    + " bare, one tx %,.0f%n", ship, alone, bare, oneTx);
            System.out.printf(Locale.ROOT, "ratios of the medians: shipper / bare %.2f; shipper / add alone %.2f;"
                    + " add alone / bare %.2f; shipper / bare one tx %.2f%n", ship / bare, ship / alone, alone / bare,
                    ship / oneTx);
            // Each round's phases ran back to back under the same load: the median of per-round ratios.
            double[] toBare = new double[rounds];
            double[] toAlone = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                toBare[i] = perSecond[0][i] / perSecond[2][i];
                toAlone[i] = perSecond[0][i] / perSecond[1][i];
            }
            System.out.printf(Locale.ROOT, "median of per-round ratios: shipper / bare %.2f (%.2f to %.2f); shipper /"
                    + " add alone %.2f (%.2f to %.2f)%n", median(toBare), min(toBare), max(toBare), median(toAlone),
                    min(toAlone), max(toAlone));
            for (String id : ids) {
                manager.delete(Actor.ROOT, id);
            }
        }
    }

    /**
     * Runs the shipper's rounds back to back until it has handled {@code expected} shipments; returns how many it
     * handled. A round can end with shipments still queued: the store picks keys at random from its set of keys to
     * ship, in which a key stays after its shipment until a pick finds it empty and removes it, and gives up after 16
     * such picks in a row. On the admin service the next round, a second later, takes the rest; here it follows at once.
     */
    private static long shipAll(Shipper shipper, long expected, int[] emptyRounds) {
        long n = 0;
        int idle = 0;
        while (n < expected) {
            int got = shipper.ship();
            n += got;
            idle = got == 0 ? idle + 1 : 0;
            emptyRounds[0] += got == 0 ? 1 : 0;
            if (idle > 10_000) {
                throw new IllegalStateException("the shipper found nothing in 10,000 rounds after " + n + " shipments");
            }
        }
        return n;
    }

    /** The shipper's PostgreSQL step alone: one {@link PostgresHistory#add} per key, under other key ids. */
    private static long addAlone(PostgresHistory postgres, StorageConfig config, List<List<UsageMinute>> perKey) {
        long n = 0;
        for (List<UsageMinute> ms : perKey) {
            String id = "alone-" + ms.get(0).keyId();
            List<UsageMinute> renamed = new ArrayList<>(ms.size());
            for (UsageMinute m : ms) {
                renamed.add(new UsageMinute(id, m.minute(), m.valid(), m.denied(), m.rateLimited()));
            }
            if (postgres.add(config, TENANT, id, Ids.next(), renamed)) {
                n++;
            }
        }
        return n;
    }

    /** Plain JDBC batch inserts into the bare table: a transaction per key, or one for all (a batch per 1,000). */
    private static long bare(Connection c, List<List<UsageMinute>> perKey, boolean oneTransaction)
            throws SQLException {
        long n = 0;
        try (PreparedStatement s = c.prepareStatement(BARE_INSERT)) {
            for (List<UsageMinute> ms : perKey) {
                for (UsageMinute m : ms) {
                    s.setString(1, (oneTransaction ? "one-" : "key-") + m.keyId());
                    s.setString(2, TENANT);
                    s.setTimestamp(3, Timestamp.from(Instant.ofEpochSecond(m.minute() * 60)));
                    s.setLong(4, m.valid());
                    s.setLong(5, m.denied());
                    s.setLong(6, m.rateLimited());
                    s.addBatch();
                    n++;
                    if (oneTransaction && n % 1_000 == 0) {
                        s.executeBatch();
                    }
                }
                if (!oneTransaction) {
                    s.executeBatch();
                    c.commit();
                }
            }
            s.executeBatch();
            c.commit();
        }
        return n;
    }

    /** Checks that the shipped keys' rows in PostgreSQL are exactly the rows filled into Redis. */
    private static void check(Connection c, List<String> ids, long[] expected, long rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*), coalesce(sum(valid), 0),"
                + " coalesce(sum(denied), 0), coalesce(sum(rate_limited), 0) FROM latchkey_usage_minute"
                + " WHERE key_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                long[] got = {r.getLong(2), r.getLong(3), r.getLong(4)};
                if (r.getLong(1) != rows || !Arrays.equals(got, expected)) {
                    throw new IllegalStateException("PostgreSQL holds " + r.getLong(1) + " rows " + Arrays.toString(got)
                            + ", expected " + rows + " rows " + Arrays.toString(expected));
                }
                System.out.printf(Locale.ROOT, "checked: PostgreSQL holds the %,d shipped rows, sums %s as filled%n",
                        rows, Arrays.toString(got));
            }
        }
        c.commit();
    }

    private static double seconds(long startNanos) {
        return Math.max(1, System.nanoTime() - startNanos) / 1e9;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The admin service's package-private {@code HistoryShipper}, built by reflection and driven by hand. */
    private static final class Shipper implements AutoCloseable {

        private final AutoCloseable target;
        private final Method ship;

        private Shipper(AutoCloseable target, Method ship) {
            this.target = target;
            this.ship = ship;
        }

        static Shipper create(KeyStore store, ConfigManager configs, PostgresHistory postgres, Clock clock)
                throws ReflectiveOperationException {
            Class<?> type = Class.forName("dev.latchkey.admin.HistoryShipper");
            Constructor<?> make = type.getDeclaredConstructor(KeyStore.class, ConfigManager.class,
                    PostgresHistory.class, Clock.class, Duration.class);
            make.setAccessible(true);
            Method ship = type.getDeclaredMethod("ship");
            ship.setAccessible(true);
            // An hour between scheduled rounds: during the run only ship() calls from here move anything.
            return new Shipper((AutoCloseable) make.newInstance(store, configs, postgres, clock, Duration.ofHours(1)),
                    ship);
        }

        int ship() {
            try {
                return (Integer) ship.invoke(target);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws Exception {
            target.close();
        }
    }
}
