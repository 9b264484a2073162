package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult.Verdict;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.CreditOp;
import dev.latchkey.core.CreditResult;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.Subscription;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.internal.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The suite of rate limits, quotas, credits and tenant defaults (API.md §8, §9) that every {@link KeyStore} whose
 * {@link KeyStore#supportsLimits()} is true must pass, through the SPI directly. A test class that already extends
 * {@link KeyStoreContract} also implements this interface and names the store and clock it uses:
 *
 * <pre>{@code
 * class MyKeyStoreTest extends KeyStoreContract implements LimitsContract {
 *     @Override protected KeyStore createStore() { return new MyKeyStore(...); }
 *     @Override public KeyStore limitsStore() { return store(); }
 *     @Override public MutableClock limitsClock() { return clock(); }
 *     @Override public KeyStore openNode() { return ...; } // another node on the same data
 * }
 * }</pre>
 *
 * <p>Stores that keep limit time on their own clock (Redis {@code TIME}) run the clock-free tests only; the
 * window-crossing and month-end tests need {@link #storeTimeFollowsClock()}, and the store's arithmetic is then
 * checked some other way (the Redis store compares its Lua time functions with {@code LimitWindows}). The
 * exactness tests run {@value #NODES} store instances ({@link #openNode()}) × {@value #THREADS} threads on one key.
 */
@Tag("contract")
public interface LimitsContract {

    /** Store instances in the exactness tests. */
    int NODES = 8;
    /** Threads per store instance in the exactness tests. */
    int THREADS = 16;

    /** Returns the store under test (opened for this test and closed after it by the test class). */
    KeyStore limitsStore();

    /** Returns the test clock; {@link #limitsStore()} reads it when {@link #storeTimeFollowsClock()}. */
    MutableClock limitsClock();

    /**
     * Opens another instance on the same data with connections of its own (for a store in this JVM's memory:
     * returns {@link #limitsStore()} itself). Closed with {@link #closeNode}.
     */
    KeyStore openNode();

    /** Closes an instance from {@link #openNode()}; the default closes anything but {@link #limitsStore()}. */
    default void closeNode(KeyStore node) {
        if (node != limitsStore()) {
            node.close();
        }
    }

    /** Returns whether the store's limit time is {@link #limitsClock()}; false for stores on their own clock. */
    default boolean storeTimeFollowsClock() {
        return false;
    }

    /**
     * Drops every client connection to the store in the middle of the quota identity test, as a network failure
     * would (Redis: {@code CLIENT KILL TYPE normal} on every node); nothing for a store in memory.
     */
    default void killConnections() {
    }

    /** How many rate-limit windows the exactness test covers. */
    default int exactnessWindows() {
        return 4;
    }

    // ------------------------------------------------------------------ helpers

    private ApiKey newKey() {
        ApiKey k = Keys.minimal(limitsClock().instant());
        limitsStore().create(k);
        return k;
    }

    private ChargeResult charge(ApiKey k, long cost, @Nullable RateLimit rate, @Nullable Quota quota) {
        return limitsStore().charge(k.id(), Ids.next(), cost, rate, quota);
    }

    /** A rate limit whose window (a UTC day) a test on the store's own clock will not cross in practice. */
    private static RateLimit daily(long limit) {
        return new RateLimit(limit, 86_400);
    }

    // ------------------------------------------------------------------ charge

    @Test
    default void charge_rateLimit_admitsUpToTheLimit_thenDeniesWithRetryAfter() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        RateLimit rate = daily(3);

        for (int i = 0; i < 3; i++) {
            ChargeResult r = charge(k, 1, rate, null);
            assertThat(r.verdict()).isEqualTo(Verdict.ADMITTED);
            assertThat(r.rate()).isNotNull();
            assertThat(r.rate().remaining()).isEqualTo(2 - i);
            assertThat(r.rate().limit()).isEqualTo(3);
            assertThat(r.quota()).isNull();
        }
        ChargeResult denied = charge(k, 1, rate, null);

        assertThat(denied.verdict()).isEqualTo(Verdict.RATE_LIMITED);
        assertThat(denied.retryAfterSeconds()).isBetween(1L, 86_400L);
        assertThat(denied.rate().remaining()).isZero();
        assertThat(denied.rate().resetSeconds()).isEqualTo(denied.retryAfterSeconds());
        assertThat(denied.rate().windowEnd() % 86_400).isZero();
        assertThat(denied.replayed()).isFalse();
    }

    @Test
    default void charge_costZero_isAlwaysAdmitted_andACostAboveTheLimitNeverIs() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        RateLimit rate = daily(5);
        Quota credits = new Quota(2, QuotaPeriod.NONE);

        assertThat(charge(k, 6, rate, null).verdict()).isEqualTo(Verdict.RATE_LIMITED);
        assertThat(charge(k, 2, rate, credits).verdict()).isEqualTo(Verdict.ADMITTED);
        ChargeResult free = charge(k, 0, rate, credits);

        assertThat(free.verdict()).isEqualTo(Verdict.ADMITTED);
        assertThat(free.quota().remaining()).isZero();
        assertThat(free.rate().remaining()).isEqualTo(3);
        assertThat(free.spentLast()).isFalse();
    }

    @Test
    default void charge_prepaidCredits_spent_isQuotaExhausted_withoutRetryAfter() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        Quota credits = new Quota(3, QuotaPeriod.NONE);

        ChargeResult first = charge(k, 2, null, credits);
        ChargeResult last = charge(k, 1, null, credits);
        ChargeResult denied = charge(k, 1, null, credits);

        assertThat(first.quota().remaining()).isEqualTo(1);
        assertThat(first.spentLast()).isFalse();
        assertThat(last.verdict()).isEqualTo(Verdict.ADMITTED);
        assertThat(last.spentLast()).as("this charge spent the last unit").isTrue();
        assertThat(last.quota().refillsAt()).isNull();
        assertThat(denied.verdict()).isEqualTo(Verdict.QUOTA_EXHAUSTED);
        assertThat(denied.retryAfterSeconds()).isZero();
        assertThat(denied.spentLast()).isFalse();
        assertThat(limitsStore().quotaState(k.id(), credits).orElseThrow().remaining()).isZero();
    }

    @Test
    default void charge_dailyQuota_spent_isQuotaExceeded_retryAtTheRefill() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        Quota daily = new Quota(1, QuotaPeriod.DAY);

        ChargeResult admitted = charge(k, 1, null, daily);
        ChargeResult denied = charge(k, 1, null, daily);

        assertThat(admitted.verdict()).isEqualTo(Verdict.ADMITTED);
        assertThat(denied.verdict()).isEqualTo(Verdict.QUOTA_EXCEEDED);
        Instant refill = denied.quota().refillsAt();
        assertThat(refill).isNotNull();
        assertThat(refill.getEpochSecond() % 86_400).isZero();
        assertThat(refill).isAfter(denied.storeTime()).isBeforeOrEqualTo(denied.storeTime().plus(Duration.ofDays(1)));
        long expected = Duration.between(denied.storeTime(), refill).toMillis();
        assertThat(denied.retryAfterSeconds()).isBetween(Math.max(1, expected / 1_000), expected / 1_000 + 1);
    }

    @Test
    default void charge_rateLimitAndQuota_areChargedBothOrNeither() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        RateLimit rate = daily(5);
        Quota credits = new Quota(3, QuotaPeriod.NONE);

        for (int i = 0; i < 3; i++) {
            assertThat(charge(k, 1, rate, credits).verdict()).isEqualTo(Verdict.ADMITTED);
        }
        ChargeResult outOfCredits = charge(k, 1, rate, credits);
        assertThat(outOfCredits.verdict()).isEqualTo(Verdict.QUOTA_EXHAUSTED);
        assertThat(outOfCredits.rate().remaining()).as("the window was not charged").isEqualTo(2);
        limitsStore().credit(k.id(), Ids.next(), CreditOp.INCREMENT, 10, credits, null);

        assertThat(charge(k, 2, rate, credits).verdict()).isEqualTo(Verdict.ADMITTED);
        ChargeResult overRate = charge(k, 1, rate, credits);

        assertThat(overRate.verdict()).isEqualTo(Verdict.RATE_LIMITED);
        assertThat(overRate.quota().remaining()).as("the balance was not charged").isEqualTo(8);
        assertThat(limitsStore().quotaState(k.id(), credits).orElseThrow().remaining()).isEqualTo(8);
    }

    @Test
    default void charge_sameRequestIdAgain_returnsTheFirstVerdict_andChargesNothing() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        RateLimit rate = daily(10);
        Quota credits = new Quota(1, QuotaPeriod.NONE);
        String requestId = Ids.next();

        ChargeResult first = limitsStore().charge(k.id(), requestId, 1, rate, credits);
        ChargeResult again = limitsStore().charge(k.id(), requestId, 1, rate, credits);

        assertThat(first.verdict()).isEqualTo(Verdict.ADMITTED);
        assertThat(first.spentLast()).isTrue();
        assertThat(again.replayed()).isTrue();
        assertThat(again.verdict()).isEqualTo(Verdict.ADMITTED);
        assertThat(again.spentLast()).as("only the first spent the last unit").isFalse();
        assertThat(again.quota().remaining()).isZero();
        assertThat(again.rate().remaining()).isEqualTo(9);
        assertThat(again.storeTime()).isEqualTo(first.storeTime());
        assertThat(charge(k, 0, rate, credits).rate().remaining()).as("charged once").isEqualTo(9);
    }

    @Test
    default void charge_unknownOrDeletedKey_isUnknownKey_andCreatesNothing() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();
        Quota credits = new Quota(5, QuotaPeriod.NONE);
        charge(k, 1, null, credits);
        limitsStore().delete(k.id());

        assertThat(charge(k, 1, daily(5), credits).verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
        assertThat(limitsStore().charge(Ids.next(), Ids.next(), 1, daily(5), null).verdict())
                .isEqualTo(Verdict.UNKNOWN_KEY);
        assertThat(limitsStore().quotaState(k.id(), credits)).isEmpty();
        assertThat(limitsStore().credit(k.id(), Ids.next(), CreditOp.SET, 3, credits, null).status())
                .isEqualTo(CreditResult.Status.UNKNOWN_KEY);
        assertThat(limitsStore().find(k.id())).isEmpty();
    }

    @Test
    default void charge_badArguments_areRefused() {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        ApiKey k = newKey();

        assertThatThrownBy(() -> limitsStore().charge(k.id(), "has space", 1, daily(1), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limitsStore().charge(k.id(), Ids.next(), -1, daily(1), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limitsStore().charge(k.id(), Ids.next(), 1_000_001, daily(1), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limitsStore().charge(k.id(), Ids.next(), 1, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ balances and credits

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

    // ------------------------------------------------------------------ tenant defaults

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

    // ------------------------------------------------------------------ time (stores on the test clock)

    @Test
    default void charge_nextWindow_startsAfresh() {
        assumeTrue(limitsStore().supportsLimits() && storeTimeFollowsClock(), "needs the store on the test clock");
        limitsClock().set(Instant.parse("2026-12-03T10:15:30.250Z"));
        ApiKey k = newKey();
        RateLimit rate = new RateLimit(2, 60);

        charge(k, 2, rate, null);
        ChargeResult denied = charge(k, 1, rate, null);
        limitsClock().set(Instant.parse("2026-12-03T10:15:59.999Z"));
        ChargeResult stillDenied = charge(k, 1, rate, null);
        limitsClock().set(Instant.parse("2026-12-03T10:16:00Z"));
        ChargeResult next = charge(k, 1, rate, null);

        assertThat(denied.retryAfterSeconds()).isEqualTo(30);
        assertThat(stillDenied.verdict()).isEqualTo(Verdict.RATE_LIMITED);
        assertThat(stillDenied.retryAfterSeconds()).isEqualTo(1);
        assertThat(next.verdict()).isEqualTo(Verdict.ADMITTED);
        assertThat(next.rate().remaining()).isEqualTo(1);
        assertThat(next.rate().resetSeconds()).isEqualTo(60);
    }

    @Test
    default void monthlyQuota_lastSecondOfTheMonth_thenTheFirstOfTheNext_refills() {
        assumeTrue(limitsStore().supportsLimits() && storeTimeFollowsClock(), "needs the store on the test clock");
        limitsClock().set(Instant.parse("2028-02-29T23:59:59Z"));
        ApiKey k = newKey();
        Quota monthly = new Quota(10, QuotaPeriod.MONTH);

        ChargeResult spent = charge(k, 10, null, monthly);
        ChargeResult denied = charge(k, 1, null, monthly);
        limitsClock().set(Instant.parse("2028-03-01T00:00:00Z"));
        QuotaState peek = limitsStore().quotaState(k.id(), monthly).orElseThrow();
        ChargeResult refilled = charge(k, 1, null, monthly);
        ChargeResult after = charge(k, 1, null, monthly);

        assertThat(spent.quota().refillsAt()).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
        assertThat(denied.verdict()).isEqualTo(Verdict.QUOTA_EXCEEDED);
        assertThat(denied.retryAfterSeconds()).isEqualTo(1);
        assertThat(peek.remaining()).as("a read shows the refill").isEqualTo(10);
        assertThat(refilled.verdict()).isEqualTo(Verdict.ADMITTED);
        assertThat(refilled.refilled()).isTrue();
        assertThat(refilled.quota().remaining()).isEqualTo(9);
        assertThat(refilled.quota().refillsAt()).isEqualTo(Instant.parse("2028-04-01T00:00:00Z"));
        assertThat(after.refilled()).isFalse();
    }

    @Test
    default void dailyQuota_refillsToTheLimit_droppingCreditsAboveIt() {
        assumeTrue(limitsStore().supportsLimits() && storeTimeFollowsClock(), "needs the store on the test clock");
        limitsClock().set(Instant.parse("2026-12-31T12:00:00Z"));
        ApiKey k = newKey();
        Quota daily = new Quota(5, QuotaPeriod.DAY);
        limitsStore().credit(k.id(), Ids.next(), CreditOp.INCREMENT, 100, daily, null);
        limitsClock().set(Instant.parse("2027-01-01T00:00:00.001Z"));

        ChargeResult r = charge(k, 1, null, daily);

        assertThat(r.refilled()).isTrue();
        assertThat(r.quota().remaining()).isEqualTo(4);
        assertThat(r.quota().refillsAt()).isEqualTo(Instant.parse("2027-01-02T00:00:00Z"));
    }

    // ------------------------------------------------------------------ exactness

    @Test
    default void charge_manyNodesAndThreads_admitPerWindowAtMostTheLimit_andAtLeastTheDemandUpToIt() throws Exception {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        LimitsExactness.rateLimitWindows(this);
    }

    @Test
    default void quotaIdentity_holdsExactly_withConcurrentCreditsAndDroppedConnections() throws Exception {
        assumeTrue(limitsStore().supportsLimits(), "the store keeps no limits");
        LimitsExactness.quotaIdentity(this);
    }

    /** Runs a store call that may meet a dropped connection: retries it (same ids) until the store answers. */
    static <T> T untilAnswered(java.util.function.Supplier<T> call) {
        return untilAnswered(call, () -> { });
    }

    /** As {@link #untilAnswered(java.util.function.Supplier)}, running {@code onFailure} when the first try fails. */
    static <T> T untilAnswered(java.util.function.Supplier<T> call, Runnable onFailure) {
        try {
            return call.get();
        } catch (StoreUnavailableException first) {
            onFailure.run(); // a dropped connection: wait for the store to answer again, below
        }
        Object[] out = new Object[1];
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .ignoreException(StoreUnavailableException.class)
                .until(() -> {
                    out[0] = call.get();
                    return true;
                });
        @SuppressWarnings("unchecked")
        T t = (T) out[0];
        return t;
    }
}
