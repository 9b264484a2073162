package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.HistoryContract;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.ResetStarted;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.testkit.KeyStoreContract;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.LimitsContract;
import dev.latchkey.testkit.MutableClock;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.TenantConfigsContract;
import dev.latchkey.testkit.WithRedis;
import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.StorageKind;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.UsageMinute;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole {@link KeyStoreContract} and {@link LimitsContract} on {@link RedisKeyStore} over a real Redis, each test under a key prefix
 * of its own. After every test, every key and value under that prefix is read back from Redis and checked for
 * token plaintext (generated tokens, and the imported values the contract uses) before it is deleted.
 */
@WithRedis
class RedisKeyStoreIT extends KeyStoreContract implements LimitsContract, TenantConfigsContract,
        HistoryContract {

    @Override
    public KeyStore historyStore() {
        return store();
    }


    @Override
    public KeyStore configsStore() {
        return store();
    }

    /** The imported token values {@link KeyStoreContract} uses; none may ever reach Redis. */
    /** Every imported token value KeyStoreContract uses (its numbered literals, 0001 to 0010). */
    static final List<String> CONTRACT_IMPORTED_TOKENS = List.of("my-own-token-value-0001", "imported-token-0002",
            "never-imported-0003", "first-import-0004", "second-import-0005", "doomed-import-0006",
            "reusable-import-0007", "Imported+Token/Value=0008", "rotate-me-import-0009", "force-me-import-0010");

    private final RedisServer redis;

    RedisKeyStoreIT(RedisServer redis) {
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

    @Override
    protected KeyStore createPeerStore(KeyStore store) {
        return RedisKeyStore.builder()
                .uri(redis.uri())
                .keyPrefix(((RedisKeyStore) store).keyPrefix())
                .commandTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Override
    public KeyStore limitsStore() {
        return store();
    }

    @Override
    public MutableClock limitsClock() {
        return clock();
    }

    @Override
    public KeyStore openNode() {
        return createPeerStore(store());
    }

    @Override
    public void killConnections() {
        RedisValues.killClients(redis.uri());
    }

    @Override
    protected void closeStore(KeyStore store) {
        String prefix = ((RedisKeyStore) store).keyPrefix();
        store.close();
        List<String> values = RedisValues.under(redis.uri(), prefix);
        assertNoPlaintext(values);
        RedisValues.deleteUnder(redis.uri(), prefix);
    }

    @Test
    void aFlushOfManyNewKeys_readsEachRecordOnceAndEachTenantsDefaultsAndConfigOnce_andRoutesEachKey() {
        Instant now = clock().instant();
        StorageConfig week = new StorageConfig(Ids.next(), "routed", StorageKind.REDIS, 7, null, null, now, now, 1);
        store().storageConfigs().create(week);
        assertThat(store().replaceTenantDefaults(new TenantDefaults("routed", null, null, null, week.id(), 1, now), 0))
                .isTrue();
        List<String> routed = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            routed.add(manager().create(Actor.ROOT, CreateKeyRequest.named("r" + i).withTenant("routed")).key().id());
            plain.add(manager().create(Actor.ROOT, CreateKeyRequest.named("p" + i).withTenant("plain")).key().id());
        }
        long minute = Math.floorDiv(now.getEpochSecond(), 60);
        List<UsageMinute> minutes = new ArrayList<>();
        for (String id : routed) {
            minutes.add(new UsageMinute(id, minute, 1, 0, 0));
        }
        for (String id : plain) {
            minutes.add(new UsageMinute(id, minute, 1, 0, 0));
        }
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().configResetstat();
            store().recordUsage(new UsageBatch(Ids.next(), List.of(), minutes));
            String stats = c.sync().info("commandstats");

            assertThat(calls(stats, "hmget")).as("one read per record").isEqualTo(40);
            assertThat(calls(stats, "hgetall")).as("two tenants' defaults and one config").isEqualTo(3);
            String prefix = ((RedisKeyStore) store()).keyPrefix();
            long hour = Math.floorDiv(minute, 60);
            long eightDaysMs = Duration.ofDays(8).toMillis();
            assertThat(c.sync().pttl(prefix + "k:{" + routed.get(19) + "}:hm:" + hour))
                    .as("the tenant default's 7 days").isBetween(1L, eightDaysMs);
            assertThat(c.sync().pttl(prefix + "k:{" + plain.get(19) + "}:hm:" + hour))
                    .as("the default 30 days").isGreaterThan(eightDaysMs);
        } finally {
            client.shutdown();
        }
    }

    private static long calls(String commandStats, String command) {
        for (String line : commandStats.split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                int at = line.indexOf("calls=") + "calls=".length();
                return Long.parseLong(line.substring(at, line.indexOf(',', at)));
            }
        }
        return 0;
    }

    @Test
    void storedValues_holdHashesAndHints_neverTokenPlaintext() {
        IssuedKey generated = manager().create(Actor.ROOT, CreateKeyRequest.named("generated"));
        IssuedKey imported = manager().create(Actor.ROOT,
                CreateKeyRequest.named("imported").withToken("Imported+Token/Value=0008"));
        IssuedKey rotated = manager().rotate(Actor.ROOT, generated.key().id(), false, 3_600L);
        ResetStarted reset = manager().reset(Actor.ROOT, imported.key().id());
        store().recordUsage(new UsageBatch(Ids.next(),
                List.of(new UsageDelta(generated.key().id(), 3, clock().instant(), "203.0.113.7"))));

        List<String> values = RedisValues.under(redis.uri(), ((RedisKeyStore) store()).keyPrefix());

        List<String> tokens = List.of(generated.token(), imported.token(), rotated.token(), reset.token());
        assertThat(values).as("the scan reads the records").contains(
                Keys.HASHER.hash(generated.token()).hex(), Keys.HASHER.hash(rotated.token()).hex(),
                Keys.HASHER.hash(reset.token()).hex(), "203.0.113.7");
        assertThat(values).as("the scan reads the key names too").anyMatch(v -> v.contains(generated.key().id()));
        assertThat(values).noneMatch(v -> tokens.stream().anyMatch(v::contains));
        assertNoPlaintext(values);
    }

    static void assertNoPlaintext(List<String> values) {
        assertThat(values).as("values stored in Redis")
                .noneMatch(v -> RedisValues.GENERATED_TOKEN.matcher(v).find())
                .noneMatch(v -> CONTRACT_IMPORTED_TOKENS.stream().anyMatch(v::contains));
    }
}
