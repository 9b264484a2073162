package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.DuplicateKeyException;
import dev.latchkey.core.Environment;
import dev.latchkey.core.Job;
import dev.latchkey.core.JobStatus;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyResolver;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Page;
import dev.latchkey.core.Subscription;
import dev.latchkey.core.TokenForm;
import dev.latchkey.core.Usage;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.UsageRecorder;
import dev.latchkey.core.UsageSink;
import dev.latchkey.core.Verification;
import dev.latchkey.core.Verifier;
import dev.latchkey.core.VerifyCode;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IpRuleInput;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.KeyPatch;
import dev.latchkey.core.admin.ListKeysRequest;
import dev.latchkey.core.admin.OperationException;
import dev.latchkey.core.admin.ResetStarted;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.internal.IpAddresses;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The suite every {@link KeyStore} must pass: the in-memory store, the Redis store (standalone and Cluster) and any
 * store a user writes. A subclass only says how to open a store; everything else is here.
 *
 * <p>Most tests drive the store through core's {@link KeyManager} and {@link Verifier} (with a {@link MutableClock},
 * so no test waits for time to pass), because that is how the store is used and every rule of the admin API sits on
 * the SPI's compare-and-set. The others call the SPI directly, for what {@code KeyManager} never does on its own
 * (stale replaces, replayed usage batches, duplicate ids).
 *
 * <p>What the suite requires beyond the {@link KeyStore} Javadoc:
 * <ul>
 *   <li>{@link #createStore()} returns an <b>empty</b> store for every test (a shared server needs a fresh key prefix
 *       or database per call) and the suite closes it after the test through {@link #closeStore};</li>
 *   <li>instants survive a round trip with at least millisecond precision;</li>
 *   <li>a listener registered by {@link KeyStore#subscribe} receives every later change of this store (events may
 *       arrive on another thread and later; the suite waits up to {@link #eventTimeout()});</li>
 *   <li>listing, status filters and grace windows are judged by the {@code now} the caller passes
 *       ({@link KeyQuery#now()}), never by the store's own clock.</li>
 * </ul>
 *
 * <p>Optional: {@link #createPeerStore} opens a second node on the same data, to check that changes reach other
 * nodes; stores that cannot (the in-memory store) leave it {@code null} and those tests are skipped.
 *
 * <pre>{@code
 * class MyKeyStoreTest extends KeyStoreContract {
 *     @Override protected KeyStore createStore() { return new MyKeyStore(...); }
 * }
 * }</pre>
 */
@Tag("contract")
public abstract class KeyStoreContract {

    /** The platform admin key used where a test needs an admin other than root. */
    private static final Actor PLATFORM_ADMIN = new Actor(Actor.Role.ADMIN, Ids.next(), null);
    private static final long HOUR = 3_600;

    private @Nullable MutableClock clock;
    private @Nullable KeyStore store;
    private @Nullable KeyManager manager;
    private @Nullable Verifier verifier;
    private final List<KeyStore> peers = new ArrayList<>();

    /**
     * Opens a new, empty store for one test. Called once before every test; the store is closed with
     * {@link #closeStore} after it.
     */
    protected abstract KeyStore createStore();

    /** Closes a store opened by {@link #createStore} or {@link #createPeerStore}; override to clean up data too. */
    protected void closeStore(KeyStore store) {
        store.close();
    }

    /**
     * Opens a second node on the same data as {@code store} (same server and key prefix, its own connections), or
     * returns {@code null} when the backend has no such thing; then the multi-node tests are skipped.
     */
    protected @Nullable KeyStore createPeerStore(KeyStore store) {
        return null;
    }

    /** The longest the suite waits for an event to arrive. */
    protected Duration eventTimeout() {
        return Duration.ofSeconds(5);
    }

    /** The rounds each of the concurrency tests' threads runs; lower it for a slow backend. */
    protected int concurrencyRounds() {
        return 12;
    }

    @BeforeEach
    final void openContractStore() {
        clock = MutableClock.atNow();
        store = createStore();
        manager = new KeyManager(store, Keys.CODEC, Keys.HASHER, clock, Runnable::run);
        verifier = new Verifier(KeyResolver.direct(store), Keys.CODEC, Keys.HASHER, clock, UsageSink.NONE);
    }

    @AfterEach
    final void closeContractStore() {
        for (KeyStore peer : peers) {
            closeStore(peer);
        }
        peers.clear();
        if (store != null) {
            closeStore(store);
        }
    }

    /** Returns the store under test. */
    protected final KeyStore store() {
        return java.util.Objects.requireNonNull(store, "store");
    }

    /** Returns the test clock every component of the suite reads. */
    protected final MutableClock clock() {
        return java.util.Objects.requireNonNull(clock, "clock");
    }

    /** Returns a key manager on the store under test, with the test clock and jobs run on the calling thread. */
    protected final KeyManager manager() {
        return java.util.Objects.requireNonNull(manager, "manager");
    }

    /** Returns a verifier that reads the store directly (no cache), with the test clock. */
    protected final Verifier verifier() {
        return java.util.Objects.requireNonNull(verifier, "verifier");
    }

    // ------------------------------------------------------------------ helpers

    private Instant now() {
        return clock().instant();
    }

    private IssuedKey create(String name) {
        return manager().create(Actor.ROOT, CreateKeyRequest.named(name));
    }

    private IssuedKey create(CreateKeyRequest request) {
        return manager().create(Actor.ROOT, request);
    }

    private VerifyCode verify(String token) {
        return verifier().verify(token, null).code();
    }

    private ApiKey stored(String id) {
        Optional<ApiKey> k = store().find(id);
        assertThat(k).as("key %s in the store", id).isPresent();
        return k.orElseThrow();
    }

    private static Actor tenantAdmin(String tenant) {
        return new Actor(Actor.Role.TENANT_ADMIN, Ids.next(), tenant);
    }

    private static OperationException.Reason reasonOf(Runnable call) {
        try {
            call.run();
        } catch (OperationException e) {
            return e.reason();
        }
        throw new AssertionError("expected an OperationException");
    }

    private static String at(Instant instant) {
        return instant.toString();
    }

    private static UsageBatch batch(String id, UsageDelta... deltas) {
        return new UsageBatch(id, List.of(deltas));
    }

    private static List<String> ids(Page<ApiKey> page) {
        return page.items().stream().map(ApiKey::id).toList();
    }

    private Page<ApiKey> listAll(Function<KeyQueryArgs, KeyQueryArgs> filter) {
        KeyQueryArgs a = filter.apply(new KeyQueryArgs(null, null, null, null));
        return store().list(KeyQuery.clamped(a.tenant, a.status, a.type, a.env, 0, KeyQuery.MAX_LIMIT, now()));
    }

    private record KeyQueryArgs(@Nullable String tenant, @Nullable KeyStatus status, @Nullable KeyType type,
            @Nullable Environment env) {
        KeyQueryArgs tenant(String t) { return new KeyQueryArgs(t, status, type, env); }
        KeyQueryArgs status(KeyStatus s) { return new KeyQueryArgs(tenant, s, type, env); }
        KeyQueryArgs type(KeyType t) { return new KeyQueryArgs(tenant, status, t, env); }
        KeyQueryArgs env(Environment e) { return new KeyQueryArgs(tenant, status, type, e); }
    }

    // ------------------------------------------------------------------ basics

    @Test
    void kind_isNamed_andPingAnswers() {
        assertThat(store().kind()).isNotBlank();
        store().ping();
    }

    @Test
    void create_thenFind_returnsEveryFieldUnchanged() {
        ApiKey full = Keys.full(now());
        store().create(full);

        assertThat(store().find(full.id())).contains(full);
    }

    @Test
    void create_minimalKey_roundTripsWithNullsAndEmptyCollections() {
        ApiKey minimal = Keys.minimal(now());
        store().create(minimal);

        ApiKey found = stored(minimal.id());
        assertThat(found).isEqualTo(minimal);
        assertThat(found.ownerId()).isNull();
        assertThat(found.expiresAt()).isNull();
        assertThat(found.previous()).isNull();
        assertThat(found.scopes()).isEmpty();
        assertThat(found.metadata()).isEmpty();
        assertThat(found.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void find_unknownId_isEmpty() {
        assertThat(store().find(Ids.next())).isEmpty();
    }

    @Test
    void create_duplicateId_throwsDuplicateKey_andKeepsTheFirst() {
        ApiKey first = Keys.minimal(now());
        store().create(first);
        ApiKey second = first.toBuilder().name("second").current(Keys.generated(Keys.token(first.id()))).build();

        assertThatThrownBy(() -> store().create(second)).isInstanceOf(DuplicateKeyException.class);
        assertThat(store().find(first.id())).contains(first);
    }

    @Test
    void create_takenImportedToken_throwsDuplicateKey_andStoresNothing() {
        ApiKey first = Keys.key("first", now()).current(Keys.imported("my-own-token-value-0001")).build();
        store().create(first);
        ApiKey second = Keys.key("second", now()).current(Keys.imported("my-own-token-value-0001")).build();

        assertThatThrownBy(() -> store().create(second)).isInstanceOf(DuplicateKeyException.class);
        assertThat(store().find(second.id())).isEmpty();
        assertThat(store().findByImportedHash(Keys.HASHER.hash("my-own-token-value-0001")))
                .map(ApiKey::id).contains(first.id());
    }

    @Test
    void findByImportedHash_findsImportedOnly() {
        ApiKey imported = Keys.key("imported", now()).current(Keys.imported("imported-token-0002")).build();
        String generatedToken = Keys.token(Ids.next());
        ApiKey generated = Keys.key("generated", now()).current(Keys.generated(generatedToken)).build();
        store().create(imported);
        store().create(generated);

        assertThat(store().findByImportedHash(Keys.HASHER.hash("imported-token-0002"))).contains(imported);
        assertThat(store().findByImportedHash(Keys.HASHER.hash(generatedToken))).isEmpty();
        assertThat(store().findByImportedHash(Keys.HASHER.hash("never-imported-0003"))).isEmpty();
    }

    // ------------------------------------------------------------------ compare-and-set

    @Test
    void replace_atExpectedVersion_writesTheNewRecord() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        ApiKey next = k.toBuilder().name("renamed").scopes(List.of("a:b")).updatedAt(now().plusSeconds(1))
                .version(2).build();

        assertThat(store().replace(next, 1)).isTrue();
        assertThat(store().find(k.id())).contains(next);
    }

    @Test
    void replace_staleVersion_returnsFalse_andChangesNothing() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        ApiKey v2 = k.toBuilder().name("v2").version(2).build();
        assertThat(store().replace(v2, 1)).isTrue();

        ApiKey stale = k.toBuilder().name("stale").version(2).build();
        assertThat(store().replace(stale, 1)).isFalse();
        ApiKey future = k.toBuilder().name("future").version(6).build();
        assertThat(store().replace(future, 5)).isFalse();

        assertThat(store().find(k.id())).contains(v2);
    }

    @Test
    void replace_unknownKey_returnsFalse_andCreatesNothing() {
        ApiKey ghost = Keys.minimal(now()).toBuilder().version(2).build();

        assertThat(store().replace(ghost, 1)).isFalse();
        assertThat(store().find(ghost.id())).isEmpty();
        assertThat(listAll(a -> a).total()).isZero();
    }

    @Test
    void replace_neverChangesUsage() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 5, now(), "203.0.113.9")));

        ApiKey next = k.toBuilder().name("renamed").version(2)
                .usage(new Usage(999, now().plusSeconds(60), "198.51.100.1")).build();
        assertThat(store().replace(next, 1)).isTrue();

        ApiKey found = stored(k.id());
        assertThat(found.name()).isEqualTo("renamed");
        assertThat(found.usage()).isEqualTo(new Usage(5, now(), "203.0.113.9"));
    }

    @Test
    void replace_importedIndexFollowsTheCredentials() {
        ApiKey k = Keys.key("imported", now()).current(Keys.imported("first-import-0004")).build();
        store().create(k);
        ApiKey swapped = k.toBuilder().current(Keys.imported("second-import-0005")).version(2).build();
        assertThat(store().replace(swapped, 1)).isTrue();

        assertThat(store().findByImportedHash(Keys.HASHER.hash("second-import-0005"))).contains(swapped);
        assertThat(store().findByImportedHash(Keys.HASHER.hash("first-import-0004"))).isEmpty();
    }

    @Test
    void replace_concurrentWritersOfOneVersion_exactlyOneWins() throws Exception {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ApiKey mine = k.toBuilder().name("writer " + t).version(2).build();
                results.add(pool.submit(() -> {
                    start.await();
                    return store().replace(mine, 1);
                }));
            }
            start.countDown();
            List<String> winners = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                if (results.get(t).get(30, TimeUnit.SECONDS)) {
                    winners.add("writer " + t);
                }
            }
            assertThat(winners).hasSize(1);
            ApiKey found = stored(k.id());
            assertThat(found.version()).isEqualTo(2);
            assertThat(found.name()).isEqualTo(winners.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ rotation

    @Test
    void rotate_withoutForce_keepsOldTokenValidForGrace() {
        IssuedKey k = create("rotating");
        IssuedKey r = manager().rotate(Actor.ROOT, k.key().id(), false, 2 * HOUR);

        Verification old = verifier().verify(k.token(), null);
        Verification fresh = verifier().verify(r.token(), null);
        assertThat(old.code()).isEqualTo(VerifyCode.VALID);
        assertThat(old.previousSecret()).isTrue();
        assertThat(fresh.code()).isEqualTo(VerifyCode.VALID);
        assertThat(fresh.previousSecret()).isFalse();
        assertThat(stored(k.key().id()).previousExpiresAt()).isEqualTo(now().plusSeconds(2 * HOUR));
    }

    @Test
    void rotate_afterGraceEnds_oldTokenIsNotFound() {
        IssuedKey k = create("rotating");
        IssuedKey r = manager().rotate(Actor.ROOT, k.key().id(), false, 2 * HOUR);

        clock().advance(Duration.ofSeconds(2 * HOUR - 1));
        assertThat(verify(k.token())).isEqualTo(VerifyCode.VALID);
        clock().advance(Duration.ofSeconds(1));
        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(r.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void rotate_defaultGrace_isSixHours() {
        IssuedKey k = create("rotating");
        manager().rotate(Actor.ROOT, k.key().id(), false, null);

        assertThat(stored(k.key().id()).previousExpiresAt()).isEqualTo(now().plus(Duration.ofHours(6)));
    }

    @Test
    void rotate_duringGrace_endsTheOldestToken() {
        IssuedKey k = create("rotating");
        IssuedKey second = manager().rotate(Actor.ROOT, k.key().id(), false, HOUR);
        clock().advance(Duration.ofMinutes(5));
        IssuedKey third = manager().rotate(Actor.ROOT, k.key().id(), false, HOUR);

        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verifier().verify(second.token(), null).previousSecret()).isTrue();
        assertThat(verify(second.token())).isEqualTo(VerifyCode.VALID);
        assertThat(verify(third.token())).isEqualTo(VerifyCode.VALID);
        assertThat(stored(k.key().id()).previousExpiresAt()).isEqualTo(now().plusSeconds(HOUR));
    }

    @Test
    void rotate_withForce_killsOldTokenAtOnce() {
        IssuedKey k = create("rotating");
        IssuedKey r = manager().rotate(Actor.ROOT, k.key().id(), true, 2 * HOUR);

        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(r.token())).isEqualTo(VerifyCode.VALID);
        ApiKey found = stored(k.key().id());
        assertThat(found.previous()).isNull();
        assertThat(found.previousExpiresAt()).isNull();
    }

    @Test
    void rotate_withForce_duringGrace_killsBothOldTokens() {
        IssuedKey k = create("rotating");
        IssuedKey second = manager().rotate(Actor.ROOT, k.key().id(), false, HOUR);
        IssuedKey third = manager().rotate(Actor.ROOT, k.key().id(), true, null);

        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(second.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(third.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void rotate_zeroGrace_killsOldTokenAtOnce() {
        IssuedKey k = create("rotating");
        manager().rotate(Actor.ROOT, k.key().id(), false, 0L);

        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(stored(k.key().id()).previous()).isNull();
    }

    @Test
    void rotate_graceNeverOutlivesTheKey() {
        Instant expiry = now().plus(Duration.ofHours(1));
        IssuedKey k = create(CreateKeyRequest.named("expiring").withExpiresAt(at(expiry)));
        manager().rotate(Actor.ROOT, k.key().id(), false, 6 * HOUR);

        assertThat(stored(k.key().id()).previousExpiresAt()).isEqualTo(expiry);
        clock().set(expiry);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
    }

    @Test
    void update_expiryBeforeGraceEnd_shortensTheGrace() {
        IssuedKey k = create("rotating");
        manager().rotate(Actor.ROOT, k.key().id(), false, 6 * HOUR);
        Instant expiry = now().plus(Duration.ofHours(1));
        manager().update(Actor.ROOT, k.key().id(), KeyPatch.EMPTY.withExpiresAt(at(expiry)), null);

        assertThat(stored(k.key().id()).previousExpiresAt()).isEqualTo(expiry);
    }

    @Test
    void rotate_keepsIdScopesRulesMetadataAndUsage() {
        IssuedKey k = create(CreateKeyRequest.named("rich")
                .withScopes(List.of("reports:read"))
                .withIpRestrictions(List.of(new IpRuleInput("203.0.113.0/24", "office", null)))
                .withMetadata(Map.of("team", "payments")));
        store().recordUsage(batch(Ids.next(), new UsageDelta(k.key().id(), 3, now(), "203.0.113.5")));
        clock().advance(Duration.ofSeconds(10));

        IssuedKey r = manager().rotate(Actor.ROOT, k.key().id(), false, null);

        ApiKey found = stored(k.key().id());
        assertThat(Keys.CODEC.keyIdOf(r.token())).isEqualTo(k.key().id());
        assertThat(found.scopes()).isEqualTo(k.key().scopes());
        assertThat(found.ipRestrictions()).isEqualTo(k.key().ipRestrictions());
        assertThat(found.metadata()).isEqualTo(k.key().metadata());
        assertThat(found.usage()).isEqualTo(new Usage(3, k.key().createdAt(), "203.0.113.5"));
        assertThat(found.version()).isEqualTo(2);
        assertThat(found.updatedAt()).isEqualTo(now());
        assertThat(found.hint()).isEqualTo(Keys.CODEC.hint(r.token(), false));
    }

    @Test
    void rotate_blockedOrExpiredKey_isConflict() {
        IssuedKey blocked = create("blocked");
        manager().setStatus(Actor.ROOT, blocked.key().id(), "blocked", null, null);
        IssuedKey expiring = create(CreateKeyRequest.named("expiring")
                .withExpiresAt(at(now().plus(Duration.ofHours(1)))));
        clock().advance(Duration.ofHours(2));

        assertThat(reasonOf(() -> manager().rotate(Actor.ROOT, blocked.key().id(), false, null)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(reasonOf(() -> manager().rotate(Actor.ROOT, expiring.key().id(), true, null)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(stored(expiring.key().id()).version()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ versions and If-Match

    @Test
    void everyAdminChange_bumpsVersionAndUpdatedAt() {
        IssuedKey k = create("versioned");
        String id = k.key().id();
        assertThat(k.key().version()).isEqualTo(1);

        clock().advance(Duration.ofSeconds(1));
        assertThat(manager().update(Actor.ROOT, id, KeyPatch.EMPTY.withName("renamed"), null).version()).isEqualTo(2);
        assertThat(stored(id).updatedAt()).isEqualTo(now());
        clock().advance(Duration.ofSeconds(1));
        assertThat(manager().setStatus(Actor.ROOT, id, "inactive", null, null).version()).isEqualTo(3);
        assertThat(stored(id).updatedAt()).isEqualTo(now());
        clock().advance(Duration.ofSeconds(1));
        assertThat(manager().rotate(Actor.ROOT, id, false, null).key().version()).isEqualTo(4);
        assertThat(stored(id).updatedAt()).isEqualTo(now());
        assertThat(stored(id).version()).isEqualTo(4);
    }

    @Test
    void update_withCurrentIfMatch_applies() {
        IssuedKey k = create("versioned");

        ApiKey updated = manager().update(Actor.ROOT, k.key().id(), KeyPatch.EMPTY.withName("renamed"), 1L);

        assertThat(updated.version()).isEqualTo(2);
        assertThat(stored(k.key().id()).name()).isEqualTo("renamed");
    }

    @Test
    void update_withStaleIfMatch_isPreconditionFailed_andChangesNothing() {
        IssuedKey k = create("versioned");
        manager().update(Actor.ROOT, k.key().id(), KeyPatch.EMPTY.withName("second"), null);
        ApiKey before = stored(k.key().id());

        assertThat(reasonOf(() -> manager().update(Actor.ROOT, k.key().id(), KeyPatch.EMPTY.withName("third"), 1L)))
                .isEqualTo(OperationException.Reason.PRECONDITION_FAILED);
        assertThat(reasonOf(() -> manager().setStatus(Actor.ROOT, k.key().id(), "inactive", null, 1L)))
                .isEqualTo(OperationException.Reason.PRECONDITION_FAILED);
        assertThat(store().find(k.key().id())).contains(before);
    }

    // ------------------------------------------------------------------ status rules

    @Test
    void status_activeAndInactive_toggleAndAreEnforced() {
        IssuedKey k = create("toggled");

        ApiKey off = manager().setStatus(Actor.ROOT, k.key().id(), "inactive", "paused", null);
        assertThat(off.effectiveStatus(now())).isEqualTo(KeyStatus.INACTIVE);
        assertThat(stored(k.key().id()).statusChange().reason()).isEqualTo("paused");
        assertThat(stored(k.key().id()).statusChange().by()).isEqualTo("root");
        assertThat(stored(k.key().id()).statusChange().at()).isEqualTo(now());
        assertThat(verify(k.token())).isEqualTo(VerifyCode.INACTIVE);

        manager().setStatus(tenantAdmin("default"), k.key().id(), "active", null, null);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void status_blockIsOnlyForPlatformAdmins() {
        IssuedKey k = create(CreateKeyRequest.named("guarded").withTenant("acme"));
        String id = k.key().id();
        Actor acmeAdmin = tenantAdmin("acme");

        assertThat(reasonOf(() -> manager().setStatus(acmeAdmin, id, "blocked", null, null)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(stored(id).version()).isEqualTo(1);

        ApiKey blocked = manager().setStatus(PLATFORM_ADMIN, id, "blocked", "abuse", null);
        assertThat(blocked.storedStatus()).isEqualTo(KeyStatus.BLOCKED);
        assertThat(stored(id).statusChange().by()).isEqualTo(PLATFORM_ADMIN.keyId());
        assertThat(verify(k.token())).isEqualTo(VerifyCode.BLOCKED);

        assertThat(reasonOf(() -> manager().setStatus(acmeAdmin, id, "active", null, null)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(reasonOf(() -> manager().setStatus(acmeAdmin, id, "inactive", null, null)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(reasonOf(() -> manager().update(acmeAdmin, id, KeyPatch.EMPTY.withName("x"), null)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(reasonOf(() -> manager().rotate(acmeAdmin, id, false, null)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(reasonOf(() -> manager().reset(acmeAdmin, id)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(reasonOf(() -> manager().delete(acmeAdmin, id)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(stored(id).version()).isEqualTo(2);
        assertThat(stored(id).storedStatus()).isEqualTo(KeyStatus.BLOCKED);

        manager().setStatus(Actor.ROOT, id, "inactive", null, null);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.INACTIVE);
    }

    @Test
    void status_blockedWinsOverExpired() {
        IssuedKey k = create(CreateKeyRequest.named("both").withExpiresAt(at(now().plus(Duration.ofHours(1)))));
        manager().setStatus(Actor.ROOT, k.key().id(), "blocked", null, null);
        clock().advance(Duration.ofHours(2));

        assertThat(stored(k.key().id()).effectiveStatus(now())).isEqualTo(KeyStatus.BLOCKED);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.BLOCKED);
    }

    @Test
    void status_expiredKey_cannotBeActivated_untilExpiryMovesForward() {
        IssuedKey k = create(CreateKeyRequest.named("expiring").withExpiresAt(at(now().plus(Duration.ofHours(1)))));
        String id = k.key().id();
        clock().advance(Duration.ofHours(2));
        assertThat(verify(k.token())).isEqualTo(VerifyCode.EXPIRED);

        assertThat(reasonOf(() -> manager().setStatus(Actor.ROOT, id, "active", null, null)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(stored(id).version()).isEqualTo(1);

        manager().update(Actor.ROOT, id, KeyPatch.EMPTY.withExpiresAt(at(now().plus(Duration.ofDays(1)))), null);
        assertThat(stored(id).effectiveStatus(now())).isEqualTo(KeyStatus.ACTIVE);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void status_movingExpiryForward_restoresTheStoredStatus() {
        IssuedKey k = create(CreateKeyRequest.named("expiring").withExpiresAt(at(now().plus(Duration.ofHours(1)))));
        String id = k.key().id();
        manager().setStatus(Actor.ROOT, id, "inactive", null, null);
        clock().advance(Duration.ofHours(2));
        assertThat(stored(id).effectiveStatus(now())).isEqualTo(KeyStatus.EXPIRED);
        manager().setStatus(Actor.ROOT, id, "inactive", "still off", null);

        manager().update(Actor.ROOT, id, KeyPatch.EMPTY.withExpiresAt(null), null);

        assertThat(stored(id).effectiveStatus(now())).isEqualTo(KeyStatus.INACTIVE);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.INACTIVE);
    }

    // ------------------------------------------------------------------ listing

    @Test
    void list_isNewestFirst_withExactTotal() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(create("key " + i).key().id());
            clock().advance(Duration.ofSeconds(1));
        }

        Page<ApiKey> page = listAll(a -> a);

        java.util.Collections.reverse(created);
        assertThat(ids(page)).containsExactlyElementsOf(created);
        assertThat(page.total()).isEqualTo(5);
    }

    @Test
    void list_pages_withOffsetLimitAndTotal() {
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            newestFirst.add(0, create("key " + i).key().id());
            clock().advance(Duration.ofMillis(10));
        }

        Page<ApiKey> first = store().list(KeyQuery.clamped(null, null, null, null, 0, 3, now()));
        Page<ApiKey> second = store().list(KeyQuery.clamped(null, null, null, null, 3, 3, now()));
        Page<ApiKey> last = store().list(KeyQuery.clamped(null, null, null, null, 6, 3, now()));
        Page<ApiKey> beyond = store().list(KeyQuery.clamped(null, null, null, null, 10, 3, now()));

        assertThat(ids(first)).containsExactlyElementsOf(newestFirst.subList(0, 3));
        assertThat(ids(second)).containsExactlyElementsOf(newestFirst.subList(3, 6));
        assertThat(ids(last)).containsExactlyElementsOf(newestFirst.subList(6, 7));
        assertThat(beyond.items()).isEmpty();
        assertThat(List.of(first.total(), second.total(), last.total(), beyond.total())).containsOnly(7L);
        assertThat(second.offset()).isEqualTo(3);
        assertThat(second.limit()).isEqualTo(3);
    }

    @Test
    void list_throughManager_clampsOffsetAndLimit() {
        for (int i = 0; i < 25; i++) {
            create("key " + i);
            clock().advance(Duration.ofMillis(1));
        }

        Page<ApiKey> defaults = manager().list(Actor.ROOT, new ListKeysRequest(null, null, null, null, -5, 0));
        assertThat(defaults.items()).hasSize(KeyQuery.DEFAULT_LIMIT);
        assertThat(defaults.offset()).isZero();
        assertThat(defaults.limit()).isEqualTo(20);
        assertThat(defaults.total()).isEqualTo(25);

        Page<ApiKey> huge = manager().list(Actor.ROOT, new ListKeysRequest(null, null, null, null, 0, 1_000_000));
        assertThat(huge.items()).hasSize(25);
        assertThat(huge.limit()).isEqualTo(KeyQuery.MAX_LIMIT);

        Page<ApiKey> tail = manager().list(Actor.ROOT, new ListKeysRequest(null, null, null, null, 23, 500));
        assertThat(tail.items()).hasSize(2);
        assertThat(tail.total()).isEqualTo(25);

        Page<ApiKey> negativeLimit = manager().list(Actor.ROOT, new ListKeysRequest(null, null, null, null, 0, -1));
        assertThat(negativeLimit.limit()).isEqualTo(20);
    }

    @Test
    void list_filtersByTenantTypeAndEnvironment() {
        String a = create(CreateKeyRequest.named("a").withTenant("acme")).key().id();
        String b = create(CreateKeyRequest.named("b").withTenant("acme").withType("trial")).key().id();
        String c = create(CreateKeyRequest.named("c").withTenant("globex").withEnvironment("test")).key().id();
        String d = create(CreateKeyRequest.named("d").withEnvironment("test").withType("trial")).key().id();

        assertThat(ids(listAll(q -> q.tenant("acme")))).containsExactlyInAnyOrder(a, b);
        assertThat(ids(listAll(q -> q.tenant("globex")))).containsExactly(c);
        assertThat(ids(listAll(q -> q.tenant("default")))).containsExactly(d);
        assertThat(ids(listAll(q -> q.tenant("nobody")))).isEmpty();
        assertThat(ids(listAll(q -> q.type(KeyType.TRIAL)))).containsExactlyInAnyOrder(b, d);
        assertThat(ids(listAll(q -> q.type(KeyType.STANDARD)))).containsExactlyInAnyOrder(a, c);
        assertThat(ids(listAll(q -> q.env(Environment.TEST)))).containsExactlyInAnyOrder(c, d);
        assertThat(ids(listAll(q -> q.env(Environment.LIVE)))).containsExactlyInAnyOrder(a, b);
        assertThat(ids(listAll(q -> q.tenant("acme").type(KeyType.TRIAL).env(Environment.LIVE)))).containsExactly(b);
        assertThat(listAll(q -> q.env(Environment.TEST)).total()).isEqualTo(2);
    }

    @Test
    void list_filtersByEffectiveStatus_includingExpired() {
        Instant soon = now().plus(Duration.ofHours(1));
        String active = create("active").key().id();
        String inactive = create("inactive").key().id();
        manager().setStatus(Actor.ROOT, inactive, "inactive", null, null);
        String blocked = create("blocked").key().id();
        manager().setStatus(Actor.ROOT, blocked, "blocked", null, null);
        String expired = create(CreateKeyRequest.named("expired").withExpiresAt(at(soon))).key().id();
        String blockedExpired = create(CreateKeyRequest.named("blocked expired").withExpiresAt(at(soon))).key().id();
        manager().setStatus(Actor.ROOT, blockedExpired, "blocked", null, null);
        String laterExpiry = create(CreateKeyRequest.named("later")
                .withExpiresAt(at(now().plus(Duration.ofDays(1))))).key().id();

        assertThat(ids(listAll(q -> q.status(KeyStatus.EXPIRED)))).isEmpty();
        clock().advance(Duration.ofHours(2));

        assertThat(ids(listAll(q -> q.status(KeyStatus.ACTIVE)))).containsExactlyInAnyOrder(active, laterExpiry);
        assertThat(ids(listAll(q -> q.status(KeyStatus.INACTIVE)))).containsExactly(inactive);
        assertThat(ids(listAll(q -> q.status(KeyStatus.BLOCKED)))).containsExactlyInAnyOrder(blocked, blockedExpired);
        assertThat(ids(listAll(q -> q.status(KeyStatus.EXPIRED)))).containsExactly(expired);
        assertThat(listAll(q -> q.status(KeyStatus.EXPIRED)).total()).isEqualTo(1);
        assertThat(listAll(q -> q).total()).isEqualTo(6);
    }

    // ------------------------------------------------------------------ deletion

    @Test
    void delete_removesKeyTokensAndIndex_andLaterCallsAre404() {
        IssuedKey k = create("doomed");
        String id = k.key().id();
        IssuedKey imported = create(CreateKeyRequest.named("imported doomed").withToken("doomed-import-0006"));

        manager().delete(Actor.ROOT, id);
        assertThat(store().delete(imported.key().id())).isTrue();

        assertThat(store().find(id)).isEmpty();
        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify("doomed-import-0006")).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(store().findByImportedHash(Keys.HASHER.hash("doomed-import-0006"))).isEmpty();
        assertThat(listAll(q -> q).total()).isZero();
        assertThat(store().delete(id)).isFalse();
        assertThat(reasonOf(() -> manager().get(Actor.ROOT, id))).isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().delete(Actor.ROOT, id))).isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().rotate(Actor.ROOT, id, false, null)))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().setStatus(Actor.ROOT, id, "active", null, null)))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
    }

    @Test
    void delete_thenReplaceOrUsage_doesNotResurrectTheKey() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        assertThat(store().delete(k.id())).isTrue();

        assertThat(store().replace(k.toBuilder().version(2).build(), 1)).isFalse();
        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 1, now(), null)));

        assertThat(store().find(k.id())).isEmpty();
        assertThat(listAll(q -> q).total()).isZero();
    }

    @Test
    void delete_importedKey_freesItsTokenForReuse() {
        IssuedKey first = create(CreateKeyRequest.named("first").withToken("reusable-import-0007"));
        manager().delete(Actor.ROOT, first.key().id());

        IssuedKey second = create(CreateKeyRequest.named("second").withToken("reusable-import-0007"));

        assertThat(verifier().verify("reusable-import-0007", null).key()).extracting(ApiKey::id)
                .isEqualTo(second.key().id());
    }

    // ------------------------------------------------------------------ usage

    @Test
    void usage_countsAddAcrossBatches_andLastUseOnlyMovesForward() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        Instant t1 = now().plusSeconds(10);
        Instant t2 = now().plusSeconds(20);
        Instant t3 = now().plusSeconds(30);

        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 3, t2, "203.0.113.2")));
        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 2, t1, "203.0.113.1")));
        assertThat(stored(k.id()).usage()).isEqualTo(new Usage(5, t2, "203.0.113.2"));

        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 1, t3, "2001:db8::1")));
        assertThat(stored(k.id()).usage()).isEqualTo(new Usage(6, t3, "2001:db8::1"));
    }

    @Test
    void usage_sameBatchIdIsAppliedOnce() {
        ApiKey a = Keys.minimal(now());
        ApiKey b = Keys.minimal(now());
        store().create(a);
        store().create(b);
        UsageBatch batch = batch(Ids.next(), new UsageDelta(a.id(), 4, now(), null),
                new UsageDelta(b.id(), 7, now(), "203.0.113.3"));

        store().recordUsage(batch);
        store().recordUsage(batch);
        store().recordUsage(batch(Ids.next(), new UsageDelta(a.id(), 1, now(), null)));

        assertThat(stored(a.id()).usage().count()).isEqualTo(5);
        assertThat(stored(b.id()).usage()).isEqualTo(new Usage(7, now(), "203.0.113.3"));
    }

    @Test
    void usage_neverChangesVersionOrUpdatedAt() {
        ApiKey k = Keys.minimal(now());
        store().create(k);

        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 9, now().plusSeconds(5), "203.0.113.4")));

        ApiKey found = stored(k.id());
        assertThat(found.version()).isEqualTo(1);
        assertThat(found.updatedAt()).isEqualTo(k.updatedAt());
        assertThat(found.withUsage(Usage.NONE)).isEqualTo(k);
        assertThat(manager().update(Actor.ROOT, k.id(), KeyPatch.EMPTY.withName("still fine"), 1L).version())
                .isEqualTo(2);
    }

    @Test
    void usage_forUnknownKeysIsIgnored_andTheRestApplies() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        String ghost = Ids.next();

        store().recordUsage(batch(Ids.next(), new UsageDelta(ghost, 5, now(), null),
                new UsageDelta(k.id(), 2, now(), null)));

        assertThat(store().find(ghost)).isEmpty();
        assertThat(stored(k.id()).usage().count()).isEqualTo(2);
    }

    @Test
    void usage_fromVerificationsThroughRecorder_reachesTheStore() {
        IssuedKey k = create("busy");
        try (UsageRecorder recorder = UsageRecorder.builder(store()).flushInterval(Duration.ZERO).build()) {
            Verifier counting = new Verifier(KeyResolver.direct(store()), Keys.CODEC, Keys.HASHER, clock(), recorder);
            counting.verify(k.token(), IpAddresses.parseAddress("203.0.113.8"));
            counting.verify(k.token(), IpAddresses.parseAddress("203.0.113.8"), List.of("not:granted"));
            clock().advance(Duration.ofSeconds(1));
            counting.verify(k.token(), IpAddresses.parseAddress("2001:db8::8"));
            assertThat(recorder.flush()).isTrue();
        }

        assertThat(stored(k.key().id()).usage()).isEqualTo(new Usage(2, now(), "2001:db8::8"));
        assertThat(stored(k.key().id()).version()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ jobs

    @Test
    void jobs_saveFindAndOverwrite() {
        Job job = new Job(Ids.next(), Job.RESET_KEY, JobStatus.RUNNING, Ids.next(), "acme", now(), null, null);
        store().saveJob(job);
        assertThat(store().findJob(job.id())).contains(job);

        Job done = job.failed(now().plusSeconds(2), "the store could not commit the change");
        store().saveJob(done);
        assertThat(store().findJob(job.id())).contains(done);
        assertThat(store().findJob(Ids.next())).isEmpty();
    }

    @Test
    void reset_succeeds_killsOldTokenAtOnce_andRecordsTheJob() {
        IssuedKey k = create("reset me");
        manager().rotate(Actor.ROOT, k.key().id(), false, HOUR);

        ResetStarted started = manager().reset(Actor.ROOT, k.key().id());

        assertThat(started.job().status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(started.job().keyId()).isEqualTo(k.key().id());
        assertThat(store().findJob(started.job().id())).contains(started.job());
        assertThat(started.job().finishedAt()).isEqualTo(now());
        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(started.token())).isEqualTo(VerifyCode.VALID);
        assertThat(stored(k.key().id()).previous()).isNull();
        assertThat(manager().job(Actor.ROOT, started.job().id())).isEqualTo(started.job());
    }

    // ------------------------------------------------------------------ settings

    @Test
    void settings_initSetting_firstWriterWins() {
        assertThat(store().setting(KeyStore.HASHER_CHECK)).isNull();

        assertThat(store().initSetting(KeyStore.HASHER_CHECK, Keys.HASHER.checkValue()))
                .isEqualTo(Keys.HASHER.checkValue());
        assertThat(store().initSetting(KeyStore.HASHER_CHECK, "another")).isEqualTo(Keys.HASHER.checkValue());
        assertThat(store().setting(KeyStore.HASHER_CHECK)).isEqualTo(Keys.HASHER.checkValue());
        assertThat(store().setting(KeyStore.TOKEN_PREFIX)).isNull();
    }

    // ------------------------------------------------------------------ events

    @Test
    void events_createdUpdatedAndDeleted_reachSubscribers() {
        Queue<KeyEvent> events = new ConcurrentLinkedQueue<>();
        try (Subscription ignored = store().subscribe(events::add)) {
            String id = create("evented").key().id();
            awaitEvent(events, KeyEvent.Type.CREATED, id);

            manager().setStatus(Actor.ROOT, id, "inactive", null, null);
            await().atMost(eventTimeout()).until(() -> events.contains(KeyEvent.of(KeyEvent.Type.UPDATED, id, 2)));

            manager().delete(Actor.ROOT, id);
            awaitEvent(events, KeyEvent.Type.DELETED, id);
        }
    }

    @Test
    void events_afterUnsubscribe_stopArriving() {
        Queue<KeyEvent> closed = new ConcurrentLinkedQueue<>();
        Queue<KeyEvent> open = new ConcurrentLinkedQueue<>();
        Subscription first = store().subscribe(closed::add);
        try (Subscription ignored = store().subscribe(open::add)) {
            String before = create("before").key().id();
            awaitEvent(closed, KeyEvent.Type.CREATED, before);
            first.close();
            first.close();

            String after = create("after").key().id();
            awaitEvent(open, KeyEvent.Type.CREATED, after);
            manager().setStatus(Actor.ROOT, after, "inactive", null, null);
            awaitEvent(open, KeyEvent.Type.UPDATED, after);

            assertThat(closed).noneMatch(e -> after.equals(e.keyId()));
        }
    }

    @Test
    void events_aListenerThatThrows_neitherStopsOthersNorTheChange() {
        Queue<KeyEvent> events = new ConcurrentLinkedQueue<>();
        try (Subscription failing = store().subscribe(e -> {
            throw new IllegalStateException("listener bug");
        }); Subscription ignored = store().subscribe(events::add)) {
            String first = create("first").key().id();
            awaitEvent(events, KeyEvent.Type.CREATED, first);
            String second = create("second").key().id();
            awaitEvent(events, KeyEvent.Type.CREATED, second);
            assertThat(store().find(first)).isPresent();
        }
    }

    @Test
    void events_reachSubscribersOnAnotherNode() {
        KeyStore peer = createPeerStore(store());
        assumeTrue(peer != null, "this store has no second node to subscribe on");
        peers.add(peer);
        Queue<KeyEvent> events = new ConcurrentLinkedQueue<>();
        try (Subscription ignored = peer.subscribe(events::add)) {
            String id = create("shared").key().id();
            awaitEvent(events, KeyEvent.Type.CREATED, id);
            assertThat(peer.find(id)).isPresent();

            manager().rotate(Actor.ROOT, id, true, null);
            awaitEvent(events, KeyEvent.Type.UPDATED, id);
            store().delete(id);
            awaitEvent(events, KeyEvent.Type.DELETED, id);
            assertThat(peer.find(id)).isEmpty();
        }
    }

    private void awaitEvent(Queue<KeyEvent> events, KeyEvent.Type type, String id) {
        await().atMost(eventTimeout())
                .until(() -> events.stream().anyMatch(e -> e.type() == type && id.equals(e.keyId())));
    }

    // ------------------------------------------------------------------ imported tokens

    @Test
    void imported_tokenVerifies_andDuplicateIsConflict() {
        IssuedKey k = create(CreateKeyRequest.named("imported").withToken("Imported+Token/Value=0008"));

        assertThat(k.token()).isEqualTo("Imported+Token/Value=0008");
        assertThat(k.key().hint()).isEqualTo("…0008");
        assertThat(verify(k.token())).isEqualTo(VerifyCode.VALID);
        assertThat(reasonOf(() -> create(CreateKeyRequest.named("copy").withToken("Imported+Token/Value=0008"))))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(listAll(q -> q).total()).isEqualTo(1);
    }

    @Test
    void imported_rotate_issuesGeneratedToken_andKeepsImportedInGrace() {
        IssuedKey k = create(CreateKeyRequest.named("imported").withToken("rotate-me-import-0009"));

        IssuedKey r = manager().rotate(Actor.ROOT, k.key().id(), false, HOUR);

        assertThat(Keys.CODEC.classify(r.token())).isEqualTo(TokenForm.GENERATED);
        assertThat(Keys.CODEC.keyIdOf(r.token())).isEqualTo(k.key().id());
        Verification old = verifier().verify("rotate-me-import-0009", null);
        assertThat(old.code()).isEqualTo(VerifyCode.VALID);
        assertThat(old.previousSecret()).isTrue();
        assertThat(verify(r.token())).isEqualTo(VerifyCode.VALID);
        assertThat(store().findByImportedHash(Keys.HASHER.hash("rotate-me-import-0009"))).map(ApiKey::id)
                .contains(k.key().id());

        clock().advance(Duration.ofSeconds(HOUR));
        assertThat(verify("rotate-me-import-0009")).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(r.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void imported_forceRotate_dropsTheImportedTokenAndIndex() {
        IssuedKey k = create(CreateKeyRequest.named("imported").withToken("force-me-import-0010"));

        manager().rotate(Actor.ROOT, k.key().id(), true, null);

        assertThat(verify("force-me-import-0010")).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(store().findByImportedHash(Keys.HASHER.hash("force-me-import-0010"))).isEmpty();
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    @Tag("concurrency")
    void concurrentRotationsAndToggles_loseNoUpdate_andLeaveAtMostTwoValidSecrets() throws Exception {
        IssuedKey k = create("contended");
        String id = k.key().id();
        int threads = 8;
        int rounds = concurrencyRounds();
        Queue<String> tokens = new ConcurrentLinkedQueue<>();
        tokens.add(k.token());
        AtomicInteger successes = new AtomicInteger();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        try {
                            if ((thread + i) % 2 == 0) {
                                tokens.add(manager().rotate(Actor.ROOT, id, false, HOUR).token());
                            } else {
                                manager().setStatus(Actor.ROOT, id, i % 4 < 2 ? "inactive" : "active", null, null);
                            }
                            successes.incrementAndGet();
                        } catch (OperationException e) {
                            if (e.reason() != OperationException.Reason.CONFLICT) {
                                unexpected.add(e);
                            }
                        } catch (RuntimeException e) {
                            unexpected.add(e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(unexpected).isEmpty();
        assertThat(successes.get()).isPositive();
        assertThat(stored(id).version()).isEqualTo(1L + successes.get());
        long matching = tokens.stream().filter(t -> verifier().verify(t, null).key() != null).count();
        long current = tokens.stream().filter(t -> stored(id).current().hash().matches(Keys.HASHER.hash(t))).count();
        assertThat(matching).isBetween(1L, 2L);
        assertThat(current).isEqualTo(1);
    }

    @Test
    @Tag("concurrency")
    void concurrentUsageBatches_addUpExactly() throws Exception {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        int threads = 8;
        int rounds = concurrencyRounds() * 2;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        store().recordUsage(batch(Ids.next(),
                                new UsageDelta(k.id(), 3, now().plusMillis(thread * 1000L + i), null)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Usage usage = stored(k.id()).usage();
        assertThat(usage.count()).isEqualTo(3L * threads * rounds);
        assertThat(usage.lastUsedAt()).isEqualTo(now().plusMillis((threads - 1) * 1000L + rounds - 1));
        assertThat(stored(k.id()).version()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ tenants

    @Test
    void tenantAdmin_otherTenantsKeys_are404_andUntouched() {
        IssuedKey theirs = create(CreateKeyRequest.named("theirs").withTenant("globex"));
        String id = theirs.key().id();
        Actor acme = tenantAdmin("acme");

        assertThat(reasonOf(() -> manager().get(acme, id))).isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().update(acme, id, KeyPatch.EMPTY.withName("mine"), null)))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().setStatus(acme, id, "inactive", null, null)))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().rotate(acme, id, true, null)))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().reset(acme, id))).isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> manager().delete(acme, id))).isEqualTo(OperationException.Reason.NOT_FOUND);

        assertThat(stored(id)).isEqualTo(theirs.key());
        assertThat(verify(theirs.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void tenantAdmin_listsOnlyItsOwnTenant() {
        String mine = create(CreateKeyRequest.named("mine").withTenant("acme")).key().id();
        create(CreateKeyRequest.named("theirs").withTenant("globex"));
        Actor acme = tenantAdmin("acme");

        Page<ApiKey> own = manager().list(acme, new ListKeysRequest(null, null, null, null, 0, 0));
        assertThat(ids(own)).containsExactly(mine);
        assertThat(own.total()).isEqualTo(1);
        assertThat(reasonOf(() -> manager().list(acme, new ListKeysRequest("globex", null, null, null, 0, 0))))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(manager().list(Actor.ROOT, new ListKeysRequest(null, null, null, null, 0, 0)).total()).isEqualTo(2);
    }

    @Test
    void tenantAdmin_jobsOfOtherTenants_are404() {
        IssuedKey theirs = create(CreateKeyRequest.named("theirs").withTenant("globex"));
        ResetStarted started = manager().reset(Actor.ROOT, theirs.key().id());

        assertThat(reasonOf(() -> manager().job(tenantAdmin("acme"), started.job().id())))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(manager().job(tenantAdmin("globex"), started.job().id()).status()).isEqualTo(JobStatus.SUCCESS);
    }

    @Test
    void verifier_withTenantRestriction_otherTenantsTokensAreNotFound() {
        IssuedKey theirs = create(CreateKeyRequest.named("theirs").withTenant("globex"));

        assertThat(verifier().verify(theirs.token(), null, List.of(), "acme").code()).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verifier().verify(theirs.token(), null, List.of(), "globex").code()).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void verifier_overTheStore_appliesIpRulesAndScopes() {
        IssuedKey k = create(CreateKeyRequest.named("restricted")
                .withScopes(List.of("reports:*"))
                .withIpRestrictions(List.of(new IpRuleInput("203.0.113.0/24", null, null),
                        new IpRuleInput("2001:db8::/32", null, "inactive"))));

        assertThat(verifier().verify(k.token(), IpAddresses.parseAddress("203.0.113.77"), List.of("reports:read"))
                .code()).isEqualTo(VerifyCode.VALID);
        assertThat(verifier().verify(k.token(), IpAddresses.parseAddress("2001:db8::1"), List.of()).code())
                .isEqualTo(VerifyCode.IP_NOT_ALLOWED);
        assertThat(verifier().verify(k.token(), IpAddresses.parseAddress("203.0.113.77"), List.of("billing:read"))
                .code()).isEqualTo(VerifyCode.INSUFFICIENT_SCOPE);
    }
}
