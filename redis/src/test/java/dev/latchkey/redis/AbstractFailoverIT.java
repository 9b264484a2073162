package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Breaks the master of a replicated Redis under steady write load, with the store's default client settings, and
 * checks that writes come back without restarting anything (issue #21): within 15 s as a test bound (the 5 s goal is
 * a measured figure, printed and copied to RELIABILITY.md, because a timing assertion flakes on a shared 2-core
 * machine), that every failed write failed as {@link dev.latchkey.core.StoreUnavailableException} (the 503 path),
 * never anything else, and that no call waited much longer than the command timeout. The master is killed (its
 * connections close) or frozen (they stay open and nothing answers, as with a hung host).
 *
 * <p>One round each by default; {@code -Dlatchkey.failover.rounds=N} breaks N masters in turn (each broken node is
 * started or thawed again and rejoins as a replica before the next round) and prints the median and spread.
 */
@Tag("failover")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractFailoverIT {

    static final Duration BOUND = Duration.ofSeconds(15);
    /** How long the deployment may take to replace a master (Sentinel's TILT mode alone lasts 30 s). */
    static final Duration SWITCH_BOUND = Duration.ofMinutes(1);

    /** The URL of the deployment. */
    abstract String uri();

    /** The master to break in round {@code round} (on Cluster, of a different slot each round). */
    abstract RedisServerProcess master(int round);

    /** Waits until the deployment has put another master in place of {@code broken} (at most a minute). */
    abstract void awaitSwitch(int round, RedisServerProcess broken);

    /** Waits until the deployment is whole again after the broken node came back. */
    abstract void awaitHealthy();

    /** The name of the deployment in the printed report. */
    abstract String name();

    @Test
    void writesResumeAfterTheMasterDiesAndFailAsUnavailableMeanwhile() throws InterruptedException {
        measure("killed", RedisServerProcess::stop, RedisServerProcess::start, false);
    }

    /**
     * A frozen master keeps its connections open, so only the deployment's news moves the client (Cluster: a
     * topology refresh; Sentinel: {@code +switch-master}). How soon the deployment replaces a frozen master is its own
     * business (Sentinel waits twice the failover timeout after a previous failover, and enters TILT mode when its
     * timer stalls on a loaded machine), so here the bound runs from the new master on.
     */
    @Test
    void writesMoveToTheNewMasterWhenTheOldOneFreezes() throws InterruptedException {
        measure("frozen", RedisServerProcess::freeze, RedisServerProcess::thaw, true);
    }

    private void measure(String fault, java.util.function.Consumer<RedisServerProcess> breakIt,
            java.util.function.Consumer<RedisServerProcess> restore, boolean fromNewMaster)
            throws InterruptedException {
        int rounds = Integer.getInteger("latchkey.failover.rounds", 1);
        Duration commandTimeout = RedisKeyStore.DEFAULT_COMMAND_TIMEOUT;
        List<Double> seconds = new ArrayList<>();
        List<Double> lags = new ArrayList<>();
        try (RedisKeyStore store = RedisKeyStore.builder().uri(uri()).keyPrefix("failover-" + name() + ":")
                .build();
                FailoverLoad load = new FailoverLoad(store, 2)) {
            for (int round = 1; round <= rounds; round++) {
                load.awaitWrites(50, Duration.ofSeconds(30));
                load.reset();
                RedisServerProcess master = master(round);
                long broken = System.nanoTime();
                breakIt.accept(master);
                try {
                    awaitSwitch(round, master);
                    long switchedNanos = System.nanoTime() - broken;
                    double switched = switchedNanos / 1e9;
                    Duration bound = fromNewMaster ? BOUND.plusNanos(switchedNanos) : BOUND;
                    FailoverLoad.Outcome outcome = load.awaitRecovery(broken, bound, Duration.ofSeconds(2), 20);
                    System.out.printf(Locale.ROOT, "[failover] %s, master %s, round %d: new master after %.2f s, %s%n",
                            name(), fault, round, switched, outcome.describe());

                    assertThat(outcome.unexpected()).as("failures other than StoreUnavailableException").isEmpty();
                    assertThat(fromNewMaster ? outcome.recoverySeconds() - switched : outcome.recoverySeconds())
                            .as("seconds from the master's failure (or, frozen, the new master) to working writes")
                            .isLessThan(BOUND.toSeconds());
                    // A create is a few commands in a row, each bounded by the command timeout.
                    assertThat(outcome.slowestCall()).as("the slowest write during the failover")
                            .isLessThan(commandTimeout.multipliedBy(3).plusSeconds(1));
                    seconds.add(outcome.recoverySeconds());
                    lags.add(outcome.recoverySeconds() - switched);
                } finally {
                    restore.accept(master);
                }
                awaitHealthy();
            }
        }
        System.out.printf(Locale.ROOT, "[failover] %s, master %s: %d rounds, writes back after median %.2f s"
                + " (min %.2f, max %.2f), after the new master median %.2f s (min %.2f, max %.2f); all %s%n",
                name(), fault, seconds.size(), median(seconds), min(seconds), max(seconds), median(lags), min(lags),
                max(lags), seconds);
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
