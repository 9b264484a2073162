package dev.latchkey.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A key's live quota balance as a store holds it, after any refill due at the store's time.
 *
 * @param remaining units left; never negative, and may exceed the limit after credits until the next refill
 * @param refillsAt when the balance next refills to its limit, or {@code null} for prepaid credits
 * @param sequence  the balance's own sequence: +1 with every admin write ({@link KeyStore#credit}), never with
 *                  charges or refills. An admin write names the sequence it read, so a replayed or stale write never
 *                  undoes a newer one
 */
public record QuotaState(long remaining, @Nullable Instant refillsAt, long sequence) {

    public QuotaState {
        if (remaining < 0) {
            throw new IllegalArgumentException("remaining must not be negative");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative");
        }
    }
}
