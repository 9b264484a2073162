package dev.latchkey.redis;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreOptions;
import dev.latchkey.core.KeyStoreProvider;

/**
 * Opens a {@link RedisKeyStore} from a {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URL (or a
 * comma-separated Cluster node list), with the default settings of {@link RedisKeyStore.Builder} and the timeouts of
 * the {@link KeyStoreOptions}. Registered through {@code META-INF/services}, so the servlet filter configured by
 * {@code latchkey.redis-url} finds it without depending on this module. The store's meters reach a registry when the
 * engine binds the store (it is a Micrometer {@code MeterBinder}).
 */
public final class RedisKeyStoreProvider implements KeyStoreProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} does this. */
    public RedisKeyStoreProvider() {
    }

    @Override
    public boolean supports(String url) {
        return RedisTarget.supports(url);
    }

    @Override
    public KeyStore open(String url, KeyStoreOptions options) {
        RedisKeyStore.Builder builder = RedisKeyStore.builder().uri(url);
        if (options.commandTimeout() != null) {
            builder.commandTimeout(options.commandTimeout());
        }
        if (options.connectTimeout() != null) {
            builder.connectTimeout(options.connectTimeout());
        }
        return builder.build();
    }
}
