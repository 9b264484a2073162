package dev.latchkey.core.admin;

import dev.latchkey.core.Quota;
import org.jspecify.annotations.Nullable;

/**
 * A {@code quota} object as a caller sent it, before {@link KeyRules#quota} checks it ({@code refills_at} in a body
 * is ignored and never gets here).
 *
 * @param limit     {@code limit}, or {@code null} when absent
 * @param period    {@code period}, or {@code null} when absent
 * @param remaining {@code remaining}, or {@code null} when absent (create: the limit; PATCH: the current balance,
 *                  capped at the new limit)
 */
public record QuotaInput(@Nullable Long limit, @Nullable String period, @Nullable Long remaining) {

    /** Returns the input that describes an existing quota spec, without a balance. */
    public static QuotaInput of(Quota q) {
        return new QuotaInput(q.limit(), q.period().wire(), null);
    }
}
