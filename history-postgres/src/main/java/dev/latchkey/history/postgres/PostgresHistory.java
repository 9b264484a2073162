package dev.latchkey.history.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.core.admin.HistoryRange;
import dev.latchkey.core.admin.HistorySource;
import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.StorageKind;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.UsageBucket;
import dev.latchkey.core.UsageMinute;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage history in the PostgreSQL databases that {@code postgresql} storage configs name (API.md §10). One small
 * HikariCP pool per JDBC URL, opened on first use; on opening, the tables are created or migrated under an advisory
 * lock (so several admin nodes can start together), versions recorded in {@code latchkey_schema}.
 *
 * <p>{@link #add} applies one shipment in one transaction: it records the shipment's batch id first and adds nothing
 * when the id was seen (a shipment replayed after a lost answer), else adds each minute's counts with an upsert. Reads
 * group minutes into hours and days in SQL (UTC). Thread-safe; {@link #close()} closes the pools.
 */
public final class PostgresHistory implements HistorySource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresHistory.class);
    private static final List<String> MIGRATIONS = List.of("V1__usage_history.sql");
    private static final long LOCK = 0x4c4b4849L; // "LKHI"
    private static final int POOL_SIZE = 2;
    private static final String READ_MINUTES = "SELECT minute, valid, denied, rate_limited FROM latchkey_usage_minute"
            + " WHERE key_id = ? AND minute >= ? AND minute < ? ORDER BY 1";
    private static final String READ_HOURS = "SELECT date_trunc('hour', minute), sum(valid), sum(denied),"
            + " sum(rate_limited) FROM latchkey_usage_minute WHERE key_id = ? AND minute >= ? AND minute < ?"
            + " GROUP BY 1 ORDER BY 1";
    private static final String READ_DAYS = "SELECT date_trunc('day', minute), sum(valid), sum(denied),"
            + " sum(rate_limited) FROM latchkey_usage_minute WHERE key_id = ? AND minute >= ? AND minute < ?"
            + " GROUP BY 1 ORDER BY 1";

    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final Duration connectTimeout;
    private volatile boolean closed;

    /** Creates the history with a 5-second connection timeout. */
    public PostgresHistory() {
        this(Duration.ofSeconds(5));
    }

    /** Creates the history with the longest wait for a connection. */
    public PostgresHistory(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /**
     * Adds one shipment of a key's minutes to the config's database, exactly once per {@code batchId}.
     *
     * @return whether it was added ({@code false}: that batch was applied before)
     * @throws StoreUnavailableException when the database cannot be reached (retry with the same batch id)
     */
    public boolean add(StorageConfig config, String tenantId, String keyId, String batchId, List<UsageMinute> minutes) {
        try (Connection c = pool(config).getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean fresh;
                try (PreparedStatement s = c.prepareStatement("INSERT INTO latchkey_usage_batch (batch_id, key_id)"
                        + " VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                    s.setString(1, batchId);
                    s.setString(2, keyId);
                    fresh = s.executeUpdate() == 1;
                }
                if (fresh) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO latchkey_usage_minute (key_id,"
                            + " tenant_id, minute, valid, denied, rate_limited) VALUES (?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (key_id, minute) DO UPDATE SET valid = latchkey_usage_minute.valid"
                            + " + EXCLUDED.valid, denied = latchkey_usage_minute.denied + EXCLUDED.denied,"
                            + " rate_limited = latchkey_usage_minute.rate_limited + EXCLUDED.rate_limited")) {
                        for (UsageMinute m : minutes) {
                            s.setString(1, keyId);
                            s.setString(2, tenantId);
                            s.setTimestamp(3, Timestamp.from(Instant.ofEpochSecond(m.minute() * 60)));
                            s.setLong(4, m.valid());
                            s.setLong(5, m.denied());
                            s.setLong(6, m.rateLimited());
                            s.addBatch();
                        }
                        s.executeBatch();
                    }
                }
                c.commit();
                return fresh;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Deletes minutes older than the config's retention and shipment ids older than 7 days.
     *
     * @return the minute rows deleted
     */
    public int trim(StorageConfig config, Instant now) {
        try (Connection c = pool(config).getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM latchkey_usage_minute WHERE minute < ?");
             PreparedStatement b = c.prepareStatement("DELETE FROM latchkey_usage_batch WHERE applied_at < ?")) {
            s.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(config.retentionDays()))));
            b.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(7))));
            int n = s.executeUpdate();
            b.executeUpdate();
            return n;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<UsageBucket> read(StorageConfig config, String keyId, HistoryRange range) {
        String sql = switch (range.granularity()) {
            case MINUTE -> READ_MINUTES;
            case HOUR -> READ_HOURS;
            case DAY -> READ_DAYS;
        };
        try (Connection c = pool(config).getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, keyId);
            s.setTimestamp(2, Timestamp.from(range.from()));
            s.setTimestamp(3, Timestamp.from(range.to()));
            List<UsageBucket> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new UsageBucket(r.getTimestamp(1).toInstant(), r.getLong(2), r.getLong(3), r.getLong(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private HikariDataSource pool(StorageConfig config) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (config.kind() != StorageKind.POSTGRESQL) {
            throw new IllegalArgumentException("not a postgresql storage config");
        }
        String url = Objects.requireNonNull(config.jdbcUrl());
        return pools.computeIfAbsent(url, this::open);
    }

    private HikariDataSource open(String url) {
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(url);
        h.setMaximumPoolSize(POOL_SIZE);
        h.setMinimumIdle(0);
        h.setConnectionTimeout(connectTimeout.toMillis());
        h.setInitializationFailTimeout(-1);
        h.setConnectionInitSql("SET TIME ZONE 'UTC'");
        h.setPoolName("latchkey-history");
        HikariDataSource ds = new HikariDataSource(h);
        try {
            migrate(ds);
        } catch (SQLException | RuntimeException e) {
            ds.close();
            throw e instanceof RuntimeException re ? re : unavailable((SQLException) e);
        }
        return ds;
    }

    /** Creates or migrates the tables, once per database, under a transaction-scoped advisory lock. */
    static void migrate(javax.sql.DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                s.execute("CREATE TABLE IF NOT EXISTS latchkey_schema (version integer PRIMARY KEY,"
                        + " applied_at timestamptz NOT NULL DEFAULT now())");
                int current;
                try (ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM latchkey_schema")) {
                    r.next();
                    current = r.getInt(1);
                }
                for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
                    s.execute(resource(MIGRATIONS.get(v - 1)));
                    s.execute("INSERT INTO latchkey_schema (version) VALUES (" + v + ")");
                    LOG.info("Usage history tables migrated to version {}", v);
                }
            }
            c.commit();
        }
    }

    private static String resource(String name) {
        try (InputStream in = PostgresHistory.class.getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StoreUnavailableException unavailable(SQLException e) {
        // The message of a failed connection may name the URL; never its password, which pgjdbc does not echo.
        return new StoreUnavailableException("PostgreSQL history database unavailable: " + e.getSQLState());
    }

    @Override
    public void close() {
        closed = true;
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
