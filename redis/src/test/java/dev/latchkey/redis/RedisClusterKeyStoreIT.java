package dev.latchkey.redis;

import dev.latchkey.core.KeyStore;
import dev.latchkey.testkit.KeyStoreContract;
import dev.latchkey.testkit.LimitsContract;
import dev.latchkey.testkit.MutableClock;
import dev.latchkey.testkit.RedisCluster;
import dev.latchkey.testkit.WithRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the whole {@link KeyStoreContract} and {@link LimitsContract} on {@link RedisKeyStore} over a real three-master Redis Cluster, so every
 * script is shown to touch one slot only and the index scopes work across nodes. After each test every node's
 * values under the test's prefix are checked for token plaintext.
 */
@WithRedis
class RedisClusterKeyStoreIT extends KeyStoreContract implements LimitsContract {

    private final RedisCluster cluster;

    RedisClusterKeyStoreIT(RedisCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    protected KeyStore createStore() {
        return open(cluster.uniqueKeyPrefix());
    }

    @Override
    protected KeyStore createPeerStore(KeyStore store) {
        return open(((RedisKeyStore) store).keyPrefix());
    }

    private RedisKeyStore open(String prefix) {
        return RedisKeyStore.builder()
                .uri(cluster.uri())
                .keyPrefix(prefix)
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
        for (String node : cluster.nodes()) {
            RedisValues.killClients("redis://" + node);
        }
    }

    @Override
    public int concurrencyRounds() {
        return 8;
    }

    @Override
    protected void closeStore(KeyStore store) {
        String prefix = ((RedisKeyStore) store).keyPrefix();
        store.close();
        List<String> values = new ArrayList<>();
        for (String node : cluster.nodes()) {
            values.addAll(RedisValues.under("redis://" + node, prefix));
            RedisValues.deleteUnder("redis://" + node, prefix);
        }
        RedisKeyStoreIT.assertNoPlaintext(values);
    }
}
