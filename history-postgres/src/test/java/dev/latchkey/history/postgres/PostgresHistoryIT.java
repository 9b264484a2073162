package dev.latchkey.history.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.admin.HistoryRange;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.StorageKind;
import dev.latchkey.core.UsageBucket;
import dev.latchkey.core.UsageMinute;
import dev.latchkey.testkit.PostgresDatabase;
import dev.latchkey.testkit.WithPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link PostgresHistory} on a real PostgreSQL: migration, exactly-once shipments, series, retention. */
@WithPostgres
class PostgresHistoryIT {

    private final PostgresDatabase db;

    PostgresHistoryIT(PostgresDatabase db) {
        this.db = db;
    }

    private StorageConfig config() {
        Instant now = Instant.now();
        return new StorageConfig(Ids.next(), "acme", StorageKind.POSTGRESQL, 30, db.jdbcUrl(), null, now, now, 1);
    }

    @Test
    void replayedShipment_addsNothing_andSeriesGroupByHour() throws Exception {
        StorageConfig config = config();
        String key = Ids.next();
        long m = Instant.parse("2026-12-03T10:15:00Z").getEpochSecond() / 60;
        try (PostgresHistory history = new PostgresHistory()) {
            String batch = Ids.next();
            List<UsageMinute> minutes = List.of(new UsageMinute(key, m, 3, 1, 0), new UsageMinute(key, m + 50, 2, 0, 4));
            assertThat(history.add(config, "acme", key, batch, minutes)).isTrue();
            assertThat(history.add(config, "acme", key, batch, minutes)).isFalse();
            assertThat(history.add(config, "acme", key, Ids.next(), List.of(new UsageMinute(key, m, 1, 0, 0))))
                    .isTrue();

            HistoryRange hours = HistoryRange.parse("2026-12-03T10:00:00Z", "2026-12-03T12:00:00Z", "hour",
                    Instant.now());
            assertThat(history.read(config, key, hours)).containsExactly(
                    new UsageBucket(Instant.parse("2026-12-03T10:00:00Z"), 4, 1, 0),
                    new UsageBucket(Instant.parse("2026-12-03T11:00:00Z"), 2, 0, 4));
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl());
             ResultSet r = c.createStatement().executeQuery("SELECT max(version) FROM latchkey_schema")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void reopening_doesNotMigrateTwice_andTrimDropsWhatIsPastRetention() {
        StorageConfig config = config();
        String key = Ids.next();
        long old = Instant.now().minusSeconds(40L * 86_400).getEpochSecond() / 60;
        try (PostgresHistory a = new PostgresHistory(); PostgresHistory b = new PostgresHistory()) {
            a.add(config, "acme", key, Ids.next(), List.of(new UsageMinute(key, old, 1, 0, 0)));
            b.add(config, "acme", key, Ids.next(), List.of(new UsageMinute(key, old + 1, 1, 0, 0)));
            assertThat(b.trim(config, Instant.now())).isEqualTo(2);
        }
    }
}
