package dev.latchkey.admin;

import dev.latchkey.cache.KeyCache;
import dev.latchkey.core.KeyResolver;
import dev.latchkey.core.KeyStore;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one seam where the admin service chooses how keys are looked up for verification: the shared
 * {@link KeyCache}, as in the servlet filter. Admin authentication and
 * {@code POST /v1/verify} both go through the resolver made here, so they take the same path as the servlet filter.
 */
final class KeyResolvers {

    private KeyResolvers() {
    }

    /** Returns the resolver for a store; the caller closes it when it is {@link AutoCloseable}. */
    static KeyResolver create(KeyStore store, MeterRegistry registry) {
        return KeyCache.builder(store).meterRegistry(registry).build();
    }
}
