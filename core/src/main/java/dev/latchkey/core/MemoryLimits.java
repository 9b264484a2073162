package dev.latchkey.core;

import dev.latchkey.core.internal.LimitWindows;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The rate-limit windows, quota balances and request-id markers of one key in {@link InMemoryKeyStore}, with the
 * decisions of {@link KeyStore#charge}, {@link KeyStore#quotaState} and {@link KeyStore#credit}. Time comes from the
 * store's clock, so tests move it by hand. Not thread-safe: the store calls it under the key's lock.
 */
final class MemoryLimits {

    /** How long a request or operation id is remembered. */
    static final long MARKER_TTL_MILLIS = 30_000;
    /** The most ids remembered per key; the oldest are forgotten first. */
    static final int MARKERS_KEPT = 10_000;

    private record Marker(Object result, long expiresAtMillis) {
    }

    private final Clock clock;
    private final LinkedHashMap<String, Marker> markers = new LinkedHashMap<>();
    private long windowStart = Long.MIN_VALUE;
    private long windowPeriod;
    private long windowCount;
    private boolean hasBalance;
    private long remaining;
    private long periodStart;
    private long sequence;

    MemoryLimits(Clock clock) {
        this.clock = clock;
    }

    ChargeResult charge(String requestId, long cost, @Nullable RateLimit rateLimit, @Nullable Quota quota) {
        Instant now = clock.instant();
        Object seen = remembered(requestId, now);
        if (seen instanceof ChargeResult first) {
            return first.asReplay();
        }
        long t = now.getEpochSecond();
        ChargeResult.Verdict verdict = ChargeResult.Verdict.ADMITTED;
        long retry = 0;
        long rateLeft = 0;
        long windowEnd = 0;
        if (rateLimit != null) {
            long ws = LimitWindows.windowStart(t, rateLimit.periodSeconds());
            long count = ws == windowStart && windowPeriod == rateLimit.periodSeconds() ? windowCount : 0;
            rateLeft = Math.max(0, rateLimit.limit() - count);
            windowEnd = ws + rateLimit.periodSeconds();
            if (cost > rateLeft) {
                verdict = ChargeResult.Verdict.RATE_LIMITED;
                retry = LimitWindows.secondsUntil(now, windowEnd);
            }
        }
        boolean refilled = false;
        if (quota != null) {
            refilled = load(quota, t);
            if (verdict.admitted() && cost > remaining) {
                verdict = quota.period().refills() ? ChargeResult.Verdict.QUOTA_EXCEEDED
                        : ChargeResult.Verdict.QUOTA_EXHAUSTED;
                retry = quota.period().refills()
                        ? LimitWindows.secondsUntil(now, LimitWindows.nextPeriodStart(t, quota.period())) : 0;
            }
        }
        boolean spentLast = false;
        if (verdict.admitted()) {
            if (rateLimit != null) {
                long ws = LimitWindows.windowStart(t, rateLimit.periodSeconds());
                windowCount = (ws == windowStart && windowPeriod == rateLimit.periodSeconds() ? windowCount : 0) + cost;
                windowStart = ws;
                windowPeriod = rateLimit.periodSeconds();
                rateLeft -= cost;
            }
            if (quota != null) {
                spentLast = cost > 0 && remaining > 0 && remaining == cost;
                remaining -= cost;
            }
        }
        ChargeResult.RateWindow rate = rateLimit == null ? null : new ChargeResult.RateWindow(rateLimit.limit(),
                rateLeft, LimitWindows.secondsUntil(now, windowEnd), windowEnd);
        QuotaState state = quota == null ? null
                : new QuotaState(remaining, LimitWindows.refillsAt(t, quota.period()), sequence);
        ChargeResult result = new ChargeResult(verdict, retry, rate, state, spentLast, refilled, false, now);
        remember(requestId, result, now);
        return result;
    }

    QuotaState peek(Quota quota) {
        long t = clock.instant().getEpochSecond();
        long r = !hasBalance || LimitWindows.refillDue(periodStart, t, quota.period()) ? quota.limit() : remaining;
        return new QuotaState(r, LimitWindows.refillsAt(t, quota.period()), sequence);
    }

    CreditResult credit(String operationId, CreditOp op, long amount, Quota quota, @Nullable Long expectedSequence) {
        Instant now = clock.instant();
        Object seen = remembered(operationId, now);
        if (seen instanceof CreditResult first) {
            return new CreditResult(first.status(), first.state(), first.delta(), first.refilled(), true);
        }
        long t = now.getEpochSecond();
        boolean refilled = load(quota, t);
        if (expectedSequence != null && expectedSequence != sequence) {
            return new CreditResult(CreditResult.Status.STALE, state(quota, t), 0, refilled, false);
        }
        long next = switch (op) {
            case INCREMENT -> remaining + amount;
            case DECREMENT -> remaining - amount;
            case SET -> amount;
        };
        CreditResult result;
        if (next < 0) {
            result = new CreditResult(CreditResult.Status.BELOW_ZERO, state(quota, t), 0, refilled, false);
        } else if (next > Quota.MAX_BALANCE) {
            result = new CreditResult(CreditResult.Status.ABOVE_MAXIMUM, state(quota, t), 0, refilled, false);
        } else {
            long delta = next - remaining;
            remaining = next;
            periodStart = LimitWindows.periodStart(t, quota.period());
            sequence++;
            result = new CreditResult(CreditResult.Status.APPLIED, state(quota, t), delta, refilled, false);
        }
        remember(operationId, result, now);
        return result;
    }

    /** Brings the balance to what applies at {@code t}: first use starts at the limit, a new period refills. */
    private boolean load(Quota quota, long t) {
        if (!hasBalance) {
            hasBalance = true;
            remaining = quota.limit();
            periodStart = LimitWindows.periodStart(t, quota.period());
            return false;
        }
        if (LimitWindows.refillDue(periodStart, t, quota.period())) {
            remaining = quota.limit();
            periodStart = LimitWindows.periodStart(t, quota.period());
            return true;
        }
        return false;
    }

    private QuotaState state(Quota quota, long t) {
        return new QuotaState(remaining, LimitWindows.refillsAt(t, quota.period()), sequence);
    }

    private @Nullable Object remembered(String id, Instant now) {
        long ms = now.toEpochMilli();
        Iterator<Map.Entry<String, Marker>> it = markers.entrySet().iterator();
        while (it.hasNext() && it.next().getValue().expiresAtMillis() <= ms) {
            it.remove();
        }
        Marker m = markers.get(id);
        return m == null ? null : m.result();
    }

    private void remember(String id, Object result, Instant now) {
        markers.put(id, new Marker(result, now.toEpochMilli() + MARKER_TTL_MILLIS));
        if (markers.size() > MARKERS_KEPT) {
            Iterator<String> it = markers.keySet().iterator();
            it.next();
            it.remove();
        }
    }
}
