package dev.latchkey.core;

import org.jspecify.annotations.Nullable;

/**
 * Finds the key a token names, for the {@link Verifier}. The cache module's implementation answers from a Caffeine
 * cache; {@link #direct} asks the store every time.
 */
public interface KeyResolver {

    /**
     * Returns the key with this id, or {@code null} when there is none.
     *
     * @throws StoreUnavailableException when the key cannot be looked up (fail closed)
     */
    @Nullable ApiKey byId(String keyId);

    /**
     * Returns the key with an imported credential of this hash, or {@code null}.
     *
     * @throws StoreUnavailableException when the key cannot be looked up (fail closed)
     */
    @Nullable ApiKey byImportedHash(SecretHash hash);

    /** Returns a resolver that reads the store on every call, with no cache. */
    static KeyResolver direct(KeySource store) {
        return new KeyResolver() {
            @Override
            public @Nullable ApiKey byId(String keyId) {
                return store.find(keyId).orElse(null);
            }

            @Override
            public @Nullable ApiKey byImportedHash(SecretHash hash) {
                return store.findByImportedHash(hash).orElse(null);
            }
        };
    }
}
