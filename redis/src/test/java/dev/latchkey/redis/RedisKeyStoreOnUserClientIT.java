package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.KeyStore;
import dev.latchkey.testkit.KeyStoreContract;
import dev.latchkey.testkit.LimitsContract;
import dev.latchkey.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the whole {@link KeyStoreContract} and {@link LimitsContract} (as {@link RedisKeyStoreIT} does) on stores built
 * on one {@link RedisClient} the test owns, with Lettuce's default client options; after each store closes, the client
 * must still connect and answer {@code PING}.
 */
class RedisKeyStoreOnUserClientIT extends RedisKeyStoreIT {

    private static @Nullable RedisClient client;
    private static @Nullable RedisURI uri;

    private final RedisServer redis;

    RedisKeyStoreOnUserClientIT(RedisServer redis) {
        super(redis);
        this.redis = redis;
    }

    @BeforeAll
    static void createClient(RedisServer redis) {
        client = RedisClient.create();
        uri = RedisURI.create(redis.uri());
    }

    @AfterAll
    static void shutdownClient() {
        if (client != null) {
            client.shutdown();
        }
    }

    @Override
    protected KeyStore createStore() {
        return open(redis.uniqueKeyPrefix());
    }

    @Override
    protected KeyStore createPeerStore(KeyStore store) {
        return open(((RedisKeyStore) store).keyPrefix());
    }

    private static RedisKeyStore open(String prefix) {
        return RedisKeyStore.builder()
                .client(Objects.requireNonNull(client), Objects.requireNonNull(uri))
                .keyPrefix(prefix)
                .commandTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Override
    protected void closeStore(KeyStore store) {
        super.closeStore(store);
        try (StatefulRedisConnection<String, String> c = Objects.requireNonNull(client).connect(uri)) {
            assertThat(c.sync().ping()).as("the application's client after the store closed").isEqualTo("PONG");
        }
    }
}
