package dev.latchkey.core.admin;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.EffectiveLimits;
import dev.latchkey.core.QuotaState;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A key's limits as an admin answer shows them (API.md §8): what applies after inheritance, and the live balance
 * under the quota that applies.
 *
 * @param effective the limits and configs that apply now
 * @param balance   the live balance under {@code effective.quota()}, or {@code null} when no quota applies (or the
 *                  store keeps no balances)
 */
public record KeyLimits(EffectiveLimits effective, @Nullable QuotaState balance) {

    public KeyLimits {
        Objects.requireNonNull(effective, "effective");
    }

    /** Returns the limits of a key read without its tenant's defaults or balance: its own fields only. */
    public static KeyLimits ownOnly(ApiKey key) {
        return new KeyLimits(EffectiveLimits.of(key, null), null);
    }
}
