package dev.latchkey.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.IOUringProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Every Lettuce option of a client the store builds itself, in one place, chosen so that a master's death costs at
 * most a few seconds of writes (issue #21) and no request ever waits longer than the command timeout:
 * <ul>
 *   <li>reconnects back off exponentially from 10 ms to {@link #reconnectDelayMax}, so a Sentinel-watched connection
 *       asks the sentinels for the master again at least that often and finds a promoted replica soon after the
 *       switch;</li>
 *   <li>commands are rejected while disconnected and time out after {@link #commandTimeout}, so callers answer 503
 *       at once instead of queueing behind a reconnect;</li>
 *   <li>TCP keepalive (and {@code TCP_USER_TIMEOUT} where Netty's native epoll transport is present) notice a peer
 *       that vanished without closing the connection;</li>
 *   <li>on Cluster: periodic topology refresh every {@link #topologyRefreshPeriod}, every adaptive trigger, a refresh
 *       after the first failed reconnect, adaptive refreshes at most every {@link #ADAPTIVE_REFRESH_MIN_INTERVAL}
 *       (Lettuce's default, 30 s, suppresses the refresh that would see the promoted replica) and a node filter that
 *       drops nodes the cluster marked failed, so nobody keeps reconnecting to a dead master.</li>
 * </ul>
 * docs/DECISIONS.md (#21) gives the figures behind each value.
 *
 * @param commandTimeout        how long one command may take
 * @param connectTimeout        the TCP connect timeout
 * @param requestQueueSize      the bound on commands in flight per connection
 * @param reconnectDelayMax     the longest wait between reconnect attempts
 * @param keepAliveIdle         idle time before TCP keepalive probes (every third of it, 3 probes)
 * @param topologyRefreshPeriod the Cluster's periodic topology refresh
 */
record ClientTuning(Duration commandTimeout, Duration connectTimeout, int requestQueueSize,
        Duration reconnectDelayMax, Duration keepAliveIdle, Duration topologyRefreshPeriod) {

    /**
     * The shortest interval between two adaptive Cluster topology refreshes: short enough that the refresh after a
     * replica's promotion is not suppressed by one made before it, long enough that a storm of reconnects costs at
     * most two refreshes a second.
     */
    static final Duration ADAPTIVE_REFRESH_MIN_INTERVAL = Duration.ofMillis(500);
    private static final Duration RECONNECT_DELAY_MIN = Duration.ofMillis(10);
    private static final int KEEPALIVE_PROBES = 3;

    /** Builds client resources with the reconnect delay and, when given, a command latency recorder. */
    ClientResources resources(@Nullable CommandLatencyRecorder recorder) {
        return ClientResources.builder()
                .reconnectDelay(Delay.exponential(RECONNECT_DELAY_MIN, reconnectDelayMax, 2, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(recorder == null ? CommandLatencyRecorder.disabled() : recorder)
                .build();
    }

    SocketOptions socket() {
        Duration interval = keepAliveIdle.dividedBy(KEEPALIVE_PROBES);
        if (interval.isZero()) {
            interval = Duration.ofSeconds(1);
        }
        SocketOptions.Builder socket = SocketOptions.builder()
                .connectTimeout(connectTimeout)
                .tcpNoDelay(true)
                .keepAlive(SocketOptions.KeepAliveOptions.builder()
                        .enable()
                        .idle(keepAliveIdle)
                        .interval(interval)
                        .count(KEEPALIVE_PROBES)
                        .build());
        if (EpollProvider.isAvailable() || IOUringProvider.isAvailable()) {
            // Unacknowledged data for this long means the peer is gone; Lettuce refuses it on the NIO transport.
            socket.tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder()
                    .enable()
                    .tcpUserTimeout(keepAliveIdle.plus(interval.multipliedBy(KEEPALIVE_PROBES)))
                    .build());
        }
        return socket.build();
    }

    /** Options of a standalone or Sentinel client. */
    ClientOptions clientOptions() {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(requestQueueSize)
                .socketOptions(socket())
                .timeoutOptions(timeouts())
                .build();
    }

    /** Options of a Cluster client. */
    ClusterClientOptions clusterOptions() {
        return ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(requestQueueSize)
                .socketOptions(socket())
                .timeoutOptions(timeouts())
                .nodeFilter(ClientTuning::usable)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(topologyRefreshPeriod)
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_MIN_INTERVAL)
                        .refreshTriggersReconnectAttempts(1)
                        .dynamicRefreshSources(true)
                        .closeStaleConnections(true)
                        .build())
                .build();
    }

    /** Every command times out after {@link #commandTimeout}, except those {@link #awaitedByCaller}. */
    TimeoutOptions timeouts() {
        long nanos = commandTimeout.toNanos();
        return TimeoutOptions.builder().timeoutCommands().timeoutSource(new TimeoutOptions.TimeoutSource() {
            @Override
            public long getTimeout(RedisCommand<?, ?, ?> command) {
                return awaitedByCaller(command) ? 0 : nanos;
            }

            @Override
            public TimeUnit getTimeUnit() {
                return TimeUnit.NANOSECONDS;
            }
        }).build();
    }

    /**
     * Whether a command's caller awaits it with its own deadline, so that it needs no timer: the record reads of a
     * listing page ({@link Connections#readRecords}), whose caller fails the page at the command timeout. A timer
     * would only cost memory: Lettuce's timer drops a cancelled timeout at its next tick, up to 100 ms later, and
     * until then the timeout holds the completed command and the record it read. A listing reading 500-key pages
     * back to back kept 20 pages of records alive that way, up to 15 MB that every young collection copied (#20).
     */
    static boolean awaitedByCaller(RedisCommand<?, ?, ?> command) {
        return command.getOutput() instanceof RecordOutput;
    }

    /**
     * A node the cluster has not given up on: not marked failed by a majority of masters, with an address. A node
     * only one peer suspects ({@code fail?}) stays: that may be a blip, and its slots would go uncovered.
     */
    static boolean usable(RedisClusterNode node) {
        return !node.is(RedisClusterNode.NodeFlag.FAIL) && !node.is(RedisClusterNode.NodeFlag.NOADDR);
    }
}
