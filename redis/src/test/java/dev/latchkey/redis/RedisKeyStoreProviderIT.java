package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreProvider;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Tests for {@link RedisKeyStoreProvider} (found through ServiceLoader) and the builder's optional metrics. */
@WithRedis
class RedisKeyStoreProviderIT {

    @Test
    void openFirst_redisUrl_findsTheProviderThroughServiceLoader(RedisServer redis) {
        try (KeyStore store = KeyStoreProvider.openFirst(redis.uri(), getClass().getClassLoader())) {
            assertThat(store).isInstanceOf(RedisKeyStore.class);
            assertThat(store.kind()).isEqualTo("redis");
            assertThat(((RedisKeyStore) store).keyPrefix()).isEqualTo(RedisStoreOptions.DEFAULT_KEY_PREFIX);
            store.ping();
        }
    }

    @Test
    void supports_redisSchemesOnly() {
        RedisKeyStoreProvider p = new RedisKeyStoreProvider();

        assertThat(p.supports("redis://h:6379")).isTrue();
        assertThat(p.supports("rediss://h:6379")).isTrue();
        assertThat(p.supports("redis-sentinel://h:26379#m")).isTrue();
        assertThat(p.supports("redis://h1:7000,h2:7001")).isTrue();
        assertThat(p.supports("jdbc:postgresql://h/db")).isFalse();
    }

    @Test
    void open_unreachableRedis_throwsStoreUnavailable_quickly() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> RedisKeyStore.builder().uri("redis://127.0.0.1:1")
                .connectTimeout(Duration.ofMillis(500)).build())
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void meterRegistry_recordsLettuceCommandLatencies(RedisServer redis) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RedisKeyStore store = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(redis.uniqueKeyPrefix())
                .meterRegistry(registry).build()) {
            store.ping();
            store.find("01JD0000000000000000000000");
        }

        assertThat(registry.find("lettuce.command.completion").tag("command", "HGETALL").timer())
                .isNotNull()
                .satisfies(t -> assertThat(t.count()).isPositive());
    }
}
