package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Environment;
import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Page;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for the listing indexes of {@link RedisKeyStore}: every filter, offset and {@code now} answers exactly what
 * {@link InMemoryKeyStore} (which sorts everything) answers for the same keys, including ties on the creation time,
 * deep offsets, keys expiring and un-expiring as {@code now} moves both ways, and keys changing and going away.
 * Then the reader repairs a crash left behind.
 */
@WithRedis
class RedisListingIT {

    private static final List<String> TENANTS = List.of("acme", "globex", "initech");

    private final RedisServer redis;
    private final Random random = new Random(20261127);
    private final Instant base = Instant.parse("2026-11-27T12:00:00Z");
    private final InMemoryKeyStore memory = new InMemoryKeyStore();
    private @Nullable RedisKeyStore store;
    private String prefix = "";

    RedisListingIT(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void open() {
        prefix = redis.uniqueKeyPrefix();
        // A tiny filing budget, so that the "call again" path of the expiry filing runs too.
        store = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(5))
                .filingBudget(3).build();
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

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private ApiKey randomKey() {
        String id = Ids.next();
        Instant created = base.plusSeconds(random.nextInt(60)); // few distinct times: many ties
        ApiKey.Builder b = ApiKey.builder().id(id).name("k").tenantId(pick(TENANTS))
                .environment(pick(List.of(Environment.values())))
                .type(pick(List.of(KeyType.values())))
                .storedStatus(pick(List.of(KeyStatus.ACTIVE, KeyStatus.INACTIVE, KeyStatus.BLOCKED)))
                .createdAt(created).updatedAt(created)
                .current(Keys.generated(Keys.token(id)));
        if (random.nextInt(10) < 6) {
            b.expiresAt(base.plus(Duration.ofMinutes(random.nextInt(240) - 60)));
        }
        return b.build();
    }

    private void createBoth(ApiKey k) {
        store().create(k);
        memory.create(k);
    }

    private static List<String> ids(Page<ApiKey> page) {
        return page.items().stream().map(ApiKey::id).toList();
    }

    private void assertSameAnswers(Instant now, int queries) {
        List<String> tenants = new ArrayList<>(TENANTS);
        tenants.add(null);
        List<KeyStatus> statuses = new ArrayList<>(List.of(KeyStatus.values()));
        statuses.add(null);
        List<KeyType> types = new ArrayList<>(List.of(KeyType.values()));
        types.add(null);
        List<Environment> envs = new ArrayList<>(List.of(Environment.values()));
        envs.add(null);
        for (int i = 0; i < queries; i++) {
            String tenant = pick(tenants);
            KeyStatus status = pick(statuses);
            KeyType type = pick(types);
            Environment env = pick(envs);
            KeyQuery all = KeyQuery.clamped(tenant, status, type, env, 0, KeyQuery.MAX_LIMIT, now);
            Page<ApiKey> expected = memory.list(all);
            Page<ApiKey> actual = store().list(all);
            assertThat(ids(actual)).as("%s", all).isEqualTo(ids(expected));
            assertThat(actual.total()).as("total of %s", all).isEqualTo(expected.total());

            int offset = random.nextInt((int) Math.max(1, expected.total() + 2));
            int limit = 1 + random.nextInt(9);
            KeyQuery page = KeyQuery.clamped(tenant, status, type, env, offset, limit, now);
            assertThat(ids(store().list(page))).as("%s", page).isEqualTo(ids(memory.list(page)));
            assertThat(store().list(page).items()).as("full records of %s", page)
                    .isEqualTo(memory.list(page).items());
        }
    }

    @Test
    void list_answersLikeTheInMemoryStore_forEveryFilterOffsetAndNow_asKeysChange() {
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            ApiKey k = randomKey();
            keys.add(k);
            createBoth(k);
        }
        for (Instant now : List.of(base, base.plus(Duration.ofMinutes(30)), base.plus(Duration.ofHours(3)),
                base.plus(Duration.ofMinutes(90)), base.minus(Duration.ofHours(2)))) {
            assertSameAnswers(now, 25);
        }

        for (int i = 0; i < 40; i++) {
            ApiKey k = keys.get(i);
            ApiKey changed = k.toBuilder()
                    .storedStatus(pick(List.of(KeyStatus.ACTIVE, KeyStatus.INACTIVE, KeyStatus.BLOCKED)))
                    .expiresAt(random.nextBoolean() ? null : base.plus(Duration.ofMinutes(random.nextInt(240) - 60)))
                    .version(2).build();
            assertThat(store().replace(changed, 1)).isTrue();
            assertThat(memory.replace(changed, 1)).isTrue();
        }
        for (int i = 40; i < 60; i++) {
            assertThat(store().delete(keys.get(i).id())).isTrue();
            memory.delete(keys.get(i).id());
        }
        for (Instant now : List.of(base.plus(Duration.ofMinutes(45)), base.plus(Duration.ofHours(4)), base)) {
            assertSameAnswers(now, 25);
        }
    }

    @Test
    void list_deepOffset_inAFilteredUnion_isExact() {
        for (int i = 0; i < 120; i++) {
            createBoth(randomKey());
        }
        KeyQuery q = KeyQuery.clamped(null, null, KeyType.TRIAL, null, 55, 5, base);
        assertThat(ids(store().list(q))).isEqualTo(ids(memory.list(q)));
        KeyQuery last = KeyQuery.clamped(null, KeyStatus.EXPIRED, null, null, 0, 500, base.plus(Duration.ofHours(5)));
        assertThat(ids(store().list(last))).isEqualTo(ids(memory.list(last)));
    }

    private record Three(ApiKey a, ApiKey b, ApiKey c) {
    }

    /** Creates keys a, b and c, a second apart from {@code now} on, in the store only. */
    private Three createThreeOneSecondApart(Instant now) {
        Three t = new Three(Keys.key("a", now).build(), Keys.key("b", now.plusSeconds(1)).build(),
                Keys.key("c", now.plusSeconds(2)).build());
        List.of(t.a(), t.b(), t.c()).forEach(store()::create);
        return t;
    }

    private long allKeysCount(String scope) {
        return (Long) java.util.Objects.requireNonNull(redis.command("ZCARD", prefix + "idx:" + scope + ":k"));
    }

    private void assertUnfilteredAnswersAsInMemory(Instant now) {
        for (String tenant : java.util.Arrays.asList(null, "acme", "globex", "initech")) {
            KeyQuery all = KeyQuery.clamped(tenant, null, null, null, 0, KeyQuery.MAX_LIMIT, now);
            assertThat(ids(store().list(all))).as("%s", all).isEqualTo(ids(memory.list(all)));
            assertThat(store().list(all).total()).as("total of %s", all).isEqualTo(memory.list(all).total());
            KeyQuery deep = KeyQuery.clamped(tenant, null, null, null, 7, 5, now);
            assertThat(ids(store().list(deep))).as("%s", deep).isEqualTo(ids(memory.list(deep)));
        }
    }

    @Test
    void everyKey_isFiledOnceInItsScopesAllKeysSet_withTheMemberAndScoreOfItsClassSet() {
        for (int i = 0; i < 60; i++) {
            createBoth(randomKey());
        }
        ApiKey k = memory.list(KeyQuery.clamped(null, null, null, null, 0, 1, base)).items().get(0);
        assertThat(store().replace(k.toBuilder().storedStatus(KeyStatus.BLOCKED).version(2).build(), 1)).isTrue();
        ApiKey gone = memory.list(KeyQuery.clamped(null, null, null, null, 1, 1, base)).items().get(0);
        assertThat(store().delete(gone.id())).isTrue();

        assertThat(allKeysCount("{all}")).isEqualTo(59);
        assertThat(redis.command("ZSCORE", prefix + "idx:{all}:k", k.id() + " 2"))
                .isEqualTo(Long.toString(RecordCodec.micros(k.createdAt())));
        assertThat(redis.command("ZSCORE", prefix + "idx:{all}:k", k.id() + " 1")).isNull();
        RedisIndexChecker.check(redis.uri(), prefix, store());
    }

    @Test
    void anUnfilteredPage_isReadFromTheAllKeysSet_whenItHoldsEveryKey() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Three t = createThreeOneSecondApart(now);
        // The same entries, one scored otherwise than in its class set: only a read of the all-keys set sees it.
        redis.command("ZADD", prefix + "idx:{all}:k", "XX",
                Long.toString(RecordCodec.micros(t.c().createdAt()) + 1), t.a().id() + " 1");

        assertThat(ids(store().list(KeyQuery.clamped(null, null, null, null, 0, 20, now))))
                .containsExactly(t.a().id(), t.c().id(), t.b().id());
        assertThat(ids(store().list(KeyQuery.clamped(null, KeyStatus.ACTIVE, null, null, 0, 20, now))))
                .containsExactly(t.c().id(), t.b().id(), t.a().id());
    }

    @Test
    void anIndexFiledBeforeTheAllKeysSet_answersExactlyWhileTheSetIsFilledInTheBackground() {
        for (int i = 0; i < 150; i++) {
            createBoth(randomKey());
        }
        // The layout before the all-keys set: class sets only.
        for (String scope : List.of("{all}", "{t:acme}", "{t:globex}", "{t:initech}")) {
            redis.command("DEL", prefix + "idx:" + scope + ":k");
        }

        assertUnfilteredAnswersAsInMemory(base);

        // A filing budget of 3 copies 6 entries per call: the first query started the rest in the background.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> allKeysCount("{all}") == 150);
        assertThat(redis.command("EXISTS", prefix + "idx:{all}:kc")).isEqualTo(0L);
        assertUnfilteredAnswersAsInMemory(base.plus(Duration.ofHours(1)));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> allKeysCount("{t:acme}")
                == memory.list(KeyQuery.clamped("acme", null, null, null, 0, 1, base)).total());
        RedisIndexChecker.check(redis.uri(), prefix, store());
    }

    @Test
    void anAllKeysSetHoldingAKeyNoClassSetHolds_isBuiltAnew_andAnswersStayExact() {
        for (int i = 0; i < 80; i++) {
            createBoth(randomKey());
        }
        // What a writer older than the set leaves when it deletes a key: its record and class entry gone, not this.
        ApiKey gone = Keys.key("gone", base).build();
        redis.command("ZADD", prefix + "idx:{all}:k", Long.toString(RecordCodec.micros(base) + 5),
                gone.id() + " 1");

        assertUnfilteredAnswersAsInMemory(base);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> allKeysCount("{all}") == 80
                && redis.command("ZSCORE", prefix + "idx:{all}:k", gone.id() + " 1") == null);
        assertUnfilteredAnswersAsInMemory(base);
        RedisIndexChecker.check(redis.uri(), prefix, store());
    }

    @Test
    void deletingAKeyWhoseClassEntryIsGone_dropsItsAllKeysEntryToo() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ApiKey k = Keys.key("k", now).build();
        store().create(k);
        redis.command("ZREM", prefix + "idx:{all}:c:asl", k.id() + " 1");

        assertThat(store().delete(k.id())).isTrue();

        assertThat(allKeysCount("{all}")).isZero();
    }

    @Test
    void list_idWhoseRecordIsGone_isDroppedAndUnfiled() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Three t = createThreeOneSecondApart(now);
        // A crash between the record's delete and the index clean-up leaves this behind:
        redis.command("DEL", prefix + "k:{" + t.b().id() + "}");

        Page<ApiKey> page = store().list(KeyQuery.clamped(null, null, null, null, 0, 20, now));

        assertThat(ids(page)).containsExactly(t.c().id(), t.a().id());
        assertThat(page.total()).isEqualTo(2);
        // The reader repairs the scope it read (the tenant scope is repaired when a tenant listing meets the id).
        assertThat(redis.command("ZSCORE", prefix + "idx:{all}:c:asl", t.b().id() + " 1")).isNull();
        assertThat(redis.command("ZSCORE", prefix + "idx:{all}:c:asl", t.a().id() + " 1")).isNotNull();
    }

    @Test
    void list_recordNewerThanItsEntry_isRefiledUnderItsNewStatus() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ApiKey k = Keys.key("k", now).build();
        store().create(k);
        // A crash after a replace wrote the record but before it refiled the key:
        redis.command("HSET", prefix + "k:{" + k.id() + "}", "k", "bsl", "v", "2");

        Page<ApiKey> active = store().list(KeyQuery.clamped(null, KeyStatus.ACTIVE, null, null, 0, 20, now));
        Page<ApiKey> blocked = store().list(KeyQuery.clamped(null, KeyStatus.BLOCKED, null, null, 0, 20, now));

        assertThat(active.items()).isEmpty();
        assertThat(active.total()).isZero();
        assertThat(ids(blocked)).containsExactly(k.id());
    }

    @Test
    void importedEntry_whoseRecordDoesNotCarryTheHash_isIgnored_andFreeToClaim() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ApiKey other = Keys.minimal(now);
        store().create(other);
        String token = "left-behind-import-0042";
        redis.command("SET", prefix + "imp:{" + Keys.HASHER.hash(token).hex() + "}", other.id());

        assertThat(store().findByImportedHash(Keys.HASHER.hash(token))).isEmpty();

        ApiKey claimer = Keys.key("claimer", now).current(Keys.imported(token)).build();
        store().create(claimer);
        assertThat(store().findByImportedHash(Keys.HASHER.hash(token))).contains(claimer);
    }

    @Test
    void aPageWhoseRecordReadsRedisNeverAnswers_failsWithStoreUnavailable_withinTheCommandTimeout() {
        // A page's record reads have no Lettuce timer (ClientTuning.awaitedByCaller): the page's own await bounds them.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store().create(Keys.minimal(now));
        Listing listing = new Listing(new Layout(prefix), Listing.DEFAULT_FILING_BUDGET);
        Duration timeout = Duration.ofMillis(300);
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> listing.page(conn.async(),
                    keys -> keys.stream().map(k -> new CompletableFuture<Map<String, String>>()).toList(),
                    KeyQuery.clamped(null, null, null, null, 0, 20, now), timeout))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("timed out");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("how long the page waited")
                    .isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plusSeconds(2));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
