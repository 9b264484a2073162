package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Kills the master of a replicated Redis under steady write load, with the store's default client settings, and
 * checks that writes come back without restarting anything (issue #21): within 15 s as a test bound (the 5 s goal is
 * a measured figure, printed and copied to RELIABILITY.md, because a timing assertion flakes on a shared 2-core
 * machine), that every failed write failed as {@link dev.latchkey.core.StoreUnavailableException} (the 503 path),
 * never anything else, and that no call waited much longer than the command timeout.
 *
 * <p>One round by default; {@code -Dlatchkey.failover.rounds=N} kills N masters in turn (each killed node is started
 * again and rejoins as a replica before the next round) and prints the median and spread.
 */
@Tag("failover")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractFailoverIT {

    static final Duration BOUND = Duration.ofSeconds(15);

    /** The URL of the deployment. */
    abstract String uri();

    /** Kills the current master (of some slot, on Cluster) as a crash would and returns a way to start it again. */
    abstract Runnable killMaster();

    /** Waits until the deployment is whole again after the killed node was restarted. */
    abstract void awaitHealthy();

    /** The name of the deployment in the printed report. */
    abstract String name();

    @Test
    void writesResumeAfterTheMasterDiesAndFailAsUnavailableMeanwhile() throws InterruptedException {
        int rounds = Integer.getInteger("latchkey.failover.rounds", 1);
        Duration commandTimeout = RedisKeyStore.DEFAULT_COMMAND_TIMEOUT;
        List<Double> seconds = new ArrayList<>();
        try (RedisKeyStore store = RedisKeyStore.builder().uri(uri()).keyPrefix("failover-" + name() + ":")
                .build();
                FailoverLoad load = new FailoverLoad(store, 2)) {
            for (int round = 1; round <= rounds; round++) {
                load.awaitWrites(50, Duration.ofSeconds(30));
                load.reset();
                long killed = System.nanoTime();
                Runnable restart = killMaster();
                FailoverLoad.Outcome outcome = load.awaitRecovery(killed, BOUND, Duration.ofSeconds(2), 20);
                System.out.printf(Locale.ROOT, "[failover] %s round %d: %s%n", name(), round, outcome.describe());

                assertThat(outcome.unexpected()).as("failures other than StoreUnavailableException").isEmpty();
                assertThat(outcome.recoverySeconds()).as("seconds from the master's death to working writes")
                        .isLessThan(BOUND.toSeconds());
                // A create is a few commands in a row, each bounded by the command timeout.
                assertThat(outcome.slowestCall()).as("the slowest write during the failover")
                        .isLessThan(commandTimeout.multipliedBy(3).plusSeconds(1));
                seconds.add(outcome.recoverySeconds());

                restart.run();
                awaitHealthy();
            }
        }
        List<Double> sorted = seconds.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "[failover] %s: %d rounds, median %.2f s, min %.2f s, max %.2f s, all %s%n",
                name(), sorted.size(), sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1),
                seconds);
    }
}
