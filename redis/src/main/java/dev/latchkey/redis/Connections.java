package dev.latchkey.redis;

import dev.latchkey.core.StoreUnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The Lettuce side of the store: client resources, one client (standalone/Sentinel or Cluster), one command
 * connection shared by all threads (Lettuce connections are thread-safe and pipeline naturally) and one pub/sub
 * connection. Every client setting is chosen here on purpose; see {@link RedisStoreOptions} for why.
 *
 * <p>On a client the application owns ({@link #onClient}) only the two connections are the store's: closing closes
 * them and leaves the client and its {@link ClientResources} running.
 */
final class Connections implements AutoCloseable {

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final boolean ownsClient;
    private final String description;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterAsyncCommands<String, String> async;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private @Nullable SentinelWatch sentinelWatch;

    private Connections(AbstractRedisClient client, boolean ownsClient, String description,
            StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> async,
            StatefulRedisPubSubConnection<String, String> pubSub) {
        this.resources = client.getResources();
        this.client = client;
        this.ownsClient = ownsClient;
        this.description = description;
        this.connection = connection;
        this.async = async;
        this.pubSub = pubSub;
    }

    /**
     * Connects.
     *
     * @throws StoreUnavailableException when Redis cannot be reached
     */
    static Connections open(RedisTarget target, RedisStoreOptions s, CommandLatencyRecorder latencies) {
        ClientTuning tuning = new ClientTuning(s.commandTimeout(), s.connectTimeout(), s.requestQueueSize(),
                s.reconnectDelayMax(), s.keepAliveIdle(), s.topologyRefreshPeriod());
        ClientResources resources = tuning.resources(latencies);
        AbstractRedisClient client = null;
        try {
            if (target.cluster()) {
                RedisClusterClient cc = RedisClusterClient.create(resources, target.uris());
                cc.setOptions(tuning.clusterOptions());
                client = cc;
                return cluster(cc, true, target.describe());
            }
            RedisURI uri = target.uris().get(0);
            RedisClient rc = RedisClient.create(resources, uri);
            rc.setOptions(tuning.clientOptions());
            client = rc;
            StatefulRedisConnection<String, String> conn = rc.connect();
            StatefulRedisPubSubConnection<String, String> pubSub = rc.connectPubSub();
            Connections c = new Connections(rc, true, target.describe(), conn, conn.async(), pubSub);
            if (!uri.getSentinels().isEmpty()) {
                c.sentinelWatch = SentinelWatch.start(rc, uri, List.of(conn, pubSub));
            }
            return c;
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
            shutdown(resources);
            if (e instanceof RedisException) {
                throw new StoreUnavailableException("cannot connect to " + target.describe() + ": " + e.getMessage(),
                        e);
            }
            throw e;
        }
    }

    /**
     * Opens the store's two connections on a client the application owns, to {@code uri} or, when it is null, to
     * the client's own default URI (a {@link RedisClusterClient} always uses its seed nodes). The client's options
     * and resources stay as they are; only the command timeout of the two new connections is set.
     *
     * @throws StoreUnavailableException when Redis cannot be reached
     * @throws IllegalStateException     when a {@link RedisClient} has no default URI and none is given, or the
     *     client is shut down
     */
    static Connections onClient(AbstractRedisClient client, @Nullable RedisURI uri, Duration commandTimeout) {
        String description = uri != null ? new RedisTarget(false, List.of(uri)).describe()
                : client instanceof RedisClusterClient ? "Redis Cluster" : "Redis";
        description += " (on the application's Lettuce client)";
        StatefulConnection<String, String> opened = null;
        try {
            Connections c;
            if (client instanceof RedisClusterClient cc) {
                c = cluster(cc, false, description);
            } else {
                RedisClient rc = (RedisClient) client;
                StatefulRedisConnection<String, String> conn = uri == null ? rc.connect() : rc.connect(uri);
                opened = conn;
                c = new Connections(rc, false, description, conn, conn.async(),
                        uri == null ? rc.connectPubSub() : rc.connectPubSub(uri));
            }
            c.connection.setTimeout(commandTimeout);
            c.pubSub.setTimeout(commandTimeout);
            return c;
        } catch (RuntimeException e) {
            closeQuietly(opened);
            if (e instanceof RedisException) {
                throw new StoreUnavailableException("cannot connect to " + description + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Connects to a cluster, command connection first, then the pub/sub one; closes the first if the second fails. */
    private static Connections cluster(RedisClusterClient cc, boolean ownsClient, String description) {
        StatefulRedisClusterConnection<String, String> conn = cc.connect();
        try {
            // Lettuce opens node connections lazily, and with REJECT_COMMANDS the first command to a node whose
            // connection is still opening is rejected: open them all now (keyed by host and port, as slot
            // routing looks them up).
            for (RedisClusterNode node : conn.getPartitions()) {
                conn.getConnection(node.getUri().getHost(), node.getUri().getPort());
            }
            return new Connections(cc, ownsClient, description, conn, conn.async(), cc.connectPubSub());
        } catch (RuntimeException e) {
            closeQuietly(conn);
            throw e;
        }
    }

    /** Describes what the store runs on, for logs, without credentials. */
    String describe() {
        return description;
    }

    /**
     * Reads many key records ({@code HGETALL}) with one write to the connection, so a page of records costs one flush
     * and about one round trip (on Cluster each command still goes to its slot's node), each decoded by a
     * {@link RecordOutput}. A command that cannot be sent fails its future. Lettuce puts these reads on no timer
     * ({@link ClientTuning#awaitedByCaller}): the caller awaits each with the command timeout.
     */
    List<CompletableFuture<Map<String, String>>> readRecords(List<String> keys) {
        List<AsyncCommand<String, String, Map<String, String>>> commands = new ArrayList<>(keys.size());
        for (String key : keys) {
            commands.add(new AsyncCommand<>(new Command<>(CommandType.HGETALL, new RecordOutput(),
                    new CommandArgs<>(StringCodec.UTF8).addKey(key))));
        }
        try {
            connection.dispatch(commands);
        } catch (RuntimeException e) {
            commands.forEach(c -> c.completeExceptionally(e));
        }
        return new ArrayList<>(commands);
    }

    RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    StatefulRedisPubSubConnection<String, String> pubSub() {
        return pubSub;
    }

    boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        if (sentinelWatch != null) {
            sentinelWatch.close();
        }
        closeQuietly(pubSub);
        closeQuietly(connection);
        if (ownsClient) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            shutdown(resources);
        }
    }

    /**
     * Shuts the client resources down and waits for their threads to end: {@code ClientResources.shutdown} only
     * starts that, and a container that checks for leftover threads right after an application stops (Tomcat does)
     * would otherwise find Lettuce's event loops still running.
     */
    private static void shutdown(ClientResources resources) {
        try {
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Best effort: the threads are daemons and end with the event loops anyway.
        }
    }

    private static void closeQuietly(@Nullable StatefulConnection<?, ?> c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (RuntimeException ignored) {
            // closing a broken connection may fail; the client shutdown releases it anyway
        }
    }
}
