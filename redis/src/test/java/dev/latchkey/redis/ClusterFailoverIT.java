package dev.latchkey.redis;

import dev.latchkey.testkit.RedisClusterProcess;
import dev.latchkey.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link AbstractFailoverIT} on a Redis Cluster of 3 masters and 3 replicas with {@code cluster-node-timeout 2000},
 * started once for the class. Each round breaks the master of another key's slot.
 */
class ClusterFailoverIT extends AbstractFailoverIT {

    private RedisClusterProcess cluster;
    private int tests;

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

    private String victim(int round) {
        return "victim-" + tests + "-" + round;
    }

    @Override
    RedisServerProcess master(int round) {
        if (round == 1) {
            tests++;
        }
        return cluster.masterOf(victim(round));
    }

    @Override
    void awaitSwitch(int round, RedisServerProcess broken) {
        long deadline = System.nanoTime() + SWITCH_BOUND.toNanos();
        while (true) {
            try {
                if (cluster.masterOf(victim(round)) != broken) {
                    return;
                }
            } catch (IllegalStateException e) {
                // the slot has no healthy master while the cluster decides
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the cluster did not promote a replica within " + SWITCH_BOUND);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
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
