package dev.latchkey.core;

import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Opens a {@link KeyStore} from a URL, found through {@link ServiceLoader}. This lets a module that must not depend on
 * a backend (the servlet filter configured by {@code latchkey.redis-url}) open one that happens to be on the class
 * path: the Redis module registers a provider for {@code redis://}, {@code rediss://} and {@code redis-sentinel://}
 * URLs. A door may use the result as the {@link KeySource} it needs; the admin service uses all of it.
 *
 * <p>A store with meters of its own reports them through Micrometer's {@code MeterBinder}, which it implements and
 * the engine's {@code Authenticator} binds (see {@link KeyStoreOptions}).
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
    KeyStore open(String url, KeyStoreOptions options);

    /**
     * Opens a store with {@link KeyStoreOptions#defaults()}.
     *
     * @throws IllegalArgumentException  when the URL is malformed
     * @throws StoreUnavailableException when the store cannot be reached
     */
    default KeyStore open(String url) {
        return open(url, KeyStoreOptions.defaults());
    }

    /**
     * Opens a store for a URL with the first provider on the class path that supports it.
     *
     * @throws IllegalArgumentException when no provider supports the URL
     */
    static KeyStore openFirst(String url, ClassLoader loader) {
        return openFirst(url, loader, KeyStoreOptions.defaults());
    }

    /**
     * Opens a store for a URL, with these options, with the first provider on the class path that supports it.
     *
     * @throws IllegalArgumentException when no provider supports the URL
     */
    static KeyStore openFirst(String url, ClassLoader loader, KeyStoreOptions options) {
        Objects.requireNonNull(options, "options");
        for (KeyStoreProvider p : ServiceLoader.load(KeyStoreProvider.class, loader)) {
            if (p.supports(url)) {
                return p.open(url, options);
            }
        }
        throw new IllegalArgumentException("no KeyStoreProvider on the class path supports this URL scheme"
                + " (add latchkey-redis for redis:// URLs)");
    }
}
