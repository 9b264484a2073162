package dev.latchkey.core.admin;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.Environment;
import dev.latchkey.core.ForwardingKeyStore;
import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.Job;
import dev.latchkey.core.JobStatus;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyResolver;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.StatusChange;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.TestClock;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.Usage;
import dev.latchkey.core.UsageSink;
import dev.latchkey.core.Verifier;
import dev.latchkey.core.VerifyCode;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.internal.Scopes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link KeyManager}: the rules the testkit's store contract does not reach (trial keys, who may grant
 * platform scopes, tenant admins' creates, verifier actors, validation, and the reset job's outcomes).
 */
class KeyManagerTest {

    private static final Actor ACME_ADMIN = new Actor(Actor.Role.TENANT_ADMIN, Ids.next(), "acme");
    private static final Actor PLATFORM_ADMIN = new Actor(Actor.Role.ADMIN, Ids.next(), null);
    private static final Actor ACME_VERIFIER = new Actor(Actor.Role.VERIFIER, Ids.next(), "acme");

    private final TestClock clock = TestClock.atNow();
    private final TokenCodec codec = TokenCodec.defaults();
    private final SecretHasher hasher = SecretHasher.sha256();
    private final InMemoryKeyStore memory = new InMemoryKeyStore();
    private final Deque<Runnable> queued = new ArrayDeque<>();

    private KeyManager manager(KeyStore store, Executor jobs) {
        return new KeyManager(store, codec, hasher, clock, jobs);
    }

    private final KeyManager manager = manager(memory, Runnable::run);
    private final Verifier verifier = new Verifier(KeyResolver.direct(memory), codec, hasher, clock, UsageSink.NONE);

    private VerifyCode verify(String token) {
        return verifier.verify(token, null).code();
    }

    private static OperationException.Reason reasonOf(Runnable call) {
        try {
            call.run();
        } catch (OperationException e) {
            return e.reason();
        }
        throw new AssertionError("expected an OperationException");
    }

    private static List<String> fieldsOf(Runnable call) {
        try {
            call.run();
        } catch (ValidationException e) {
            return e.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("expected a ValidationException");
    }

    // ---------------------------------------------------------------- create

    @Test
    void create_appliesTheDefaults_andIssuesAWorkingToken() {
        IssuedKey k = manager.create(Actor.ROOT, CreateKeyRequest.named("plain"));

        ApiKey key = k.key();
        assertThat(key.tenantId()).isEqualTo("default");
        assertThat(key.environment()).isEqualTo(Environment.LIVE);
        assertThat(key.type()).isEqualTo(KeyType.STANDARD);
        assertThat(key.storedStatus()).isEqualTo(KeyStatus.ACTIVE);
        assertThat(key.version()).isEqualTo(1);
        assertThat(key.createdAt()).isEqualTo(clock.instant()).isEqualTo(key.updatedAt());
        assertThat(key.expiresAt()).isNull();
        assertThat(key.statusChange()).isEqualTo(StatusChange.NONE);
        assertThat(key.usage()).isEqualTo(Usage.NONE);
        assertThat(key.hint()).isEqualTo(codec.hint(k.token(), false));
        assertThat(codec.keyIdOf(k.token())).isEqualTo(key.id());
        assertThat(memory.find(key.id())).contains(key);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.VALID);
        assertThat(k.toString()).doesNotContain(k.token());
    }

    @Test
    void create_testEnvironment_issuesATestToken() {
        IssuedKey k = manager.create(Actor.ROOT, CreateKeyRequest.named("t").withEnvironment("test"));

        assertThat(k.token()).startsWith("lk_test_");
        assertThat(k.key().hint()).startsWith("lk_test_");
    }

    @Test
    void create_trialWithoutExpiry_expiresInFourteenDays() {
        IssuedKey k = manager.create(Actor.ROOT, CreateKeyRequest.named("trial").withType("trial"));

        assertThat(k.key().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(14)));
        clock.advance(Duration.ofDays(14));
        assertThat(verify(k.token())).isEqualTo(VerifyCode.EXPIRED);
    }

    @Test
    void create_trialWithExpiry_keepsIt() {
        String at = clock.instant().plus(Duration.ofDays(3)).toString();

        IssuedKey k = manager.create(Actor.ROOT, CreateKeyRequest.named("trial").withType("trial").withExpiresAt(at));

        assertThat(k.key().expiresAt()).hasToString(at);
    }

    @Test
    void update_trialCannotClearItsExpiry_butAStandardKeyCan() {
        IssuedKey trial = manager.create(Actor.ROOT, CreateKeyRequest.named("trial").withType("trial"));
        IssuedKey standard = manager.create(Actor.ROOT, CreateKeyRequest.named("standard")
                .withExpiresAt(clock.instant().plus(Duration.ofDays(1)).toString()));

        assertThat(fieldsOf(() -> manager.update(Actor.ROOT, trial.key().id(), KeyPatch.EMPTY.withExpiresAt(null),
                null))).containsExactly("expires_at");
        assertThat(memory.find(trial.key().id())).contains(trial.key());

        ApiKey cleared = manager.update(Actor.ROOT, standard.key().id(), KeyPatch.EMPTY.withExpiresAt(null), null);
        assertThat(cleared.expiresAt()).isNull();
    }

    @Test
    void create_collectsEveryInvalidField_andStoresNothing() {
        CreateKeyRequest bad = new CreateKeyRequest("", "bad tenant", null, "prod", "premium",
                List.of("ok", "NOT-OK"), List.of(new IpRuleInput("10.0.0.1/8", null, null)),
                "2000-01-01T00:00:00Z", null, "short");

        assertThat(fieldsOf(() -> manager.create(Actor.ROOT, bad))).containsExactly("name", "tenant_id", "environment",
                "type", "scopes[1]", "ip_restrictions[0].value", "expires_at", "token");
        assertThat(memory.size()).isZero();
    }

    @Test
    void create_invalidImportedToken_neverEchoesIt() {
        assertThatThrownBy(() -> manager.create(Actor.ROOT, CreateKeyRequest.named("x").withToken("s3cr3t value!")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.getMessage()).doesNotContain("s3cr3t");
                    assertThat(e.errors()).allSatisfy(f -> assertThat(f.description()).doesNotContain("s3cr3t"));
                });
        assertThat(CreateKeyRequest.named("x").withToken("s3cr3t-value").toString()).doesNotContain("s3cr3t");
    }

    // ---------------------------------------------------------------- tenants and platform scopes

    @Test
    void tenantAdmin_cannotCreateInAnotherTenant() {
        assertThat(reasonOf(() -> manager.create(ACME_ADMIN, CreateKeyRequest.named("x").withTenant("globex"))))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(memory.size()).isZero();
    }

    @Test
    void tenantAdmin_createsInItsOwnTenantByDefault() {
        assertThat(manager.create(ACME_ADMIN, CreateKeyRequest.named("x")).key().tenantId()).isEqualTo("acme");
        assertThat(manager.create(ACME_ADMIN, CreateKeyRequest.named("y").withTenant("acme")).key().tenantId())
                .isEqualTo("acme");
    }

    @Test
    void tenantAdmin_cannotGrantPlatformScopes() {
        for (String platform : List.of(Scopes.ADMIN, Scopes.TENANT_ADMIN, Scopes.VERIFY)) {
            assertThat(reasonOf(() -> manager.create(ACME_ADMIN,
                    CreateKeyRequest.named("x").withScopes(List.of("reports:read", platform)))))
                    .as(platform).isEqualTo(OperationException.Reason.FORBIDDEN);
        }
        IssuedKey k = manager.create(ACME_ADMIN, CreateKeyRequest.named("x").withScopes(List.of("reports:*")));

        assertThat(reasonOf(() -> manager.update(ACME_ADMIN, k.key().id(),
                KeyPatch.EMPTY.withScopes(List.of("reports:*", Scopes.VERIFY)), null)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(memory.find(k.key().id()).orElseThrow().scopes()).containsExactly("reports:*");
        assertThat(memory.size()).isEqualTo(1);
    }

    @Test
    void tenantAdmin_mayKeepAPlatformScopeAlreadyGranted() {
        IssuedKey k = manager.create(Actor.ROOT, CreateKeyRequest.named("verifier").withTenant("acme")
                .withScopes(List.of(Scopes.VERIFY)));

        ApiKey updated = manager.update(ACME_ADMIN, k.key().id(),
                KeyPatch.EMPTY.withScopes(List.of(Scopes.VERIFY, "reports:read")), null);

        assertThat(updated.scopes()).containsExactly(Scopes.VERIFY, "reports:read");
    }

    @Test
    void platformAdmins_mayGrantPlatformScopes() {
        assertThat(manager.create(PLATFORM_ADMIN, CreateKeyRequest.named("a").withTenant("acme")
                .withScopes(List.of(Scopes.ADMIN))).key().scopes()).containsExactly(Scopes.ADMIN);
        assertThat(manager.create(Actor.ROOT, CreateKeyRequest.named("b")
                .withScopes(List.of(Scopes.TENANT_ADMIN))).key().scopes()).containsExactly(Scopes.TENANT_ADMIN);
    }

    @Test
    void verifierActor_mayManageNothing() {
        IssuedKey k = manager.create(Actor.ROOT, CreateKeyRequest.named("x").withTenant("acme"));
        String id = k.key().id();

        assertThat(reasonOf(() -> manager.create(ACME_VERIFIER, CreateKeyRequest.named("y"))))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(reasonOf(() -> manager.get(ACME_VERIFIER, id))).isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(reasonOf(() -> manager.list(ACME_VERIFIER, new ListKeysRequest(null, null, null, null, 0, 0))))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(reasonOf(() -> manager.setStatus(ACME_VERIFIER, id, "inactive", null, null)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(reasonOf(() -> manager.rotate(ACME_VERIFIER, id, true, null)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(reasonOf(() -> manager.reset(ACME_VERIFIER, id))).isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(reasonOf(() -> manager.delete(ACME_VERIFIER, id))).isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(memory.find(id)).contains(k.key());
    }

    @Test
    void actor_forKey_takesTheStrongestPlatformScope() {
        ApiKey.Builder b = ApiKey.builder().id(Ids.next()).name("admin").tenantId("acme").createdAt(clock.instant())
                .current(new Credential(hasher.hash("x"), "…", false));

        assertThat(Actor.forKey(b.scopes(List.of(Scopes.VERIFY, Scopes.ADMIN)).build()))
                .extracting(Actor::role, Actor::tenantId).containsExactly(Actor.Role.ADMIN, null);
        assertThat(Actor.forKey(b.scopes(List.of(Scopes.VERIFY, Scopes.TENANT_ADMIN)).build()))
                .extracting(Actor::role, Actor::tenantId).containsExactly(Actor.Role.TENANT_ADMIN, "acme");
        assertThat(Actor.forKey(b.scopes(List.of(Scopes.VERIFY)).build()).role()).isEqualTo(Actor.Role.VERIFIER);
        assertThat(Actor.forKey(b.scopes(List.of("*", "latchkey:*")).build())).isNull();
    }

    // ---------------------------------------------------------------- validation of other operations

    @Test
    void setStatus_onlyStorableStatusesAndShortReasons() {
        String id = manager.create(Actor.ROOT, CreateKeyRequest.named("x")).key().id();

        assertThat(fieldsOf(() -> manager.setStatus(Actor.ROOT, id, "expired", null, null))).containsExactly("status");
        assertThat(fieldsOf(() -> manager.setStatus(Actor.ROOT, id, null, null, null))).containsExactly("status");
        assertThat(fieldsOf(() -> manager.setStatus(Actor.ROOT, id, "ACTIVE", null, null))).containsExactly("status");
        assertThat(fieldsOf(() -> manager.setStatus(Actor.ROOT, id, "inactive", "r".repeat(201), null)))
                .containsExactly("reason");
        assertThat(memory.find(id).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void rotate_graceOutOfRange_isValidationError() {
        String id = manager.create(Actor.ROOT, CreateKeyRequest.named("x")).key().id();

        assertThat(fieldsOf(() -> manager.rotate(Actor.ROOT, id, false, 604_801L))).containsExactly("grace_seconds");
        assertThat(fieldsOf(() -> manager.rotate(Actor.ROOT, id, false, -1L))).containsExactly("grace_seconds");
        assertThat(manager.rotate(Actor.ROOT, id, false, 604_800L).key().previousExpiresAt())
                .isEqualTo(clock.instant().plusSeconds(604_800));
    }

    @Test
    void update_nullNameOrPastExpiry_isValidationError() {
        String id = manager.create(Actor.ROOT, CreateKeyRequest.named("x")).key().id();

        assertThat(fieldsOf(() -> manager.update(Actor.ROOT, id, KeyPatch.EMPTY.withName(null), null)))
                .containsExactly("name");
        assertThat(fieldsOf(() -> manager.update(Actor.ROOT, id,
                KeyPatch.EMPTY.withExpiresAt(clock.instant().toString()), null))).containsExactly("expires_at");
    }

    @Test
    void update_replacesOnlyTheFieldsItCarries() {
        IssuedKey k = manager.create(Actor.ROOT, CreateKeyRequest.named("x").withScopes(List.of("a"))
                .withMetadata(java.util.Map.of("team", "ops")));

        ApiKey updated = manager.update(Actor.ROOT, k.key().id(), KeyPatch.EMPTY.withOwnerId("user-7")
                .withMetadata(java.util.Map.of("region", "eu")), null);

        assertThat(updated.ownerId()).isEqualTo("user-7");
        assertThat(updated.metadata()).containsExactly(java.util.Map.entry("region", "eu"));
        assertThat(updated.scopes()).containsExactly("a");
        assertThat(updated.name()).isEqualTo("x");
        assertThat(manager.update(Actor.ROOT, k.key().id(), KeyPatch.EMPTY.withOwnerId(null).withScopes(null), null))
                .satisfies(u -> {
                    assertThat(u.ownerId()).isNull();
                    assertThat(u.scopes()).isEmpty();
                });
    }

    @Test
    void get_invalidId_is404WithoutEchoingIt() {
        assertThatThrownBy(() -> manager.get(Actor.ROOT, "<script>alert(1)</script>"))
                .isInstanceOfSatisfying(OperationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(OperationException.Reason.NOT_FOUND);
                    assertThat(e.getMessage()).doesNotContain("script");
                });
        assertThat(reasonOf(() -> manager.job(Actor.ROOT, "../../etc"))).isEqualTo(OperationException.Reason.NOT_FOUND);
    }

    @Test
    void mutate_underEndlessContention_givesUpWithConflict_andIfMatchFailsAtOnce() {
        KeyStore neverWins = new ForwardingKeyStore(memory) {
            @Override
            public boolean replace(ApiKey updated, long expectedVersion) {
                return false;
            }
        };
        KeyManager m = manager(neverWins, Runnable::run);
        String id = m.create(Actor.ROOT, CreateKeyRequest.named("x")).key().id();

        assertThat(reasonOf(() -> m.setStatus(Actor.ROOT, id, "inactive", null, null)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(reasonOf(() -> m.setStatus(Actor.ROOT, id, "inactive", null, 1L)))
                .isEqualTo(OperationException.Reason.PRECONDITION_FAILED);
    }

    // ---------------------------------------------------------------- reset jobs

    @Test
    void reset_withDirectExecutor_succeedsBeforeAnswering() {
        IssuedKey k = manager.create(Actor.ROOT, CreateKeyRequest.named("x"));

        ResetStarted r = manager.reset(Actor.ROOT, k.key().id());

        assertThat(r.job().status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(r.job().jobName()).isEqualTo(Job.RESET_KEY);
        assertThat(r.job().error()).isNull();
        assertThat(r.job().finishedAt()).isEqualTo(clock.instant());
        assertThat(memory.findJob(r.job().id())).contains(r.job());
        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(r.token())).isEqualTo(VerifyCode.VALID);
        assertThat(r.toString()).doesNotContain(r.token());
    }

    @Test
    void reset_commitsBeforeAnswering_withoutTheJobExecutor() { // gh #12: the 202 came before the commit
        KeyManager m = manager(memory, queued::add);
        IssuedKey k = m.create(Actor.ROOT, CreateKeyRequest.named("x"));

        ResetStarted r = m.reset(Actor.ROOT, k.key().id());

        assertThat(queued).isEmpty();
        assertThat(r.job().status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(memory.findJob(r.job().id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCESS);
        assertThat(verify(k.token())).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verify(r.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void reset_ofADeletedKey_isNotFound() {
        IssuedKey k = manager.create(Actor.ROOT, CreateKeyRequest.named("x"));
        manager.delete(Actor.ROOT, k.key().id());

        assertThat(reasonOf(() -> manager.reset(Actor.ROOT, k.key().id())))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
    }

    @Test
    void reset_whenTheStoreFails_throws_andRecordsTheJobFailedWithoutDetails() {
        AtomicBoolean down = new AtomicBoolean();
        List<Job> jobs = new java.util.ArrayList<>();
        KeyStore flaky = new ForwardingKeyStore(memory) {
            @Override
            public boolean replace(ApiKey updated, long expectedVersion) {
                if (down.get()) {
                    throw new StoreUnavailableException("connection refused");
                }
                return super.replace(updated, expectedVersion);
            }

            @Override
            public void saveJob(Job job) {
                jobs.removeIf(j -> j.id().equals(job.id()));
                jobs.add(job);
                super.saveJob(job);
            }
        };
        KeyManager m = manager(flaky, Runnable::run);
        IssuedKey k = m.create(Actor.ROOT, CreateKeyRequest.named("x"));
        down.set(true);

        assertThatThrownBy(() -> m.reset(Actor.ROOT, k.key().id())).isInstanceOf(StoreUnavailableException.class);

        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).status()).isEqualTo(JobStatus.FAILED);
        assertThat(jobs.get(0).error()).isEqualTo("the store could not commit the change");
        assertThat(verify(k.token())).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void reset_blockedOrExpiredKey_isConflict_andStartsNoJob() {
        KeyManager m = manager(memory, queued::add);
        String blocked = m.create(Actor.ROOT, CreateKeyRequest.named("b")).key().id();
        m.setStatus(Actor.ROOT, blocked, "blocked", null, null);
        String expiring = m.create(Actor.ROOT, CreateKeyRequest.named("e")
                .withExpiresAt(clock.instant().plusSeconds(60).toString())).key().id();
        clock.advance(Duration.ofMinutes(2));

        assertThat(reasonOf(() -> m.reset(Actor.ROOT, blocked))).isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(reasonOf(() -> m.reset(Actor.ROOT, expiring))).isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(queued).isEmpty();
    }

    @Test
    void update_emptyPatch_changesNothingAndKeepsTheVersion() {
        IssuedKey created = manager.create(Actor.ROOT, CreateKeyRequest.named("quiet"));

        ApiKey after = manager.update(Actor.ROOT, created.key().id(), KeyPatch.EMPTY, null);

        assertThat(after.version()).isEqualTo(created.key().version());
        assertThat(after.updatedAt()).isEqualTo(created.key().updatedAt());
        assertThatThrownBy(() -> manager.update(Actor.ROOT, created.key().id(), KeyPatch.EMPTY, 99L))
                .isInstanceOf(OperationException.class)
                .extracting(e -> ((OperationException) e).reason())
                .isEqualTo(OperationException.Reason.PRECONDITION_FAILED);
    }

    @Test
    void update_withTheValuesTheKeyHas_writesNothing_keepsTheVersion_andRaisesNoEvent() {
        IssuedKey created = manager.create(Actor.ROOT, CreateKeyRequest.named("same")
                .withScopes(List.of("reports:read")));
        String id = created.key().id();
        List<KeyEvent> events = new ArrayList<>();
        try (var subscription = memory.subscribe(events::add)) {
            ApiKey after = manager.update(Actor.ROOT, id, KeyPatch.EMPTY.withName("same")
                    .withScopes(List.of("reports:read")), created.key().version());

            assertThat(after).isEqualTo(created.key());
            assertThat(memory.find(id).orElseThrow().version()).isEqualTo(created.key().version());
            assertThat(events).isEmpty();

            ApiKey renamed = manager.update(Actor.ROOT, id, KeyPatch.EMPTY.withName("other"), null);
            assertThat(renamed.version()).isEqualTo(created.key().version() + 1);
            assertThat(events).isNotEmpty();
        }
    }

    @Test
    void update_twiceWithinOneMillisecond_stillMovesUpdatedAtForward_andKeepsMillisecondPrecision() {
        IssuedKey created = manager.create(Actor.ROOT, CreateKeyRequest.named("busy"));
        String id = created.key().id();

        ApiKey first = manager.update(Actor.ROOT, id, KeyPatch.EMPTY.withName("busy one"), null);
        ApiKey second = manager.update(Actor.ROOT, id, KeyPatch.EMPTY.withName("busy two"), null);

        assertThat(second.updatedAt()).isAfter(first.updatedAt());
        assertThat(first.updatedAt()).isAfter(created.key().updatedAt());
        assertThat(second.updatedAt().getNano() % 1_000_000).isZero();
        assertThat(created.key().createdAt().getNano() % 1_000_000).isZero();
    }
}
