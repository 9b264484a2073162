package dev.latchkey.core;

import java.util.Objects;

/**
 * One secret of a key as stored: its hash, the hint a listing may show, and whether the caller imported its own
 * token value (found through the imported-hash index) or Latchkey generated it (found by the key id inside it).
 */
public record Credential(SecretHash hash, String hint, boolean imported) {

    public Credential {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(hint, "hint");
    }
}
