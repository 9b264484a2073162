package dev.latchkey.redis;

import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a revoking write wait until every live node has dropped the changed key from its cache, so that an admin
 * answer to a reset, a forced rotation, a delete, a deactivation or a block means the old token is refused
 * everywhere (issue #12).
 *
 * <p>How: every store instance registers itself in {@link Layout#nodes()} (a sorted set scored by when the
 * registration lapses, refreshed every {@link #HEARTBEAT}) and acknowledges each change event of another node, on
 * {@link Layout#ackChannel()}, once its listeners (the key caches) have run. A writer announces a change id in the
 * event message, then waits, bounded by the confirm timeout, for an acknowledgement from every other live node. A node
 * that does not confirm in time is named in a warning and counted; the write still succeeds (that node's cache TTL
 * bounds how long it may serve the old key). Unlike the receiver count {@code PUBLISH} answers, the registry also
 * counts subscribers connected to other Redis Cluster nodes.
 *
 * <p>Thread-safe.
 */
final class Confirmations implements AutoCloseable {

    /** How often a node renews its registration; it lapses after three missed renewals. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(Confirmations.class);

    /** One change waiting for its acknowledgements. */
    static final class Pending {
        final String changeId;
        private final Set<String> acked = new HashSet<>();
        private @Nullable Set<String> expected;

        Pending(String changeId) {
            this.changeId = changeId;
        }

        synchronized void ack(String node) {
            acked.add(node);
            if (expected != null && acked.containsAll(expected)) {
                notifyAll();
            }
        }

        /** Waits until every expected node acknowledged; returns the nodes still missing. */
        synchronized Set<String> await(Set<String> nodes, long deadlineNanos) throws InterruptedException {
            this.expected = nodes;
            while (!acked.containsAll(nodes)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    Set<String> missing = new HashSet<>(nodes);
                    missing.removeAll(acked);
                    return missing;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return Set.of();
        }
    }

    private final String origin;
    private final Layout layout;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final Duration timeout;
    private final Duration commandTimeout;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong unconfirmed = new AtomicLong();
    private final ScheduledExecutorService heartbeat;

    Confirmations(String origin, Layout layout, RedisClusterAsyncCommands<String, String> redis, Duration timeout,
            Duration commandTimeout) {
        this.origin = origin;
        this.layout = layout;
        this.redis = redis;
        this.timeout = timeout;
        this.commandTimeout = commandTimeout;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "latchkey-redis-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins the registry, once this node is subscribed to change events: registered before the store is handed out,
     * so no change made after that can miss this node, and never before it can hear about changes.
     */
    void start() {
        try {
            Failures.await(redis.zadd(layout.nodes(), (double) lapse(), origin), commandTimeout);
        } catch (RuntimeException e) {
            LOG.warn("Could not register this node for change confirmations yet: {}", e.toString());
        }
        heartbeat.scheduleWithFixedDelay(this::register, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static long lapse() {
        return System.currentTimeMillis() + 3 * HEARTBEAT.toMillis();
    }

    private void register() {
        try {
            redis.zadd(layout.nodes(), (double) lapse(), origin);
            redis.zremrangebyscore(layout.nodes(),
                    Range.create(Double.NEGATIVE_INFINITY, (double) System.currentTimeMillis()));
        } catch (RuntimeException e) {
            LOG.debug("Could not renew this node's registration: {}", e.toString());
        }
    }

    /** Returns this node's id, as it appears in warnings and in the registry. */
    String origin() {
        return origin;
    }

    /** Registers a change before its event is published, so that no acknowledgement arrives unseen. */
    Pending expect(String changeId) {
        Pending p = new Pending(changeId);
        pending.put(changeId, p);
        return p;
    }

    /** Forgets a change whose write failed. */
    void cancel(Pending p) {
        pending.remove(p.changeId);
    }

    /** Records an acknowledgement that arrived on the ack channel. */
    void acked(String changeId, String node) {
        Pending p = pending.get(changeId);
        if (p != null) {
            p.ack(node);
        }
    }

    /**
     * Waits until every other live node acknowledged the change, at most the confirm timeout; a node that does not
     * is named in a warning and counted. Never throws for a missing acknowledgement.
     */
    void await(Pending p, String keyId) {
        try {
            if (timeout.isZero()) {
                return;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            Set<String> nodes = liveNodes();
            nodes.remove(origin);
            if (nodes.isEmpty()) {
                return;
            }
            Set<String> missing = p.await(nodes, deadline);
            if (!missing.isEmpty()) {
                unconfirmed.addAndGet(missing.size());
                LOG.warn("Node(s) {} did not confirm within {} ms that they dropped key {}; their caches may serve it"
                        + " until their cache TTL ends", missing, timeout.toMillis(), keyId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Could not wait for other nodes to confirm the change of key {}: {}", keyId, e.toString());
        } finally {
            pending.remove(p.changeId);
        }
    }

    private Set<String> liveNodes() {
        List<ScoredValue<String>> live = Failures.await(redis.zrangebyscoreWithScores(layout.nodes(),
                Range.create((double) System.currentTimeMillis(), Double.POSITIVE_INFINITY)), commandTimeout);
        Set<String> nodes = new HashSet<>();
        for (ScoredValue<String> v : live) {
            nodes.add(v.getValue());
        }
        return nodes;
    }

    /** Returns how many node confirmations were missed so far. */
    long unconfirmed() {
        return unconfirmed.get();
    }

    /** Stops renewing and leaves the registry, so writers stop waiting for this node. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Leave promptly: a close must not wait on a stalled Redis; a registration left behind lapses by itself.
        try {
            redis.zrem(layout.nodes(), origin).toCompletableFuture().get(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | RuntimeException e) {
            LOG.debug("Could not leave the node registry: {}", e.toString());
        }
    }
}
