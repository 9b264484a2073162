package dev.latchkey.redis;

import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyEventListener;
import dev.latchkey.core.Subscription;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change events: delivered at once to this node's listeners (on the thread that made the change), and to other
 * nodes through Redis pub/sub. The mutation scripts publish {@code <origin>|<TYPE>|<key id>|<version>} in the same
 * atomic step that writes the record, so no committed change goes unannounced. A node ignores its own messages
 * (it told its listeners already) and hands the others to one event thread, in order, off Lettuce's I/O threads so
 * that a listener may call the store.
 *
 * <p>Pub/sub is at-most-once: messages sent while the subscription is down are lost. Lettuce re-subscribes after a
 * reconnect, and every confirmation of our channel after the first means exactly that, so listeners then get
 * {@link KeyEvent#allStale()} and clear their caches.
 *
 * <p>Why not RESP3 client-side tracking: it invalidates on any write to a tracked key, so every usage flush of a busy
 * key would evict it on every node; it follows keys, not API keys (deletes and index entries are noise); and on
 * Cluster it needs a tracking connection per node. Explicit events say exactly what changed, carry the version and
 * work the same on standalone, Sentinel and Cluster.
 *
 * <p>An event that carries a change id is acknowledged on the ack channel once this node's listeners ran, so the
 * writer can wait until every live node dropped the key ({@link Confirmations}).
 */
final class Events implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final String origin;
    private final String channel;
    private final String ackChannel;
    private final Confirmations confirmations;
    private final RedisClusterAsyncCommands<String, String> publisher;
    private final CopyOnWriteArrayList<KeyEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatcher;
    private final AtomicBoolean subscribedOnce = new AtomicBoolean();
    private final StatefulRedisPubSubConnection<String, String> pubSub;

    Events(String origin, Layout layout, StatefulRedisPubSubConnection<String, String> pubSub,
            RedisClusterAsyncCommands<String, String> publisher, Confirmations confirmations, Duration timeout) {
        this.origin = origin;
        this.channel = layout.channel();
        this.ackChannel = layout.ackChannel();
        this.publisher = publisher;
        this.confirmations = confirmations;
        this.pubSub = pubSub;
        this.dispatcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "latchkey-redis-events");
            t.setDaemon(true);
            return t;
        });
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                if (channel.equals(ch)) {
                    received(message);
                } else if (ackChannel.equals(ch)) {
                    int bar = message.indexOf('|');
                    if (bar > 0) {
                        confirmations.acked(message.substring(0, bar), message.substring(bar + 1));
                    }
                }
            }

            @Override
            public void subscribed(String ch, long count) {
                if (channel.equals(ch) && subscribedOnce.getAndSet(true)) {
                    LOG.info("Re-subscribed to {} after a reconnect: telling listeners everything may be stale",
                            channel);
                    dispatch(KeyEvent.allStale());
                }
            }
        });
        Failures.await(pubSub.async().subscribe(channel, ackChannel), timeout);
    }

    /**
     * Returns the text a mutation script publishes for an event of this node; for
     * {@link KeyEvent.Type#TENANT_DEFAULTS_CHANGED} the id is the tenant's.
     */
    String message(KeyEvent.Type type, String keyId, long version) {
        return origin + "|" + type.name() + "|" + keyId + "|" + version;
    }

    /**
     * Returns the text of an event whose receivers acknowledge it under {@code changeId} once their listeners ran
     * (see {@link Confirmations}).
     */
    String message(KeyEvent.Type type, String keyId, long version, String changeId) {
        return message(type, keyId, version) + "|" + changeId;
    }

    /** Parses a message: {@code origin|TYPE|key id|version} with an optional {@code |change id}. */
    static @Nullable KeyEvent parse(String message, String[] originOut) {
        String[] parts = message.split("\\|", -1);
        if (parts.length != 4 && parts.length != 5) {
            return null;
        }
        try {
            KeyEvent.Type type = KeyEvent.Type.valueOf(parts[1]);
            originOut[0] = parts[0];
            originOut[1] = parts.length == 5 ? parts[4] : null;
            if (type == KeyEvent.Type.ALL_STALE) {
                return KeyEvent.allStale();
            }
            if (type == KeyEvent.Type.TENANT_DEFAULTS_CHANGED) {
                return KeyEvent.tenantDefaultsChanged(parts[2], Long.parseLong(parts[3]));
            }
            return KeyEvent.of(type, parts[2], Long.parseLong(parts[3]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void received(String message) {
        String[] from = new String[2];
        KeyEvent event = parse(message, from);
        if (event == null) {
            LOG.warn("Ignoring a malformed message on {}", channel);
            return;
        }
        if (!origin.equals(from[0])) {
            String changeId = from[1];
            try {
                dispatcher.execute(() -> {
                    deliver(event);
                    if (changeId != null) {
                        // The listeners (key caches) have dropped the key: tell the writer.
                        publisher.publish(ackChannel, changeId + "|" + origin);
                    }
                });
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
    }

    private void dispatch(KeyEvent event) {
        try {
            dispatcher.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** Delivers an event of this node to its listeners, on the calling thread. */
    void local(KeyEvent event) {
        deliver(event);
    }

    private void deliver(KeyEvent event) {
        for (KeyEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("A key event listener failed on {}", event, e);
            }
        }
    }

    Subscription subscribe(KeyEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        listeners.clear();
        dispatcher.shutdownNow();
    }
}
