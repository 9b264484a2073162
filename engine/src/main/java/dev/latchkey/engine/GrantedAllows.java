package dev.latchkey.engine;

import dev.latchkey.core.ApiKey;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The plain grants of recently allowed keys, kept so that a cached key's request makes no new {@link Allow} or
 * {@link ApiKeyPrincipal}: both are immutable, so the same one may answer every request of the same key object from
 * the same client address. Only a grant with nothing request-specific in it is shared — the current secret, no
 * rate-limit headers, no charge; anything else is made fresh. A slot holds the last grant whose key hashed to it, so
 * a changed key (a new object) is never answered with its old grant.
 */
final class GrantedAllows {

    private static final int SLOTS = 256;

    private final AtomicReferenceArray<@Nullable Allow> slots = new AtomicReferenceArray<>(SLOTS);

    /** Returns the grant of {@code key} to {@code clientIp} as {@link RateLimiter} charged it. */
    Allow of(ApiKey key, @Nullable String clientIp, boolean previousSecret, RateLimiter.Outcome charged) {
        if (previousSecret || !charged.headers().isEmpty() || charged.charge() != null) {
            return new Allow(new ApiKeyPrincipal(key, clientIp), key, previousSecret, charged.headers(),
                    charged.charge());
        }
        int slot = System.identityHashCode(key) & (SLOTS - 1);
        Allow held = slots.get(slot);
        if (held != null && held.key() == key && Objects.equals(held.principal().clientIp(), clientIp)) {
            return held;
        }
        Allow made = new Allow(new ApiKeyPrincipal(key, clientIp), key, false, charged.headers(), null);
        slots.set(slot, made);
        return made;
    }
}
