package dev.latchkey.redis;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandExpiryWriter;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Sentinel's {@code +switch-master} announcements for the store's master and drops the store's connections
 * when the master changes, so they reconnect at once and the reconnect asks the sentinels where the master is now.
 *
 * <p>A master that died closes its connections by itself and the reconnect loop finds the new master; this watch
 * covers the master that is still reachable but no longer master (frozen, partitioned away, demoted by an operator):
 * without it the store would keep writing to a replica, which answers {@code READONLY}, or to a peer that never
 * answers. Each sentinel announces the switch, so a switch is acted on once per new address.
 */
final class SentinelWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SentinelWatch.class);
    private static final String CHANNEL = "+switch-master";

    private final String masterId;
    private final List<StatefulConnection<?, ?>> watched;
    private final List<StatefulRedisPubSubConnection<String, String>> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> lastMaster = new AtomicReference<>("");
    private volatile boolean closed;

    private SentinelWatch(String masterId, List<StatefulConnection<?, ?>> watched) {
        this.masterId = masterId;
        this.watched = List.copyOf(watched);
    }

    /**
     * Subscribes to every sentinel of {@code target} (asynchronously: a sentinel that is down now is skipped with a
     * warning, the others suffice) and drops {@code watched} on a switch.
     */
    static SentinelWatch start(RedisClient client, RedisURI target, List<StatefulConnection<?, ?>> watched) {
        SentinelWatch watch = new SentinelWatch(Objects.requireNonNull(target.getSentinelMasterId()), watched);
        for (RedisURI sentinel : target.getSentinels()) {
            client.connectPubSubAsync(StringCodec.UTF8, sentinel).whenComplete((conn, failure) -> {
                if (failure != null) {
                    LOG.warn("Cannot follow Sentinel at {}:{} for master switches: {}", sentinel.getHost(),
                            sentinel.getPort(), failure.getMessage());
                    return;
                }
                watch.subscribed(conn);
            });
        }
        return watch;
    }

    private void subscribed(StatefulRedisPubSubConnection<String, String> conn) {
        if (closed) {
            conn.closeAsync();
            return;
        }
        subscriptions.add(conn);
        conn.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                onSwitch(message);
            }
        });
        conn.async().subscribe(CHANNEL);
    }

    /** {@code message} is {@code <master-name> <old-ip> <old-port> <new-ip> <new-port>}. */
    void onSwitch(String message) {
        String[] f = message.split(" ");
        if (f.length != 5 || !f[0].equals(masterId)) {
            return;
        }
        String now = f[3] + ":" + f[4];
        if (now.equals(lastMaster.getAndSet(now))) {
            return;
        }
        LOG.warn("Sentinel switched master {} from {}:{} to {}; reconnecting", masterId, f[1], f[2], now);
        for (StatefulConnection<?, ?> c : watched) {
            DefaultEndpoint endpoint = endpoint(c);
            if (endpoint != null) {
                endpoint.disconnect();
            }
        }
    }

    /** The endpoint under Lettuce's writer wrappers (command expiry), whose channel a disconnect closes. */
    private static @Nullable DefaultEndpoint endpoint(StatefulConnection<?, ?> c) {
        if (!(c instanceof io.lettuce.core.RedisChannelHandler<?, ?> handler)) {
            return null;
        }
        RedisChannelWriter writer = handler.getChannelWriter();
        // CommandExpiryWriter (command timeouts) wraps the endpoint; its getDelegate() is public on 6.8 and 7.x.
        while (writer instanceof CommandExpiryWriter expiry) {
            writer = expiry.getDelegate();
        }
        return writer instanceof DefaultEndpoint e ? e : null;
    }

    @Override
    public void close() {
        closed = true;
        for (StatefulRedisPubSubConnection<String, String> c : subscriptions) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // the client shutdown releases it anyway
            }
        }
    }

    /** Whether a writer chain ends in an endpoint this watch can drop (for tests). */
    static boolean canDrop(StatefulConnection<?, ?> c) {
        return endpoint(c) != null;
    }
}
