package dev.latchkey.redis;

import dev.latchkey.testkit.RedisClusterProcess;
import dev.latchkey.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link AbstractFailoverIT} on a Redis Cluster of 3 masters and 3 replicas with {@code cluster-node-timeout 2000},
 * started once for the class. Each round kills the master of another key's slot.
 */
class ClusterFailoverIT extends AbstractFailoverIT {

    private RedisClusterProcess cluster;
    private final AtomicInteger round = new AtomicInteger();

    @BeforeAll
    void startCluster() {
        cluster = RedisClusterProcess.launch(3, 1, Duration.ofMillis(2000));
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    String uri() {
        // Seed nodes: every node, so the client can start while any one is down.
        return cluster.uri();
    }

    @Override
    Runnable killMaster() {
        RedisServerProcess master = cluster.masterOf("victim-" + round.incrementAndGet());
        master.stop();
        return master::start;
    }

    @Override
    void awaitHealthy() {
        cluster.awaitHealthy();
    }

    @Override
    String name() {
        return "cluster";
    }
}
