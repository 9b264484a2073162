package dev.latchkey.core.admin;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ForwardingKeyStore;
import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.TestClock;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.internal.LimitWindows;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link LimitManager} and the limit half of {@link KeyManager}: who may set limits, credits, tenant
 * defaults with their versions, the balance after a quota change, and a store that keeps no limits.
 */
class LimitManagerTest {

    private static final Actor ACME_ADMIN = new Actor(Actor.Role.TENANT_ADMIN, Ids.next(), "acme");
    private static final Actor OTHER_ADMIN = new Actor(Actor.Role.TENANT_ADMIN, Ids.next(), "other");
    private static final Actor ACME_VERIFIER = new Actor(Actor.Role.VERIFIER, Ids.next(), "acme");

    private final TestClock clock = TestClock.atNow();
    private final InMemoryKeyStore memory = new InMemoryKeyStore(clock);
    private final KeyManager manager = new KeyManager(memory, TokenCodec.defaults(), SecretHasher.sha256(), clock,
            Runnable::run);
    private final LimitManager limits = manager.limits();

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

    private ApiKey acmeKey(RateLimitInput rate, QuotaInput quota) {
        return manager.create(Actor.ROOT, CreateKeyRequest.named("metered").withTenant("acme").withLimits(rate, quota))
                .key();
    }

    @Test
    void create_byTenantAdminWithALimit_isForbidden_andCreatesNothing() {
        CreateKeyRequest request = CreateKeyRequest.named("mine").withTenant("acme")
                .withLimits(new RateLimitInput(5L, 1L), null);

        assertThat(reasonOf(() -> manager.create(ACME_ADMIN, request))).isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(memory.size()).isZero();
        assertThat(manager.create(ACME_ADMIN, request.withLimits(null, null)).key().rateLimit()).isNull();
    }

    @Test
    void create_withConfigIdsOrBadLimits_namesEachField() {
        CreateKeyRequest request = CreateKeyRequest.named("x").withConfigs("01JD0000000000000000000000", "y")
                .withLimits(new RateLimitInput(null, 0L), new QuotaInput(5L, "day", 6L));

        assertThat(fieldsOf(() -> manager.create(Actor.ROOT, request))).containsExactlyInAnyOrder(
                "rate_limit.limit", "rate_limit.period_seconds", "quota.remaining", "webhook_config",
                "storage_config");
    }

    @Test
    void patch_newQuotaLimit_keepsTheBalanceCappedAtIt_andANewPeriodStartsItsOwnCycle() {
        ApiKey k = acmeKey(null, new QuotaInput(100L, "day", 60L));

        ApiKey lower = manager.update(Actor.ROOT, k.id(), KeyPatch.EMPTY.withQuota(new QuotaInput(40L, "day", null)),
                null);
        ApiKey monthly = manager.update(Actor.ROOT, k.id(),
                KeyPatch.EMPTY.withQuota(new QuotaInput(1_000L, "month", null)), null);

        assertThat(lower.version()).isEqualTo(2);
        assertThat(limits.limitsOf(lower).balance().remaining()).isEqualTo(40);
        assertThat(limits.limitsOf(monthly).balance().remaining()).as("capped, not refilled").isEqualTo(40);
        assertThat(limits.limitsOf(monthly).balance().refillsAt())
                .isEqualTo(LimitWindows.refillsAt(clock, QuotaPeriod.MONTH));
    }

    @Test
    void credits_onlyPlatformAdmins_otherTenantsSee404_verifiersAre403() {
        ApiKey k = acmeKey(null, new QuotaInput(10L, "none", null));

        assertThat(reasonOf(() -> limits.credits(ACME_ADMIN, k.id(), "increment", 1L)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(reasonOf(() -> limits.credits(OTHER_ADMIN, k.id(), "increment", 1L)))
                .isEqualTo(OperationException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> limits.credits(ACME_VERIFIER, k.id(), "increment", 1L)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(limits.credits(Actor.ROOT, k.id(), "increment", 1L).remaining()).isEqualTo(11);
        assertThat(fieldsOf(() -> limits.credits(Actor.ROOT, k.id(), null, null))).containsExactly("op", "amount");
    }

    @Test
    void credits_pastTheMaximumBalance_isAConflict() {
        ApiKey k = acmeKey(null, new QuotaInput(Quota.MAX_LIMIT, "none", null));
        for (int i = 0; i < 999; i++) {
            limits.credits(Actor.ROOT, k.id(), "increment", Quota.MAX_LIMIT);
        }

        assertThat(limits.limitsOf(k).balance().remaining()).isEqualTo(Quota.MAX_BALANCE);
        assertThat(reasonOf(() -> limits.credits(Actor.ROOT, k.id(), "increment", 1L)))
                .isEqualTo(OperationException.Reason.CONFLICT);
    }

    @Test
    void putDefaults_versionsAndIfMatch_andTenantAdminsMayOnlyKeepTheLimits() {
        DefaultsInput hundred = new DefaultsInput(new RateLimitInput(100L, 60L), null, null, null);
        TenantDefaults first = limits.putDefaults(Actor.ROOT, "acme", hundred, 0L);

        assertThat(first.version()).isEqualTo(1);
        assertThat(first.updatedAt()).isEqualTo(clock.instant());
        assertThat(reasonOf(() -> limits.putDefaults(Actor.ROOT, "acme", hundred, 0L)))
                .isEqualTo(OperationException.Reason.PRECONDITION_FAILED);
        assertThat(reasonOf(() -> limits.putDefaults(ACME_ADMIN, "acme",
                new DefaultsInput(new RateLimitInput(1_000L, 60L), null, null, null), null)))
                .isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(limits.putDefaults(ACME_ADMIN, "acme", hundred, 1L).version()).isEqualTo(2);
        assertThat(reasonOf(() -> limits.defaults(OTHER_ADMIN, "acme"))).isEqualTo(OperationException.Reason.FORBIDDEN);
        assertThat(fieldsOf(() -> limits.defaults(Actor.ROOT, "bad tenant"))).containsExactly("tenant_id");
    }

    @Test
    void inheritedQuota_isResolvedFromTheTenant_withTheKeysOwnBalance() {
        ApiKey a = acmeKey(null, null);
        ApiKey b = acmeKey(new RateLimitInput(7L, 1L), null);
        limits.putDefaults(Actor.ROOT, "acme", new DefaultsInput(new RateLimitInput(100L, 60L),
                new QuotaInput(50L, "none", null), null, null), null);
        limits.credits(Actor.ROOT, a.id(), "decrement", 20L);

        List<KeyLimits> both = limits.limitsOf(List.of(a, b));

        assertThat(both.get(0).effective().rateLimit()).isEqualTo(new RateLimit(100, 60));
        assertThat(both.get(0).balance().remaining()).isEqualTo(30);
        assertThat(both.get(1).effective().rateLimit()).isEqualTo(new RateLimit(7, 1));
        assertThat(both.get(1).balance().remaining()).isEqualTo(50);
    }

    @Test
    void storeWithoutLimits_showsTheKeysOwnFields_andCreditsAndDefaultsAreConflicts() {
        KeyManager plain = new KeyManager(new ForwardingKeyStore(memory), TokenCodec.defaults(),
                SecretHasher.sha256(), clock, Runnable::run);
        ApiKey k = plain.create(Actor.ROOT, CreateKeyRequest.named("own").withLimits(new RateLimitInput(5L, 60L),
                new QuotaInput(9L, "day", 3L))).key();

        KeyLimits shown = plain.limits().limitsOf(k);

        assertThat(shown.effective().rateLimit()).isEqualTo(new RateLimit(5, 60));
        assertThat(shown.balance()).isNull();
        assertThat(reasonOf(() -> plain.limits().credits(Actor.ROOT, k.id(), "set", 1L)))
                .isEqualTo(OperationException.Reason.CONFLICT);
        assertThat(reasonOf(() -> plain.limits().defaults(Actor.ROOT, "default")))
                .isEqualTo(OperationException.Reason.CONFLICT);
    }
}
