package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Tests for {@link WithRedis}: the servers it injects are real, apart, restartable and clustered as promised. */
class RedisExtensionIT {

    @Nested
    @WithRedis
    class Shared {

        @Test
        void sharedServer_answersPing(RedisServer redis) {
            assertThat(redis.command("PING")).isEqualTo("PONG");
            assertThat(redis.uri()).startsWith("redis");
            assertThat(redis.isRunning()).isTrue();
        }

        @Test
        void sharedServer_isTheSameAcrossTests(RedisServer a, RedisServer b) {
            assertThat(a).isSameAs(b);
        }

        @Test
        void uniqueKeyPrefix_neverRepeats(RedisServer redis) {
            String first = redis.uniqueKeyPrefix();
            String second = redis.uniqueKeyPrefix();
            assertThat(first).isNotEqualTo(second).endsWith(":");
            redis.command("SET", first + "k", "1");
            assertThat(redis.command("GET", second + "k")).isNull();
            assertThat(redis.command("GET", first + "k")).isEqualTo("1");
            redis.command("DEL", first + "k");
        }

        @Test
        void uriWithDatabase_namesThatDatabase(RedisServer redis) {
            assertThat(redis.uri(3)).endsWith("/3");
        }
    }

    @Nested
    @WithRedis(isolated = true)
    class Isolated {

        @Test
        void stopAndStart_keepThePort(RedisServer redis) {
            org.junit.jupiter.api.Assumptions.assumeTrue(redis.restartable(), "needs a Redis process of our own");
            int port = redis.port();
            redis.command("SET", "before", "1");

            redis.stop();
            assertThat(redis.isRunning()).isFalse();

            redis.start();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.command("GET", "before")).as("no persistence").isNull();
        }
    }

    @Nested
    @WithRedis
    class Cluster {

        @Test
        void cluster_hasThreeMastersInStateOk(RedisCluster cluster) throws Exception {
            assertThat(cluster.nodes()).hasSize(3);
            assertThat(cluster.uri().split(",")).hasSize(3).allMatch(u -> u.startsWith("redis://127.0.0.1:"));
            for (String node : cluster.nodes()) {
                String[] hp = node.split(":");
                Object info = Resp.command(hp[0], Integer.parseInt(hp[1]), null, Duration.ofSeconds(5), "CLUSTER",
                        "INFO");
                assertThat((String) info).contains("cluster_state:ok").contains("cluster_size:3");
            }
            String[] first = cluster.nodes().get(0).split(":");
            Object slots = Resp.command(first[0], Integer.parseInt(first[1]), null, Duration.ofSeconds(5), "CLUSTER",
                    "SLOTS");
            assertThat((List<?>) slots).hasSize(3);
        }
    }
}
