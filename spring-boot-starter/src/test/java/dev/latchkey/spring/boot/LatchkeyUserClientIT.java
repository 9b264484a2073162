package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.KeyStore;
import dev.latchkey.redis.RedisKeyStore;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter runs the key store on the application's own Lettuce client when it defines one, and never shuts that
 * client down (issue #18, on the store of issue #17).
 */
@WithRedis
class LatchkeyUserClientIT {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class));

    @Test
    void aRedisClientBean_carriesTheKeyStore_andOutlivesIt(RedisServer redis) {
        RedisClient client = RedisClient.create(redis.uri());
        try {
            runner.withBean(RedisClient.class, () -> client).run(context -> {
                KeyStore store = context.getBean(KeyStore.class);
                assertThat(store).isInstanceOf(RedisKeyStore.class);
                var key = Keys.minimal(Instant.now().truncatedTo(ChronoUnit.MILLIS));
                store.create(key);
                assertThat(store.find(key.id())).contains(key);
                store.close();
                try (StatefulRedisConnection<String, String> c = client.connect()) {
                    assertThat(c.sync().ping()).as("the application's client still works").isEqualTo("PONG");
                }
            });
        } finally {
            client.shutdown();
        }
    }
}
