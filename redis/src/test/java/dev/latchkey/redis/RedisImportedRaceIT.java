package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.DuplicateKeyException;
import dev.latchkey.core.SecretHash;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for the imported-token index of {@link RedisKeyStore} under races between nodes: creates of different keys
 * with one imported token, from several stores at once, must leave exactly one key carrying that token; and a
 * claim still pending (its create between claim and record write) is never taken over.
 */
@WithRedis
class RedisImportedRaceIT {

    private static final int NODES = 4;

    private final RedisServer redis;
    private final List<RedisKeyStore> stores = new ArrayList<>();
    private String prefix = "";

    RedisImportedRaceIT(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void open() {
        prefix = redis.uniqueKeyPrefix();
        for (int i = 0; i < NODES; i++) {
            stores.add(RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix)
                    .commandTimeout(Duration.ofSeconds(5)).build());
        }
    }

    @AfterEach
    void close() {
        stores.forEach(RedisKeyStore::close);
        RedisValues.deleteUnder(redis.uri(), prefix);
    }

    @Test
    void concurrentCreates_withOneImportedToken_leaveExactlyOneKeyCarryingIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            for (int round = 0; round < 150; round++) {
                String token = "raced-import-token-" + round + "-" + prefix;
                SecretHash hash = Keys.HASHER.hash(token);
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                List<ApiKey> keys = new ArrayList<>();
                for (int i = 0; i < NODES; i++) {
                    keys.add(Keys.key("k" + i, now).current(Keys.imported(token)).build());
                }
                CyclicBarrier start = new CyclicBarrier(NODES);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < NODES; i++) {
                    RedisKeyStore store = stores.get(i);
                    ApiKey key = keys.get(i);
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            store.create(key);
                            return true;
                        } catch (DuplicateKeyException e) {
                            return false;
                        }
                    }));
                }
                List<String> created = new ArrayList<>();
                for (int i = 0; i < NODES; i++) {
                    if (results.get(i).get()) {
                        created.add(keys.get(i).id());
                    }
                }
                List<String> carrying = keys.stream().map(k -> stores.get(0).find(k.id()))
                        .flatMap(java.util.Optional::stream).filter(k -> k.carriesImported(hash))
                        .map(ApiKey::id).toList();

                assertThat(created).as("round %d: creates that succeeded", round).hasSize(1);
                assertThat(carrying).as("round %d: stored keys carrying the token", round)
                        .containsExactlyElementsOf(created);
                assertThat(stores.get(0).findByImportedHash(hash)).map(ApiKey::id)
                        .as("round %d: the key the token finds", round).contains(created.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void create_whileAnotherCreatesClaimIsPending_isDuplicate_andLeavesTheClaim() {
        String token = "pending-import-token-" + prefix;
        SecretHash hash = Keys.HASHER.hash(token);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ApiKey inFlight = Keys.key("in-flight", now).current(Keys.imported(token)).build();
        String entry = prefix + "imp:{" + hash.hex() + "}";
        // Another node's create, between its claim and its record write:
        redis.command("SET", entry, inFlight.id(), "PX", "60000");

        ApiKey racer = Keys.key("racer", now).current(Keys.imported(token)).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stores.get(0).create(racer))
                .isInstanceOf(DuplicateKeyException.class);

        assertThat(redis.command("GET", entry)).isEqualTo(inFlight.id());
        assertThat(stores.get(0).find(racer.id())).isEmpty();
    }

    @Test // a replace that lost to a delete left its fresh claim pending, blocking the value for 30 s
    void replace_thatLosesToADelete_releasesTheClaimItMade_soAnotherKeyCanImportTheValueAtOnce() {
        String token = "released-import-token-" + prefix;
        SecretHash hash = Keys.HASHER.hash(token);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ApiKey first = Keys.key("first", now).current(Keys.imported(token)).build();
        RedisKeyStore store = stores.get(0);
        store.create(first);
        assertThat(stores.get(1).delete(first.id())).isTrue();
        String entry = prefix + "imp:{" + hash.hex() + "}";
        assertThat(redis.command("GET", entry)).isNull();

        ApiKey renamed = first.toBuilder().name("renamed").version(first.version() + 1).build();
        assertThat(store.replace(renamed, first.version())).isFalse();

        assertThat(redis.command("GET", entry)).as("the failed replace's claim").isNull();
        ApiKey second = Keys.key("second", now).current(Keys.imported(token)).build();
        store.create(second);
        assertThat(store.findByImportedHash(hash)).map(ApiKey::id).contains(second.id());
        assertThat(redis.command("PTTL", entry)).isEqualTo(-1L);
    }
}
