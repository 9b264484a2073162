package dev.latchkey.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.samples.demo.DemoAppChecks.AdminApi;
import dev.latchkey.samples.demo.DemoAppChecks.IssuedKey;
import dev.latchkey.samples.demo.DemoAppChecks;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link Quickstart} with {@code LATCHKEY_REDIS_URL}: a real Redis, each test on a database of its own. */
@WithRedis
class QuickstartRedisIT {

    @Test
    void redis_keysFromTheAdminApi_protectTheDemoApp(RedisServer redis) {
        try (Running r = Running.start(Map.of("LATCHKEY_REDIS_URL", redis.uri(3)))) {
            assertThat(r.quickstart().store().kind()).isEqualTo("redis");
            DemoAppChecks.checkUserJourney(new AdminApi(r.quickstart().adminUri(), r.printedAdminToken()),
                    r.quickstart().appUri());
        }
    }

    @Test
    void redis_keysOutliveARestartOfTheQuickstart(RedisServer redis) {
        Map<String, String> env = Map.of("LATCHKEY_REDIS_URL", redis.uri(4), "LATCHKEY_ADMIN_TOKEN", "root-for-restart");
        IssuedKey key;
        try (Running first = Running.start(env)) {
            key = new AdminApi(first.quickstart().adminUri(), "root-for-restart")
                    .create("survivor", "default", List.of("reports:read"));
            DemoAppChecks.assertHello(first.quickstart().appUri(), key.token(), key.id(), "default");
        }
        try (Running second = Running.start(env)) {
            DemoAppChecks.assertHello(second.quickstart().appUri(), key.token(), key.id(), "default");
            assertThat(new AdminApi(second.quickstart().adminUri(), "root-for-restart").get(key.id())
                    .get("usage_count").asLong()).as("uses counted before the restart were flushed on close")
                    .isGreaterThanOrEqualTo(1);
        }
    }
}
