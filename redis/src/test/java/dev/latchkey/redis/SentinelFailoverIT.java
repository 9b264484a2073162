package dev.latchkey.redis;

import dev.latchkey.testkit.RedisSentinelProcess;
import dev.latchkey.testkit.RedisServerProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link AbstractFailoverIT} on a master, a replica and three sentinels ({@code down-after-milliseconds 1000},
 * {@code failover-timeout 5000}), started once for the class, through a {@code redis-sentinel://} URL. The frozen
 * master is the case {@link SentinelWatch} exists for: its connections stay open, so only {@code +switch-master}
 * moves them.
 */
class SentinelFailoverIT extends AbstractFailoverIT {

    private RedisSentinelProcess sentinel;

    @BeforeAll
    void startSentinel() {
        sentinel = RedisSentinelProcess.launch(Duration.ofMillis(1000), Duration.ofMillis(5000));
    }

    @AfterAll
    void stopSentinel() {
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @Override
    String uri() {
        return sentinel.uri();
    }

    @Override
    RedisServerProcess master(int round) {
        sentinel.awaitFailoverAllowed();
        return sentinel.master();
    }

    @Override
    void awaitSwitch(int round, RedisServerProcess broken) {
        sentinel.awaitSwitch(broken.port(), SWITCH_BOUND);
    }

    @Override
    void awaitHealthy() {
        sentinel.awaitHealthy();
    }

    @Override
    String name() {
        return "sentinel";
    }
}
