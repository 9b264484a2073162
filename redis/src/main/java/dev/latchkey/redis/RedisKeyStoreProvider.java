package dev.latchkey.redis;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreProvider;
import org.jspecify.annotations.Nullable;

/**
 * Opens a {@link RedisKeyStore} from a {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URL (or a
 * comma-separated Cluster node list), with the default settings of {@link RedisKeyStore.Builder}. Registered through
 * {@code META-INF/services}, so the servlet filter configured by {@code latchkey.redis-url} finds it without
 * depending on this module.
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
    public KeyStore open(String url) {
        return RedisKeyStore.builder().uri(url).build();
    }

    /** Opens the store with Lettuce's command latencies on {@code meterRegistry}, when it is a Micrometer registry. */
    @Override
    public KeyStore open(String url, @Nullable Object meterRegistry) {
        RedisKeyStore.Builder builder = RedisKeyStore.builder().uri(url);
        if (meterRegistry != null && MICROMETER_PRESENT) {
            Micrometer.apply(builder, meterRegistry);
        }
        return builder.build();
    }

    private static final boolean MICROMETER_PRESENT = isPresent("io.micrometer.core.instrument.MeterRegistry");

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, RedisKeyStoreProvider.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Kept apart so that Micrometer's types are only loaded when Micrometer is on the class path (it is optional). */
    private static final class Micrometer {
        static void apply(RedisKeyStore.Builder builder, Object registry) {
            if (registry instanceof io.micrometer.core.instrument.MeterRegistry r) {
                builder.meterRegistry(r);
            }
        }
    }
}
