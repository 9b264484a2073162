package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.Job;
import dev.latchkey.core.JobStatus;
import dev.latchkey.core.RuleStatus;
import dev.latchkey.core.StatusChange;
import dev.latchkey.core.Usage;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.testkit.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link RecordCodec}: exact round trips of every field in the compact encoding, values no longer than
 * Redis's default {@code hash-max-listpack-value} (long ones cut into pieces), escaping, and records in the first
 * encoding ({@link LegacyRecordCodec}) still read.
 */
class RecordCodecTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:15:30.123456789Z");

    private static ApiKey roundTrip(ApiKey k) {
        return RecordCodec.decode(k.id(), RecordCodec.encode(k));
    }

    private static void assertListpackSized(Map<String, String> fields) {
        assertThat(fields).allSatisfy((name, value) -> assertThat(value.getBytes(StandardCharsets.UTF_8).length)
                .as(name).isLessThanOrEqualTo(64));
        assertThat(fields.size()).isLessThanOrEqualTo(128);
    }

    @Test
    void encode_fullKey_roundTripsFieldForField_inValuesOfAtMost64Bytes() {
        ApiKey full = Keys.full(NOW);
        Map<String, String> fields = RecordCodec.encode(full);

        assertThat(RecordCodec.decode(full.id(), fields)).isEqualTo(full);
        assertListpackSized(fields);
        assertThat(fields).doesNotContainKeys("id", "hi").containsEntry("k", "itt");
    }

    @Test
    void encode_minimalKey_omitsAbsentFields_andDecodesNullsAndEmpties() {
        ApiKey minimal = Keys.minimal(NOW);
        Map<String, String> fields = RecordCodec.encode(minimal);

        assertThat(fields).containsOnlyKeys("v", "t", "n", "k", "c", "h", "hh");
        assertThat(fields).containsEntry("k", "asl").containsEntry("c", "1795428930123456789");
        assertThat(roundTrip(minimal)).isEqualTo(minimal);
    }

    @Test
    void encode_longAndAwkwardValues_areCutAndEscaped_andRoundTrip() {
        String longText = "ü".repeat(50) + " a, b = c % d " + "✓".repeat(40);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("", "");
        metadata.put("k = v", "a,b c%d");
        metadata.put("%", "=");
        metadata.put("long", longText);
        ApiKey k = Keys.full(NOW).toBuilder()
                .name(longText)
                .ownerId("owner-" + "o".repeat(58))
                .scopes(List.of("", "a b", "%", "x".repeat(64), "reports:*"))
                .ipRestrictions(List.of(IpRestriction.of("r1", "10.0.0.0/8", "", RuleStatus.ACTIVE),
                        IpRestriction.of("r 2,", "::1", "la,bel = %", RuleStatus.INACTIVE),
                        IpRestriction.of(Ids.next(), "192.0.2.1", null, RuleStatus.ACTIVE)))
                .metadata(metadata)
                .statusChange(new StatusChange(NOW, longText, longText))
                .webhookConfig("wh_" + "w".repeat(80))
                .build();
        Map<String, String> fields = RecordCodec.encode(k);

        assertThat(RecordCodec.decode(k.id(), fields)).isEqualTo(k);
        assertListpackSized(fields);
        assertThat(fields).containsKeys("n+1", "m+1", "xb+1", "xr+1", "wc+1");
    }

    @Test
    void encode_singleEmptyScope_differsFromNoScopes() {
        ApiKey none = Keys.minimal(NOW).toBuilder().scopes(List.of()).metadata(Map.of()).build();
        ApiKey empty = Keys.minimal(NOW).toBuilder().scopes(List.of("")).metadata(Map.of("", "")).build();

        assertThat(roundTrip(none)).isEqualTo(none);
        assertThat(roundTrip(empty)).isEqualTo(empty);
    }

    @Test
    void encode_timesOutsideTheNanosecondRange_fallBackToText() {
        Instant far = Instant.parse("2999-12-31T23:59:59.999999999Z");
        ApiKey k = Keys.minimal(NOW).toBuilder().expiresAt(far).build();

        assertThat(RecordCodec.encode(k)).containsEntry("e", "2999-12-31T23:59:59.999999999Z");
        assertThat(roundTrip(k)).isEqualTo(k);
        assertThat(RecordCodec.parseStoredTime("-1")).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999999Z"));
    }

    @Test
    void encode_holdsTheHashNotTheToken() {
        String token = Keys.token(Ids.next());
        ApiKey k = Keys.key("readable", NOW).current(Keys.generated(token)).build();
        Map<String, String> fields = RecordCodec.encode(k);

        assertThat(fields).containsEntry("h", Keys.HASHER.hash(token).hex());
        assertThat(fields.values()).noneMatch(v -> v.contains(token));
    }

    @Test
    void decode_readsUsageFields() {
        Map<String, String> fields = new HashMap<>(RecordCodec.encode(Keys.minimal(NOW)));
        fields.put(RecordCodec.USAGE_COUNT, "42");
        fields.put(RecordCodec.LAST_USED_AT, RecordCodec.time(NOW));
        fields.put(RecordCodec.LAST_USED_IP, "203.0.113.9");

        assertThat(RecordCodec.decode("x", fields).usage()).isEqualTo(new Usage(42, NOW, "203.0.113.9"));
    }

    @Test
    void decode_firstEncoding_readsEveryField_withUsage() {
        ApiKey full = Keys.full(NOW);
        Map<String, String> legacy = new HashMap<>(LegacyRecords.encode(full));
        legacy.put(LegacyRecordCodec.USAGE_COUNT, "7");
        legacy.put(LegacyRecordCodec.LAST_USED_AT, RecordCodec.time(NOW));

        ApiKey read = RecordCodec.decode("ignored: the first encoding has its id", legacy);

        assertThat(read.withUsage(Usage.NONE)).isEqualTo(full);
        assertThat(read.usage()).isEqualTo(new Usage(7, NOW, null));
        ApiKey minimal = Keys.minimal(NOW);
        assertThat(RecordCodec.decode(minimal.id(), LegacyRecords.encode(minimal))).isEqualTo(minimal);
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
        fields.remove("n");

        assertThatThrownBy(() -> RecordCodec.decode("x", fields)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("n");
    }

    @Test
    void job_roundTrips() {
        Job running = new Job(Ids.next(), Job.RESET_KEY, JobStatus.RUNNING, Ids.next(), "acme", NOW, null, null);
        Job failed = running.failed(NOW.plusSeconds(1), "store unavailable");

        assertThat(RecordCodec.decodeJob(RecordCodec.encodeJob(running))).isEqualTo(running);
        assertThat(RecordCodec.decodeJob(RecordCodec.encodeJob(failed))).isEqualTo(failed);
    }
}
