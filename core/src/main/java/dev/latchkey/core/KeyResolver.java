package dev.latchkey.core;

import dev.latchkey.core.internal.Ids;
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
     * Returns the key whose id is the {@link Ids#LENGTH} characters of {@code text} from {@code start} (the id inside
     * a generated token), or {@code null}. Caches override it to look the id up without making a string of it.
     *
     * @throws StoreUnavailableException when the key cannot be looked up (fail closed)
     */
    default @Nullable ApiKey byIdWithin(CharSequence text, int start) {
        return byId(text.subSequence(start, start + Ids.LENGTH).toString());
    }

    /**
     * Returns the key whose id is the {@link Ids#LENGTH} characters of {@code text} from {@code start} when it is
     * held in memory and may be served now, else {@code null}; never reads a store. The default holds nothing.
     */
    default @Nullable ApiKey heldWithin(CharSequence text, int start) {
        return null;
    }

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
