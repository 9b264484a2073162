package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.RuleStatus;
import dev.latchkey.core.StatusChange;
import dev.latchkey.core.Usage;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link RecordOutput} against a real Redis: every kind of record (compact with Unicode and values cut into
 * pieces, the first encoding, fields the store never writes, bytes that are not UTF-8, a missing record) reads into
 * the same map as Lettuce's own {@code HGETALL}, over RESP3 and RESP2, and a listing page built from it equals what
 * {@code find} reads.
 */
@WithRedis
class RecordOutputIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private final RedisServer redis;
    private @Nullable RedisClient client;
    private final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    private String prefix = "";

    RecordOutputIT(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void open() {
        prefix = redis.uniqueKeyPrefix();
        RedisClient c = RedisClient.create(redis.uri());
        client = c;
        for (ProtocolVersion protocol : List.of(ProtocolVersion.RESP3, ProtocolVersion.RESP2)) {
            c.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
            connections.add(c.connect());
        }
    }

    @AfterEach
    void close() {
        connections.forEach(StatefulRedisConnection::close);
        Objects.requireNonNull(client).shutdown(0, 2, TimeUnit.SECONDS);
        RedisValues.deleteUnder(redis.uri(), prefix);
    }

    private String record(String id) {
        return prefix + "k:{" + id + "}";
    }

    private void write(String key, Map<String, String> fields) {
        connections.get(0).sync().hset(key, fields);
    }

    private static Map<String, String> readRecord(StatefulRedisConnection<String, String> c, String key)
            throws Exception {
        return c.async().dispatch(CommandType.HGETALL, new RecordOutput(),
                new CommandArgs<>(StringCodec.UTF8).addKey(key)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Reads the record through every connection and checks it against Lettuce's own HGETALL on that connection. */
    private Map<String, String> readAsLettuceDoes(String key) throws Exception {
        Map<String, String> first = null;
        for (StatefulRedisConnection<String, String> c : connections) {
            Map<String, String> read = readRecord(c, key);
            assertThat(read).as("over %s", c.getOptions().getConfiguredProtocolVersion())
                    .isEqualTo(c.sync().hgetall(key));
            first = first == null ? read : first;
        }
        return Objects.requireNonNull(first);
    }

    private static ApiKey awkward(Instant now) {
        String longText = "ü".repeat(50) + " a, b = c % d " + "✓".repeat(40) + " 😀 end";
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("ünïcode", "välue, \"quoted\" = ✓");
        metadata.put("long", longText);
        metadata.put("", "");
        return Keys.full(now).toBuilder()
                .name(longText)
                .scopes(List.of("", "a b", "x".repeat(200), "réports:*"))
                .ipRestrictions(List.of(IpRestriction.of(Ids.next(), "10.0.0.0/8", "bürö " + "l".repeat(70),
                        RuleStatus.ACTIVE), IpRestriction.of(Ids.next(), "2001:db8::/32", null, RuleStatus.INACTIVE)))
                .metadata(metadata)
                .statusChange(new StatusChange(now, "admin ✓", longText))
                .webhookConfig("wh_" + "w".repeat(150))
                .build();
    }

    @Test
    void readRecord_compactRecordWithUnicodeAndPieces_readsAsLettuceDoes_andDecodesToTheKey() throws Exception {
        ApiKey k = awkward(NOW);
        Map<String, String> fields = new LinkedHashMap<>(RecordCodec.encode(k));
        fields.put(RecordCodec.USAGE_COUNT, "7");
        fields.put(RecordCodec.LAST_USED_AT, RecordCodec.time(NOW));
        fields.put(RecordCodec.LAST_USED_IP, "2001:db8::1");
        write(record(k.id()), fields);

        Map<String, String> read = readAsLettuceDoes(record(k.id()));

        assertThat(read).isEqualTo(fields).containsKeys("n+1", "n+2", "s+1", "m+1", "r+1", "xr+1", "wc+1");
        assertThat(RecordCodec.decode(k.id(), read)).isEqualTo(k.withUsage(new Usage(7, NOW, "2001:db8::1")));
    }

    @Test
    void readRecord_firstEncodingRecord_readsAsLettuceDoes_andDecodesToTheKey() throws Exception {
        ApiKey k = awkward(NOW);
        Map<String, String> fields = LegacyRecords.encode(k);
        write(record(k.id()), fields);

        Map<String, String> read = readAsLettuceDoes(record(k.id()));

        assertThat(read).isEqualTo(fields);
        assertThat(RecordCodec.decode("ignored: the first encoding has its id", read)).isEqualTo(k);
    }

    @Test
    void readRecord_fieldsTheStoreNeverWrites_readAsLettuceDoes() throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("", "empty name");
        fields.put("vv", "");
        fields.put("V", "upper case is another field");
        fields.put("n+12", "a far piece");
        fields.put("previous_expires_at_", "one byte longer than the longest name");
        fields.put("x".repeat(300), "a long name");
        fields.put("ü", "a name that is not ASCII");
        fields.put("big", "b".repeat(10_000));
        write(prefix + "other", fields);

        assertThat(readAsLettuceDoes(prefix + "other")).isEqualTo(fields);
    }

    @Test
    void readRecord_bytesThatAreNotUtf8_readAsLettuceDoes() throws Exception {
        byte[] key = (prefix + "binary").getBytes(StandardCharsets.UTF_8);
        try (StatefulRedisConnection<byte[], byte[]> raw = Objects.requireNonNull(client).connect(
                ByteArrayCodec.INSTANCE)) {
            raw.sync().hset(key, Map.of(new byte[] {'n'}, new byte[] {'a', (byte) 0xC3, 'b', (byte) 0xFF},
                    new byte[] {(byte) 0xE2, (byte) 0x9C}, new byte[] {'x'}));
        }

        Map<String, String> read = readAsLettuceDoes(prefix + "binary");

        assertThat(read).containsEntry("n", "a\uFFFDb\uFFFD").hasSize(2);
    }

    @Test
    void readRecord_missingRecord_isEmpty() throws Exception {
        assertThat(readAsLettuceDoes(record(Ids.next()))).isEmpty();
    }

    @Test
    void list_pageOfCompactAndFirstEncodingRecords_equalsWhatFindReads() {
        try (RedisKeyStore store = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix)
                .commandTimeout(Duration.ofSeconds(5)).build()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ApiKey k = i % 2 == 0 ? awkward(NOW.minusSeconds(i)) : Keys.full(NOW.minusSeconds(i));
                store.create(k);
                ids.add(k.id());
            }
            store.recordUsage(new UsageBatch(Ids.next(), List.of(new UsageDelta(ids.get(3), 2, NOW, "198.51.100.4"))));
            ApiKey old = awkward(NOW.minusSeconds(100)).toBuilder().tenantId("tenant-old").build();
            store.create(old);
            // the same key written again in the first encoding, under the entries the store filed for it
            connections.get(0).sync().del(record(old.id()));
            write(record(old.id()), LegacyRecords.encode(old));

            List<ApiKey> page = store.list(KeyQuery.clamped(null, null, null, null, 0, 100, NOW)).items();

            assertThat(page).hasSize(31);
            for (ApiKey k : page) {
                assertThat(store.find(k.id())).contains(k);
            }
            assertThat(page).filteredOn(k -> k.id().equals(ids.get(3))).singleElement()
                    .extracting(ApiKey::usage).isEqualTo(new Usage(2, NOW, "198.51.100.4"));
            assertThat(page).filteredOn(k -> k.id().equals(old.id())).containsExactly(old);
        }
    }
}
