package dev.latchkey.engine;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Decision} that grants: the request goes on as {@link #principal()}.
 *
 * @param principal     who is calling (never a token or a hash)
 * @param key           the key record as verified (for answers that show it, such as {@code POST /v1/verify})
 * @param previousToken whether the token was the rotated-out one inside its grace window
 * @param headers       headers the door adds to its answer (the RateLimit headers of API.md §8); empty when none
 * @param charge        the key's rate-limit and quota state after this request was charged, or {@code null} when the
 *                      key has no limit (or the store could not be asked and the fallback admitted it)
 * @since 0.1
 */
public record Allow(ApiKeyPrincipal principal, ApiKey key, boolean previousToken, Map<String, String> headers,
        @Nullable ChargeResult charge) implements Decision {

    public Allow {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(key, "key");
        headers = Map.copyOf(headers);
    }
}
