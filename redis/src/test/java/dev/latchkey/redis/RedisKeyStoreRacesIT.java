package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testkit.KeyStoreRaces;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The concurrency checker ({@link KeyStoreRaces}, #21) on {@link RedisKeyStore} over a real Redis, then a walk of the
 * listing indexes and the imported-token index against the records ({@link RedisIndexChecker}).
 */
@WithRedis
@Tag("concurrency")
class RedisKeyStoreRacesIT {

    private final RedisServer redis;

    RedisKeyStoreRacesIT(RedisServer redis) {
        this.redis = redis;
    }

    @Test
    void racingCreatesRotationsTogglesResetsAndDeletes_withVerifiers_leaveAStateASerialOrderGives_andIndexesAgree()
            throws Exception {
        String prefix = redis.uniqueKeyPrefix();
        try (RedisKeyStore store = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix)
                .commandTimeout(Duration.ofSeconds(10)).build()) {
            Set<String> survivors = new KeyStoreRaces(store).runAndCheck(new KeyStoreRaces.Load(6, 2, 60, 150, 7));
            assertThat(survivors).isNotEmpty();
            RedisIndexChecker.check(redis.uri(), prefix, store);
        } finally {
            RedisValues.deleteUnder(redis.uri(), prefix);
        }
    }
}
