package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult.Verdict;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.CreditOp;
import dev.latchkey.core.CreditResult;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.internal.Ids;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The limits contract, part one: charges against rate limits and quotas, window and period boundaries on the test
 * clock, and the exactness of many nodes and threads charging one key (API.md §8). Part of {@link LimitsContract}.
 */
@Tag("contract")
public interface ChargeContract extends LimitsFixture {

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

    // ---- time (stores on the test clock)

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

    // ---- exactness

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
}
