package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for how {@link RedisKeyStore} reports a Redis that answers but refuses to serve (out of memory), a store
 * closed under a caller's feet, and what threads a closed store leaves behind. Runs on a Redis process of its own,
 * because it changes the server's configuration.
 */
@WithRedis(isolated = true)
class RedisKeyStoreFailuresIT {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final RedisServer redis;
    private String prefix = "";

    RedisKeyStoreFailuresIT(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void prefix() {
        assumeTrue(redis.restartable(), "needs a Redis process of its own");
        redis.start();
        prefix = redis.uniqueKeyPrefix();
    }

    @AfterEach
    void restore() {
        redis.command("CONFIG", "SET", "maxmemory", "0");
    }

    private RedisKeyStore open() {
        // The connection handshake shares the 500 ms command timeout; on a loaded machine a freshly started Redis
        // can miss it once, which is not what these tests are about: try a few times.
        StoreUnavailableException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix).commandTimeout(TIMEOUT)
                        .connectTimeout(TIMEOUT).reconnectDelayMax(Duration.ofMillis(50)).build();
            } catch (StoreUnavailableException e) {
                last = e;
            }
        }
        throw last;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void redisOutOfMemory_writesFailWithStoreUnavailable_readsStillWork() {
        try (RedisKeyStore store = open()) {
            ApiKey k = Keys.minimal(now());
            store.create(k);
            redis.command("CONFIG", "SET", "maxmemory", "1");

            assertThatThrownBy(() -> store.create(Keys.minimal(now())))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("OOM");
            assertThatThrownBy(() -> store.recordUsage(new UsageBatch(Ids.next(),
                    List.of(new UsageDelta(k.id(), 1, now(), null)))))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(store.find(k.id())).contains(k);
        }
    }

    @Test
    void close_whileACallWaitsOnRedis_failsThatCallWithStoreUnavailable() throws Exception {
        RedisKeyStore store = open();
        store.ping();
        CompletableFuture<Object> pause = CompletableFuture.supplyAsync(
                () -> redis.command("CLIENT", "PAUSE", "1000", "ALL"));
        await().atMost(Duration.ofSeconds(2)).until(pause::isDone);
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> store.find(Ids.next()));
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);

        store.close();

        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void close_leavesNoThreadBehind() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        RedisKeyStore store = open();
        store.subscribe(e -> { });
        ApiKey k = Keys.minimal(now());
        store.create(k);
        Set<String> started = threadsNotIn(before);
        assertThat(started).as("threads the store started").isNotEmpty();

        store.close();

        // close() waits until Lettuce's executors have terminated; a terminated executor's thread may still take a
        // moment to leave run(), so this allows a short grace instead of sampling the thread list at one instant.
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(threadsNotIn(before))
                .as("threads of Lettuce and the store just after close")
                .noneMatch(n -> n.startsWith("lettuce") || n.startsWith("latchkey")));
        // Netty's globalEventExecutor is a JVM-wide helper that stops by itself after a second of idleness.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(threadsNotIn(before)).isEmpty());
    }

    private static Set<String> threadsNotIn(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .filter(t -> !t.getName().startsWith("ForkJoinPool") && !t.getName().startsWith("awaitility"))
                .map(Thread::getName).collect(Collectors.toSet());
    }
}
