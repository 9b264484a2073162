/**
 * The drop-in servlet filter: {@link dev.latchkey.filter.ApiKeyFilter} authenticates API keys on any Jakarta
 * Servlet 6 container and hands the application an {@link dev.latchkey.filter.ApiKeyPrincipal}. It resolves keys
 * through the shared {@code dev.latchkey.cache.KeyCache} and decides with core's {@code Verifier}; it never imports a
 * Redis client (a store named by URL is opened through {@code KeyStoreProvider}).
 */
@NullMarked
package dev.latchkey.filter;

import org.jspecify.annotations.NullMarked;
