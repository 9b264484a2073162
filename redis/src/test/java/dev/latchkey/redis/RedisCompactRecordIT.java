package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Environment;
import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Page;
import dev.latchkey.core.Usage;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compact record encoding and the lean listing index against a real Redis with its default limits (#20): a
 * record stays a listpack even with long values, and a record and index entries written the way the store wrote
 * them before (JSON fields, {@code :all}/{@code :meta} and bare-id members) are read, counted, listed under every
 * filter, changed (then rewritten compact, usage kept) and deleted.
 */
@WithRedis
class RedisCompactRecordIT {

    private final RedisServer redis;
    private final InMemoryKeyStore memory = new InMemoryKeyStore();
    private @Nullable RedisKeyStore store;
    private String prefix = "";

    RedisCompactRecordIT(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void open() {
        prefix = redis.uniqueKeyPrefix();
        store = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void close() {
        store().close();
        memory.close();
        RedisValues.deleteUnder(redis.uri(), prefix);
    }

    private RedisKeyStore store() {
        return java.util.Objects.requireNonNull(store);
    }

    private String record(String id) {
        return prefix + "k:{" + id + "}";
    }

    /** Writes a key as the store did before #20: the record in the first encoding, the index in the old layout. */
    private void writeTheOldWay(ApiKey k) {
        List<String> hset = new ArrayList<>(List.of("HSET", record(k.id())));
        hset.addAll(LegacyRecords.flat(LegacyRecords.encode(k)));
        redis.command(hset.toArray(String[]::new));
        String cls = Listing.statusCode(k.storedStatus()) + Listing.typeCode(k.type())
                + Listing.envCode(k.environment());
        String created = Long.toString(RecordCodec.micros(k.createdAt()));
        for (String base : List.of(prefix + "idx:{all}", prefix + "idx:{t:" + k.tenantId() + "}")) {
            redis.command("HSET", base + ":meta", k.id(), k.version() + "|" + String.join("|", cls.split("")));
            redis.command("ZADD", base + ":all", created, k.id());
            redis.command("ZADD", base + ":c:" + cls, created, k.id());
            if (k.expiresAt() != null && k.storedStatus() != KeyStatus.BLOCKED) {
                redis.command("ZADD", base + ":e:" + cls, Long.toString(RecordCodec.micros(k.expiresAt())), k.id());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> hgetall(String key) {
        List<Object> flat = (List<Object>) redis.command("HGETALL", key);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; flat != null && i + 1 < flat.size(); i += 2) {
            out.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return out;
    }

    @Test
    void record_staysAListpack_underRedisDefaults_evenWithLongValues() {
        ApiKey k = Keys.full(Instant.now()).toBuilder().name("a long name ".repeat(12))
                .metadata(Map.of("notes", "x".repeat(500), "team", "payments")).build();
        store().create(k);

        assertThat(String.valueOf(redis.command("OBJECT", "ENCODING", record(k.id())))).isIn("listpack", "ziplist");
        assertThat(store().find(k.id())).contains(k);
    }

    @Test
    void firstEncodingRecord_isRead_used_listed_andRewrittenCompact_onItsNextChange() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ApiKey old = Keys.full(now);
        writeTheOldWay(old);

        assertThat(store().find(old.id())).contains(old);
        Instant used = now.plusSeconds(1);
        store().recordUsage(new UsageBatch(Ids.next(), List.of(new UsageDelta(old.id(), 3, used, "198.51.100.4"))));
        assertThat(hgetall(record(old.id()))).containsEntry("usage_count", "3").containsKey("version");

        Page<ApiKey> listed = store().list(KeyQuery.clamped(old.tenantId(), KeyStatus.INACTIVE, null, null, 0, 20,
                now));
        assertThat(listed.items()).extracting(ApiKey::id).containsExactly(old.id());
        assertThat(listed.total()).isEqualTo(1);
        RedisIndexChecker.check(redis.uri(), prefix, store());

        ApiKey changed = old.toBuilder().storedStatus(KeyStatus.ACTIVE).updatedAt(now.plusSeconds(2)).version(2)
                .build();
        assertThat(store().replace(changed, 1)).isTrue();

        Map<String, String> fields = hgetall(record(old.id()));
        assertThat(fields).containsEntry("v", "2").containsEntry("uc", "3")
                .doesNotContainKeys("version", "usage_count", "tenant_id", "id");
        Usage usage = new Usage(3, used, "198.51.100.4");
        assertThat(store().find(old.id())).contains(changed.withUsage(usage));
        assertThat(String.valueOf(redis.command("OBJECT", "ENCODING", record(old.id())))).isIn("listpack", "ziplist");
        RedisIndexChecker.check(redis.uri(), prefix, store());
        assertThat(store().list(KeyQuery.clamped(null, KeyStatus.ACTIVE, null, null, 0, 20, now)).items())
                .containsExactly(changed.withUsage(usage));

        assertThat(store().delete(old.id())).isTrue();
        assertThat(store().find(old.id())).isEmpty();
        RedisIndexChecker.check(redis.uri(), prefix, store());
    }

    @Test
    void firstEncodingRecord_deletedBeforeAnyChange_leavesNoIndexEntry() {
        ApiKey old = Keys.full(Instant.now());
        writeTheOldWay(old);

        assertThat(store().delete(old.id())).isTrue();

        RedisIndexChecker.check(redis.uri(), prefix, store());
        assertThat(store().list(KeyQuery.clamped(null, null, null, null, 0, 20, Instant.now())).total()).isZero();
    }

    @Test
    void bothLayouts_listLikeTheInMemoryStore_underEveryFilter() {
        Random random = new Random(2020);
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 60; i++) {
            String id = Ids.next();
            ApiKey.Builder b = ApiKey.builder().id(id).name("k" + i).tenantId(random.nextBoolean() ? "acme" : "globex")
                    .environment(random.nextBoolean() ? Environment.LIVE : Environment.TEST)
                    .type(random.nextInt(4) == 0 ? KeyType.TRIAL : KeyType.STANDARD)
                    .storedStatus(List.of(KeyStatus.ACTIVE, KeyStatus.INACTIVE, KeyStatus.BLOCKED).get(
                            random.nextInt(3)))
                    .createdAt(base.minusSeconds(random.nextInt(20))).updatedAt(base)
                    .current(Keys.generated(Keys.token(id)));
            if (random.nextBoolean()) {
                b.expiresAt(base.plus(Duration.ofMinutes(random.nextInt(120) - 60)));
            }
            ApiKey k = b.build();
            if (i % 3 == 0) {
                writeTheOldWay(k);
            } else {
                store().create(k);
            }
            memory.create(k);
        }
        List<KeyStatus> statuses = new ArrayList<>(List.of(KeyStatus.values()));
        statuses.add(null);
        for (String tenant : new String[] {null, "acme"}) {
            for (KeyStatus status : statuses) {
                for (KeyType type : new KeyType[] {null, KeyType.TRIAL}) {
                    for (Environment env : new Environment[] {null, Environment.TEST}) {
                        for (int offset : new int[] {0, 7}) {
                            KeyQuery q = KeyQuery.clamped(tenant, status, type, env, offset, 9, base);
                            Page<ApiKey> expected = memory.list(q);
                            Page<ApiKey> actual = store().list(q);
                            assertThat(actual.items()).as("%s", q).isEqualTo(expected.items());
                            assertThat(actual.total()).as("total of %s", q).isEqualTo(expected.total());
                        }
                    }
                }
            }
        }
        store().list(KeyQuery.clamped(null, null, null, null, 0, KeyQuery.MAX_LIMIT, base));
        RedisIndexChecker.check(redis.uri(), prefix, store());
    }
}
