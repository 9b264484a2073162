package dev.latchkey.core.admin;

import dev.latchkey.core.ApiKey;
import java.util.Objects;

/**
 * A key together with the plaintext of a token just issued for it (on create and rotate). The plaintext is handed
 * to the caller exactly once and never stored; {@link #toString()} hides it.
 */
public record IssuedKey(ApiKey key, String token) {

    public IssuedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "IssuedKey[id=" + key.id() + ", hint=" + key.hint() + "]";
    }
}
