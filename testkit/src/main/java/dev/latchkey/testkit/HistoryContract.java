package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.HistoryGranularity;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageBucket;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.UsageMinute;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The suite of usage history (API.md §10) that every {@link KeyStore} whose {@link KeyStore#supportsHistory()} is true
 * must pass: minutes add up per bucket at each granularity, a replayed batch counts nothing twice, and a batch with
 * history but no uses leaves the use count alone.
 */
@Tag("contract")
public interface HistoryContract {

    /** Returns the store under test, empty at the start of each test. */
    KeyStore historyStore();

    private String newKey() {
        return new KeyManager(historyStore(), Keys.CODEC, Keys.HASHER, Clock.systemUTC(), Runnable::run)
                .create(Actor.ROOT, CreateKeyRequest.named("history")).key().id();
    }

    private static long minute(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 60);
    }

    @Test
    default void minutes_addUpPerBucket_atEveryGranularity() {
        String id = newKey();
        Instant now = Instant.now();
        long m = minute(now);
        historyStore().recordUsage(new UsageBatch(Ids.next(), List.of(new UsageDelta(id, 3, now, null)),
                List.of(new UsageMinute(id, m, 3, 1, 0), new UsageMinute(id, m - 61, 0, 0, 4))));
        historyStore().recordUsage(new UsageBatch(Ids.next(), List.of(),
                List.of(new UsageMinute(id, m, 2, 0, 5))));

        Instant from = Instant.ofEpochSecond((m - 120) * 60);
        Instant to = Instant.ofEpochSecond((m + 1) * 60);
        List<UsageBucket> minutes = historyStore().usageHistory(id, from, to, HistoryGranularity.MINUTE);
        assertThat(minutes).containsExactly(
                new UsageBucket(Instant.ofEpochSecond((m - 61) * 60), 0, 0, 4),
                new UsageBucket(Instant.ofEpochSecond(m * 60), 5, 1, 5));
        Instant dayStart = Instant.ofEpochSecond(Math.floorDiv(m - 61, 1_440) * 86_400);
        long[] sums = new long[3];
        for (UsageBucket b : historyStore().usageHistory(id, dayStart.minusSeconds(86_400), to.plusSeconds(86_400),
                HistoryGranularity.DAY)) {
            sums[0] += b.valid();
            sums[1] += b.denied();
            sums[2] += b.rateLimited();
        }
        assertThat(sums).containsExactly(5, 1, 9);
        long hours = historyStore().usageHistory(id, Instant.ofEpochSecond((m - 120) * 60).minusSeconds(3_600),
                to.plusSeconds(3_600), HistoryGranularity.HOUR).stream().mapToLong(UsageBucket::rateLimited).sum();
        assertThat(hours).isEqualTo(9);
        assertThat(historyStore().find(id).orElseThrow().usage().count()).isEqualTo(3);
    }

    @Test
    default void replayedBatch_countsNothingTwice() {
        String id = newKey();
        Instant now = Instant.now();
        UsageBatch batch = new UsageBatch(Ids.next(), List.of(new UsageDelta(id, 2, now, "203.0.113.9")),
                List.of(new UsageMinute(id, minute(now), 2, 7, 1)));
        historyStore().recordUsage(batch);
        historyStore().recordUsage(batch);

        List<UsageBucket> b = historyStore().usageHistory(id, Instant.ofEpochSecond(minute(now) * 60),
                Instant.ofEpochSecond((minute(now) + 1) * 60), HistoryGranularity.MINUTE);
        assertThat(b).singleElement().isEqualTo(new UsageBucket(Instant.ofEpochSecond(minute(now) * 60), 2, 7, 1));
        assertThat(historyStore().find(id).orElseThrow().usage().count()).isEqualTo(2);
    }

    @Test
    default void unknownKey_isDropped_andReadsEmpty() {
        String ghost = Ids.next();
        Instant now = Instant.now();
        historyStore().recordUsage(new UsageBatch(Ids.next(), List.of(), List.of(new UsageMinute(ghost, minute(now),
                1, 0, 0))));
        assertThat(historyStore().usageHistory(ghost, now.minusSeconds(3_600), now.plusSeconds(60),
                HistoryGranularity.MINUTE)).isEmpty();
    }
}
