package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Job;
import dev.latchkey.core.JobStatus;
import dev.latchkey.core.Usage;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.testkit.Keys;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link RecordCodec}: readable fields, exact round trips, text order equal to time order. */
class RecordCodecTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:15:30.123456789Z");

    @Test
    void encode_fullKey_roundTripsFieldForField() {
        ApiKey full = Keys.full(NOW);

        assertThat(RecordCodec.decode(RecordCodec.encode(full))).isEqualTo(full);
    }

    @Test
    void encode_minimalKey_omitsAbsentFields_andDecodesNullsAndEmpties() {
        ApiKey minimal = Keys.minimal(NOW);
        Map<String, String> fields = RecordCodec.encode(minimal);

        assertThat(fields).doesNotContainKeys(RecordCodec.OPTIONAL.toArray(String[]::new));
        assertThat(fields).containsEntry("scopes", "[]").containsEntry("metadata", "{}")
                .containsEntry("ip_restrictions", "[]").containsEntry("status", "active");
        assertThat(RecordCodec.decode(fields)).isEqualTo(minimal);
    }

    @Test
    void encode_isReadable_andHoldsTheHashNotTheToken() {
        String token = Keys.token(Ids.next());
        ApiKey k = Keys.key("readable", NOW).current(Keys.generated(token)).build();
        Map<String, String> fields = RecordCodec.encode(k);

        assertThat(fields).containsEntry("current_hash", Keys.HASHER.hash(token).hex())
                .containsEntry("created_at", "2026-11-23T10:15:30.123456789Z")
                .containsEntry("environment", "live");
        assertThat(fields.values()).noneMatch(v -> v.contains(token));
    }

    @Test
    void decode_readsUsageFields() {
        Map<String, String> fields = new HashMap<>(RecordCodec.encode(Keys.minimal(NOW)));
        fields.put(RecordCodec.USAGE_COUNT, "42");
        fields.put(RecordCodec.LAST_USED_AT, RecordCodec.time(NOW));
        fields.put(RecordCodec.LAST_USED_IP, "203.0.113.9");

        assertThat(RecordCodec.decode(fields).usage()).isEqualTo(new Usage(42, NOW, "203.0.113.9"));
    }

    @Test
    void time_isFixedWidth_soTextOrderIsTimeOrder() {
        List<Instant> instants = List.of(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00.000000001Z"), Instant.parse("2026-01-01T00:00:00.1Z"),
                Instant.parse("2026-01-01T00:00:01Z"));
        List<String> texts = instants.stream().map(RecordCodec::time).toList();

        assertThat(texts).isSorted().allMatch(t -> t.length() == 30);
        assertThat(RecordCodec.micros(Instant.parse("1970-01-01T00:00:01.000002999Z"))).isEqualTo(1_000_002);
    }

    @Test
    void decode_corruptRecord_failsNamingTheFieldOnly() {
        Map<String, String> fields = new HashMap<>(RecordCodec.encode(Keys.minimal(NOW)));
        fields.remove("name");

        assertThatThrownBy(() -> RecordCodec.decode(fields)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("name");
    }

    @Test
    void job_roundTrips() {
        Job running = new Job(Ids.next(), Job.RESET_KEY, JobStatus.RUNNING, Ids.next(), "acme", NOW, null, null);
        Job failed = running.failed(NOW.plusSeconds(1), "store unavailable");

        assertThat(RecordCodec.decodeJob(RecordCodec.encodeJob(running))).isEqualTo(running);
        assertThat(RecordCodec.decodeJob(RecordCodec.encodeJob(failed))).isEqualTo(failed);
    }
}
