package dev.latchkey.admin;

import dev.latchkey.core.KeyStore;
import dev.latchkey.redis.RedisKeyStore;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.time.Duration;

/** Runs the webhook tests on {@link RedisKeyStore} over a real Redis, under a key prefix of its own. */
@WithRedis
class RedisWebhooksIT extends WebhooksApiTests {

    private final RedisServer redis;

    RedisWebhooksIT(RedisServer redis) {
        this.redis = redis;
    }

    @Override
    protected KeyStore createStore() {
        return RedisKeyStore.builder()
                .uri(redis.uri())
                .keyPrefix(redis.uniqueKeyPrefix())
                .commandTimeout(Duration.ofSeconds(5))
                .build();
    }
}
