package dev.latchkey.core;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The verdict of one {@link KeySource#charge}: whether the request is admitted, and the state the RateLimit headers and
 * verify answers of API.md §8 show. Every time in it was read from the store's clock (Redis {@code TIME}), so nodes
 * with skewed clocks agree. Immutable.
 *
 * @param verdict            admitted, or which limit denied it
 * @param retryAfterSeconds  for {@link Verdict#RATE_LIMITED} and {@link Verdict#QUOTA_EXCEEDED}: whole seconds until
 *                           the window ends or the balance refills, rounded up, at least 1 (the {@code Retry-After});
 *                           0 otherwise
 * @param rate               the rate-limit window after this charge, or {@code null} when none was given
 * @param quota              the balance after this charge (after any refill it caused), or {@code null} when no
 *                           quota was given (or the key is unknown)
 * @param spentLast          whether this charge took the balance from above 0 to exactly 0 (the node whose charge did
 *                           this raises {@code key.quota_exhausted}); never true on a replay
 * @param refilled           whether this charge refilled the balance (counted by {@code latchkey.quota.refills});
 *                           never true on a replay
 * @param replayed           whether the request id had been charged before: this is the first verdict again and
 *                           nothing was charged now (counted by {@code latchkey.ratelimit.replays})
 * @param storeTime          the store's time when the verdict was first taken (for {@link Verdict#UNKNOWN_KEY}, which
 *                           no store clock decided, the caller's)
 */
public record ChargeResult(Verdict verdict, long retryAfterSeconds, @Nullable RateWindow rate,
        @Nullable QuotaState quota, boolean spentLast, boolean refilled, boolean replayed, Instant storeTime) {

    /** What a charge decided. */
    public enum Verdict {
        /** Admitted: the cost was taken from the window and the balance, both. */
        ADMITTED,
        /** Denied: the cost exceeds what is left in the rate-limit window (429 {@code rate_limited}). */
        RATE_LIMITED,
        /** Denied: a refilling balance is spent (429 {@code quota_exceeded}, retry at the refill). */
        QUOTA_EXCEEDED,
        /** Denied: prepaid credits are spent (403 {@code quota_exhausted}, no retry time). */
        QUOTA_EXHAUSTED,
        /** The key no longer exists in the store (deleted since the caller read it): deny as not found. */
        UNKNOWN_KEY;

        /** Returns whether the request may proceed. */
        public boolean admitted() {
            return this == ADMITTED;
        }
    }

    /**
     * The rate-limit window as it stands after the charge.
     *
     * @param limit        the limit charged against
     * @param remaining    units left in this window (never negative)
     * @param resetSeconds whole seconds until the window ends, rounded up, at least 1 (the {@code t} of the header)
     * @param windowEnd    the end of the window (Unix seconds, store time): a node that learned the key is over its
     *                     limit may deny from memory until then
     */
    public record RateWindow(long limit, long remaining, long resetSeconds, long windowEnd) {

        public RateWindow {
            if (remaining < 0 || resetSeconds < 1) {
                throw new IllegalArgumentException("remaining >= 0 and resetSeconds >= 1");
            }
        }
    }

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public ChargeResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(storeTime, "storeTime");
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative");
        }
    }

    /** The largest cost of one request (API.md §8). */
    public static final long COST_MAX = 1_000_000;

    /**
     * Checks the arguments of {@link KeySource#charge} (and the operation id of {@link KeyStore#credit}, with cost 0
     * and a quota): stores call it before anything else.
     *
     * @throws IllegalArgumentException when the id is not 1–128 of {@code [A-Za-z0-9._:-]}, the cost is not 0 to
     *                                  1,000,000, or neither limit is given
     */
    public static void checkArguments(String requestId, long cost, @Nullable RateLimit rateLimit,
            @Nullable Quota quota) {
        Objects.requireNonNull(requestId, "requestId");
        if (!REQUEST_ID.matcher(requestId).matches()) {
            throw new IllegalArgumentException("a request id is 1 to 128 of [A-Za-z0-9._:-]");
        }
        if (cost < 0 || cost > COST_MAX) {
            throw new IllegalArgumentException("cost must be 0 to " + COST_MAX);
        }
        if (rateLimit == null && quota == null) {
            throw new IllegalArgumentException("a key with neither a rate limit nor a quota is never charged");
        }
    }

    /** Returns the same verdict marked as a replay: nothing was charged this time. */
    public ChargeResult asReplay() {
        return new ChargeResult(verdict, retryAfterSeconds, rate, quota, false, false, true, storeTime);
    }
}
