package dev.latchkey.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link KeyStore#credit}.
 *
 * @param status   whether it was applied, and if not why
 * @param state    the balance afterwards ({@link Status#APPLIED}) or as it stands (any other status but
 *                 {@link Status#UNKNOWN_KEY}, where it is {@code null})
 * @param delta    how much this call changed the balance: {@code +amount}, {@code -amount}, or {@code amount − old}
 *                 for a set; 0 unless applied. (With refills, {@code spent + remaining = start + refills + Σ delta}.)
 * @param refilled whether this call refilled the balance before applying the change
 * @param replayed whether the operation id had been applied before: this is the first outcome again
 */
public record CreditResult(Status status, @Nullable QuotaState state, long delta, boolean refilled,
        boolean replayed) {

    /** Whether a credit change was applied. */
    public enum Status {
        /** Applied. */
        APPLIED,
        /** Not applied: a decrement would take the balance below 0. */
        BELOW_ZERO,
        /** Not applied: the balance would exceed {@link Quota#MAX_BALANCE}. */
        ABOVE_MAXIMUM,
        /** Not applied: the balance's sequence is no longer the one the caller read. */
        STALE,
        /** Not applied: the key does not exist. */
        UNKNOWN_KEY
    }

    public CreditResult {
        Objects.requireNonNull(status, "status");
        if (status != Status.UNKNOWN_KEY) {
            Objects.requireNonNull(state, "state");
        }
    }
}
