package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * Tests for the timed charge the engine calls on its request thread: it gives up at the caller's bound (the engine's
 * {@code latchkey.rate-limit.store-timeout}), not at the store's longer command timeout, and a retry with the same
 * request id is exact.
 */
@WithRedis(isolated = true)
class TimedChargeIT {

    @Test
    void timedCharge_givesUpAtItsBound_whileTheUntimedOneWaitsForRedis(RedisServer redis) {
        try (RedisKeyStore store = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(redis.uniqueKeyPrefix())
                .commandTimeout(Duration.ofSeconds(5)).build()) {
            ApiKey key = Keys.minimal(Instant.now().truncatedTo(ChronoUnit.MILLIS));
            store.create(key);
            RateLimit limit = new RateLimit(10, 3600);
            String first = Ids.next();
            redis.command("CLIENT", "PAUSE", "1000", "ALL");

            assertThatThrownBy(() -> store.charge(key.id(), first, 1, limit, null, Duration.ofMillis(100)))
                    .isInstanceOf(StoreUnavailableException.class);
            ChargeResult untimed = store.charge(key.id(), Ids.next(), 1, limit, null);
            assertThat(untimed.verdict()).isEqualTo(ChargeResult.Verdict.ADMITTED);

            // the abandoned charge still landed; retrying it under its id charges nothing more
            ChargeResult retried = store.charge(key.id(), first, 1, limit, null, Duration.ofSeconds(2));
            assertThat(retried.replayed()).isTrue();
            assertThat(store.charge(key.id(), Ids.next(), 0, limit, null).rate().remaining()).isEqualTo(8);
        }
    }
}
