package dev.latchkey.core;

/**
 * Opens a {@link KeyStore} from a URL, found through {@link java.util.ServiceLoader}. This lets a module that must
 * not depend on a backend (the servlet filter configured by {@code latchkey.redis-url}) open one that happens to
 * be on the class path: the Redis module registers a provider for {@code redis://}, {@code rediss://} and
 * {@code redis-sentinel://} URLs.
 */
public interface KeyStoreProvider {

    /** Returns whether this provider opens stores for this URL. */
    boolean supports(String url);

    /**
     * Opens a store. The caller owns it and closes it.
     *
     * @throws IllegalArgumentException  when the URL is malformed (the message names the problem, never a password)
     * @throws StoreUnavailableException when the store cannot be reached
     */
    KeyStore open(String url);

    /**
     * Opens a store that also reports its own meters (for the Redis store, Lettuce's command latencies) to a
     * Micrometer {@code MeterRegistry}. The registry is typed {@code Object} so that core stays free of Micrometer;
     * providers that have no meters, or are given something else, ignore it. The default ignores it.
     *
     * @param meterRegistry an {@code io.micrometer.core.instrument.MeterRegistry}, or {@code null}
     * @throws IllegalArgumentException  when the URL is malformed
     * @throws StoreUnavailableException when the store cannot be reached
     */
    default KeyStore open(String url, @org.jspecify.annotations.Nullable Object meterRegistry) {
        return open(url);
    }

    /**
     * Opens a store for a URL with the first provider on the class path that supports it.
     *
     * @throws IllegalArgumentException when no provider supports the URL
     */
    static KeyStore openFirst(String url, ClassLoader loader) {
        return openFirst(url, loader, null);
    }

    /**
     * Opens a store for a URL with the first provider on the class path that supports it, reporting the store's own
     * meters to {@code meterRegistry} when the provider has any (see {@link #open(String, Object)}).
     *
     * @throws IllegalArgumentException when no provider supports the URL
     */
    static KeyStore openFirst(String url, ClassLoader loader, @org.jspecify.annotations.Nullable Object meterRegistry) {
        for (KeyStoreProvider p : java.util.ServiceLoader.load(KeyStoreProvider.class, loader)) {
            if (p.supports(url)) {
                return p.open(url, meterRegistry);
            }
        }
        throw new IllegalArgumentException("no KeyStoreProvider on the class path supports this URL scheme"
                + " (add latchkey-redis for redis:// URLs)");
    }
}
