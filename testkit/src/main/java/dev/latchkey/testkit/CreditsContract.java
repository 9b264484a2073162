package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult.Verdict;
import dev.latchkey.core.CreditOp;
import dev.latchkey.core.CreditResult;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.Subscription;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.internal.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The limits contract, part two: balances, admin credits (sequences, replays, bounds, events) and tenant defaults
 * (API.md §8, §9). Part of {@link LimitsContract}.
 */
@Tag("contract")
public interface CreditsContract extends LimitsFixture {

    @Test
    default void quotaState_ofAnUnusedBalance_isTheLimit() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();

        QuotaState s = limitsStore().quotaState(k.id(), new Quota(1_000_000_000_000L, QuotaPeriod.MONTH)).orElseThrow();

        assertThat(s.remaining()).isEqualTo(1_000_000_000_000L);
        assertThat(s.sequence()).isZero();
        assertThat(s.refillsAt()).isNotNull();
        assertThat(limitsStore().quotaState(Ids.next(), new Quota(1, QuotaPeriod.DAY))).isEmpty();
    }

    @Test
    default void credit_incrementDecrementSet_applyAndMoveTheSequence() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        Quota credits = new Quota(100, QuotaPeriod.NONE);

        CreditResult inc = limitsStore().credit(k.id(), Ids.next(), CreditOp.INCREMENT, 1_000_000_000_000L, credits,
                null);
        CreditResult dec = limitsStore().credit(k.id(), Ids.next(), CreditOp.DECREMENT, 50, credits, 1L);
        CreditResult set = limitsStore().credit(k.id(), Ids.next(), CreditOp.SET, 0, credits, null);

        assertThat(inc.status()).isEqualTo(CreditResult.Status.APPLIED);
        assertThat(inc.state().remaining()).as("may exceed the limit").isEqualTo(1_000_000_000_100L);
        assertThat(inc.delta()).isEqualTo(1_000_000_000_000L);
        assertThat(dec.state().remaining()).isEqualTo(1_000_000_000_050L);
        assertThat(dec.delta()).isEqualTo(-50);
        assertThat(set.state().remaining()).isZero();
        assertThat(set.delta()).isEqualTo(-1_000_000_000_050L);
        assertThat(set.state().sequence()).isEqualTo(3);
        assertThat(charge(k, 1, null, credits).verdict()).isEqualTo(Verdict.QUOTA_EXHAUSTED);
    }

    @Test
    default void credit_decrementBelowZero_orStaleSequence_changesNothing() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        Quota credits = new Quota(10, QuotaPeriod.NONE);
        limitsStore().credit(k.id(), Ids.next(), CreditOp.SET, 7, credits, 0L);

        CreditResult below = limitsStore().credit(k.id(), Ids.next(), CreditOp.DECREMENT, 8, credits, null);
        CreditResult stale = limitsStore().credit(k.id(), Ids.next(), CreditOp.SET, 100, credits, 0L);

        assertThat(below.status()).isEqualTo(CreditResult.Status.BELOW_ZERO);
        assertThat(below.delta()).isZero();
        assertThat(stale.status()).isEqualTo(CreditResult.Status.STALE);
        assertThat(stale.state().sequence()).isEqualTo(1);
        QuotaState now = limitsStore().quotaState(k.id(), credits).orElseThrow();
        assertThat(now.remaining()).isEqualTo(7);
        assertThat(now.sequence()).isEqualTo(1);
    }

    @Test
    default void credit_aboveTheMaximumBalance_changesNothing() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        Quota credits = new Quota(Quota.MAX_LIMIT, QuotaPeriod.NONE);
        limitsStore().credit(k.id(), Ids.next(), CreditOp.SET, Quota.MAX_BALANCE - 1, credits, null);

        CreditResult last = limitsStore().credit(k.id(), Ids.next(), CreditOp.INCREMENT, 1, credits, null);
        CreditResult over = limitsStore().credit(k.id(), Ids.next(), CreditOp.INCREMENT, 1, credits, null);

        assertThat(last.status()).isEqualTo(CreditResult.Status.APPLIED);
        assertThat(last.state().remaining()).isEqualTo(Quota.MAX_BALANCE);
        assertThat(over.status()).isEqualTo(CreditResult.Status.ABOVE_MAXIMUM);
        assertThat(limitsStore().quotaState(k.id(), credits).orElseThrow().remaining()).isEqualTo(Quota.MAX_BALANCE);
        assertThat(charge(k, 1_000_000, null, credits).quota().remaining()).isEqualTo(Quota.MAX_BALANCE - 1_000_000);
    }

    @Test
    default void credit_sameOperationIdAgain_isAppliedOnce() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        Quota credits = new Quota(10, QuotaPeriod.NONE);
        String op = Ids.next();

        CreditResult first = limitsStore().credit(k.id(), op, CreditOp.INCREMENT, 5, credits, null);
        CreditResult again = limitsStore().credit(k.id(), op, CreditOp.INCREMENT, 5, credits, null);

        assertThat(first.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.state()).isEqualTo(first.state());
        assertThat(limitsStore().quotaState(k.id(), credits).orElseThrow().remaining()).isEqualTo(15);
    }

    @Test
    default void credit_tellsListeners_onThisNodeAndOthers_limitsChanged() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        KeyStore other = openNode();
        List<KeyEvent> here = new CopyOnWriteArrayList<>();
        List<KeyEvent> there = new CopyOnWriteArrayList<>();
        Subscription s1 = limitsStore().subscribe(here::add);
        Subscription s2 = other.subscribe(there::add);
        try {
            limitsStore().credit(k.id(), Ids.next(), CreditOp.INCREMENT, 1, new Quota(1, QuotaPeriod.NONE), null);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(here).contains(KeyEvent.limitsChanged(k.id()));
                assertThat(there).contains(KeyEvent.limitsChanged(k.id()));
            });
        } finally {
            s1.close();
            s2.close();
            closeNode(other);
        }
    }

    // ---- tenant defaults

    @Test
    default void tenantDefaults_unset_areNullWithVersionZero_thenReplacedByVersion() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        String tenant = "t-" + Ids.next().toLowerCase(java.util.Locale.ROOT);
        Instant at = limitsClock().instant();
        TenantDefaults first = new TenantDefaults(tenant, new RateLimit(100, 60), new Quota(10_000, QuotaPeriod.MONTH),
                null, null, 1, at);
        TenantDefaults second = new TenantDefaults(tenant, null, new Quota(5, QuotaPeriod.NONE), null, null, 2,
                at.plusSeconds(1));

        assertThat(limitsStore().tenantDefaults(tenant)).isEqualTo(TenantDefaults.none(tenant));
        assertThat(limitsStore().replaceTenantDefaults(first, 0)).isTrue();
        assertThat(limitsStore().replaceTenantDefaults(first, 0)).as("stale version").isFalse();
        assertThat(limitsStore().tenantDefaults(tenant)).isEqualTo(first);
        assertThat(limitsStore().replaceTenantDefaults(second, 1)).isTrue();
        assertThat(limitsStore().tenantDefaults(tenant)).isEqualTo(second);
        assertThat(limitsStore().tenantDefaults(tenant + "x")).isEqualTo(TenantDefaults.none(tenant + "x"));
    }

    @Test
    default void tenantDefaults_change_reachesOtherNodes() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        String tenant = "t-" + Ids.next().toLowerCase(java.util.Locale.ROOT);
        KeyStore other = openNode();
        List<KeyEvent> there = new CopyOnWriteArrayList<>();
        Subscription s = other.subscribe(there::add);
        try {
            limitsStore().replaceTenantDefaults(new TenantDefaults(tenant, new RateLimit(1, 1), null, null, null, 1,
                    limitsClock().instant()), 0);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(there).contains(KeyEvent.tenantDefaultsChanged(tenant, 1)));
            assertThat(other.tenantDefaults(tenant).rateLimit()).isEqualTo(new RateLimit(1, 1));
        } finally {
            s.close();
            closeNode(other);
        }
    }
}
