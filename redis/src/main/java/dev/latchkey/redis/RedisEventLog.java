package dev.latchkey.redis;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.Page;
import dev.latchkey.core.events.Delivery;
import dev.latchkey.core.events.DeliveryStatus;
import dev.latchkey.core.events.EventIds;
import dev.latchkey.core.events.EventLog;
import dev.latchkey.core.events.OutboxEvent;
import dev.latchkey.core.events.StreamedEvent;
import io.lettuce.core.Consumer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis store's {@link EventLog}.
 *
 * <p><b>Outbox.</b> Each key's events sit in a hash in the key's own slot ({@link Layout#outbox}), written by the
 * same script that commits the change, so on Cluster the change and its event are one atomic step. The node that
 * made the change then relays the entry at once ({@code XADD} to the stream, then {@code HDEL}), without making the
 * admin call wait. A crash between the commit and the relay leaves the entry in the outbox; {@link #relay} (run by
 * every admin node at start and periodically) finds such leftovers with a cluster-wide {@code SCAN} and relays
 * them. Relaying twice (two nodes, or a crash between {@code XADD} and {@code HDEL}) streams an event twice; the
 * delivery id is a function of event and config, so the second copy creates nothing.
 *
 * <p><b>Stream.</b> One stream ({@link Layout#eventStream}) read by the consumer group {@value EventLog#GROUP}:
 * {@code XREADGROUP} gives each entry to one node; {@code XAUTOCLAIM} hands an entry whose reader died before
 * {@code XACK} to another. Reads do not block (the connection is shared); the sender polls.
 *
 * <p><b>Deliveries.</b> A JSON record per delivery (kept {@link #RETENTION}), a per-config index by creation time,
 * and one sorted set of due attempts; {@code delivery-claim.lua} leases due ones to one node at a time.
 */
final class RedisEventLog implements EventLog {

    /** How long delivery records and raised-event markers are kept. */
    static final Duration RETENTION = Duration.ofDays(30);
    /** How many entries the stream keeps (approximately) once they are acknowledged. */
    static final long STREAM_MAX = 1_000_000;
    /** The most deliveries a status-filtered listing of one config looks through. */
    static final int MAX_FILTERED = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(RedisEventLog.class);
    private static final Script RAISE = Script.load("event-raise");
    private static final Script CLAIM = Script.load("delivery-claim");
    private static final Script EXPIRY_HANDLED = Script.load("expiry-handled");

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Layout layout;
    private final Duration timeout;
    private volatile boolean groupReady;

    RedisEventLog(RedisClusterAsyncCommands<String, String> redis, Layout layout, Duration timeout) {
        this.redis = redis;
        this.layout = layout;
        this.timeout = timeout;
    }

    // ------------------------------------------------------------------ outbox and stream

    /** Relays an event just committed, without waiting; a failure leaves it to {@link #relay}. */
    void relaySoon(String keyId, @Nullable OutboxEvent event) {
        if (event != null) {
            relayEntry(layout.outbox(keyId), event.id(), event.encode()).exceptionally(e -> {
                LOG.debug("Event {} stays in its outbox until the next relay scan: {}", event.id(), e.toString());
                return null;
            });
        }
    }

    private CompletableFuture<Long> relayEntry(String outbox, String eventId, String encoded) {
        return redis.xadd(layout.eventStream(), XAddArgs.Builder.maxlen(STREAM_MAX).approximateTrimming(), "e",
                encoded).toCompletableFuture().thenCompose(id -> redis.hdel(outbox, eventId).toCompletableFuture());
    }

    /** Files a key under its expiry (or takes it out when it has none). */
    CompletableFuture<Long> indexExpiry(ApiKey key) {
        Instant at = key.expiresAt();
        return at == null ? unindexExpiry(key.id())
                : redis.zadd(layout.expiryIndex(), (double) at.toEpochMilli(), key.id()).toCompletableFuture();
    }

    CompletableFuture<Long> unindexExpiry(String keyId) {
        return redis.zrem(layout.expiryIndex(), keyId).toCompletableFuture();
    }

    @Override
    public boolean raiseOnce(OutboxEvent event) {
        Long raised = await(RAISE.run(redis, ScriptOutputType.INTEGER,
                new String[] {layout.raised(event.keyId()), layout.outbox(event.keyId())}, event.id(),
                event.encode(), Long.toString(RETENTION.toSeconds())));
        if (raised != null && raised == 1) {
            relaySoon(event.keyId(), event);
            return true;
        }
        return false;
    }

    @Override
    public int relay(Duration minAge) {
        long before = System.currentTimeMillis() - minAge.toMillis();
        int moved = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs args = ScanArgs.Builder.matches(layout.outboxPattern()).limit(1_000);
        do {
            KeyScanCursor<String> page = await(redis.scan(cursor, args));
            for (String outbox : page.getKeys()) {
                Map<String, String> entries = await(redis.hgetall(outbox));
                for (Map.Entry<String, String> e : entries.entrySet()) {
                    OutboxEvent event;
                    try {
                        event = OutboxEvent.decode(e.getValue());
                    } catch (IllegalArgumentException bad) {
                        LOG.warn("Dropping a malformed outbox entry {} of {}", e.getKey(), outbox);
                        await(redis.hdel(outbox, e.getKey()));
                        continue;
                    }
                    if (event.occurredAt().toEpochMilli() <= before) {
                        await(relayEntry(outbox, e.getKey(), e.getValue()));
                        moved++;
                    }
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return moved;
    }

    private void ensureGroup() {
        if (groupReady) {
            return;
        }
        try {
            await(redis.xgroupCreate(XReadArgs.StreamOffset.from(layout.eventStream(), "0"), GROUP,
                    XGroupCreateArgs.Builder.mkstream()));
        } catch (RedisBusyException e) {
            // BUSYGROUP: another node (or an earlier run) made it
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
                throw e;
            }
        }
        groupReady = true;
    }

    @Override
    public List<StreamedEvent> read(String consumer, int max, Duration claimIdle, Duration block) {
        ensureGroup();
        Consumer<String> me = Consumer.from(GROUP, consumer);
        List<StreamMessage<String, String>> messages = new ArrayList<>(await(redis.xautoclaim(layout.eventStream(),
                XAutoClaimArgs.Builder.xautoclaim(me, claimIdle, "0-0").count(max))).getMessages());
        if (messages.size() < max) {
            messages.addAll(await(redis.xreadgroup(me, XReadArgs.Builder.count(max - messages.size()),
                    XReadArgs.StreamOffset.lastConsumed(layout.eventStream()))));
        }
        List<StreamedEvent> out = new ArrayList<>(messages.size());
        for (StreamMessage<String, String> m : messages) {
            String text = m.getBody() == null ? null : m.getBody().get("e");
            try {
                out.add(new StreamedEvent(m.getId(), OutboxEvent.decode(String.valueOf(text))));
            } catch (IllegalArgumentException e) {
                LOG.warn("Acknowledging a malformed stream entry {}", m.getId());
                await(redis.xack(layout.eventStream(), GROUP, m.getId()));
            }
        }
        return out;
    }

    @Override
    public void ack(StreamedEvent event) {
        await(redis.xack(layout.eventStream(), GROUP, event.streamId()));
    }

    @Override
    public long pending() {
        ensureGroup();
        List<Object> groups = await(redis.xinfoGroups(layout.eventStream()));
        long total = 0;
        for (Object g : groups) {
            if (g instanceof List<?> fields) {
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    String name = String.valueOf(fields.get(i));
                    if ((name.equals("pending") || name.equals("lag")) && fields.get(i + 1) instanceof Number n) {
                        total += n.longValue();
                    }
                }
            }
        }
        return total;
    }

    // ------------------------------------------------------------------ deliveries

    @Override
    public boolean createDelivery(Delivery delivery) {
        String created = await(redis.set(layout.delivery(delivery.id()), DeliveryCodec.encode(delivery),
                SetArgs.Builder.nx().px(RETENTION.toMillis())));
        boolean fresh = "OK".equals(created);
        Delivery stored = fresh ? delivery : delivery(delivery.id()).orElse(delivery);
        // Re-filing is harmless: a create that crashed after its record still gets indexed and scheduled.
        List<CompletableFuture<Long>> pending = new ArrayList<>();
        pending.add(redis.zadd(layout.deliveryIndex(stored.configId()), ZAddArgs.Builder.nx(),
                (double) stored.createdAt().toEpochMilli(), stored.id()).toCompletableFuture());
        if (stored.status() == DeliveryStatus.PENDING && stored.nextAttemptAt() != null) {
            pending.add(redis.zadd(layout.dueDeliveries(), ZAddArgs.Builder.nx(),
                    (double) stored.nextAttemptAt().toEpochMilli(), stored.id()).toCompletableFuture());
        }
        pending.forEach(this::await);
        return fresh;
    }

    @Override
    public void saveDelivery(Delivery delivery) {
        await(redis.set(layout.delivery(delivery.id()), DeliveryCodec.encode(delivery),
                SetArgs.Builder.px(RETENTION.toMillis())));
        Instant next = delivery.nextAttemptAt();
        if (delivery.status() == DeliveryStatus.PENDING && next != null) {
            await(redis.zadd(layout.dueDeliveries(), (double) next.toEpochMilli(), delivery.id()));
        } else {
            await(redis.zrem(layout.dueDeliveries(), delivery.id()));
        }
    }

    @Override
    public Optional<Delivery> delivery(String id) {
        String text = await(redis.get(layout.delivery(id)));
        return text == null ? Optional.empty() : Optional.of(DeliveryCodec.decode(text));
    }

    @Override
    public Page<Delivery> deliveries(String configId, @Nullable DeliveryStatus status, int offset, int limit) {
        String index = layout.deliveryIndex(configId);
        if (status == null) {
            long total = await(redis.zcard(index));
            List<Delivery> page = load(index, await(redis.zrevrange(index, offset, (long) offset + limit - 1)));
            return new Page<>(page, total, offset, limit);
        }
        List<Delivery> all = load(index, await(redis.zrevrange(index, 0, MAX_FILTERED - 1)));
        List<Delivery> matching = all.stream().filter(d -> d.status() == status).toList();
        int from = Math.min(offset, matching.size());
        return new Page<>(matching.subList(from, Math.min(from + limit, matching.size())), matching.size(), offset,
                limit);
    }

    /** Reads deliveries by id, in order, unfiling ids whose record has expired. */
    private List<Delivery> load(String index, List<String> ids) {
        List<CompletableFuture<String>> reads = ids.stream()
                .map(id -> redis.get(layout.delivery(id)).toCompletableFuture()).toList();
        List<Delivery> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String text = await(reads.get(i));
            if (text == null) {
                redis.zrem(index, ids.get(i));
            } else {
                out.add(DeliveryCodec.decode(text));
            }
        }
        return out;
    }

    @Override
    public List<Delivery> claimDue(Instant now, Duration lease, int max) {
        List<String> ids = await(CLAIM.<List<String>>run(redis, ScriptOutputType.MULTI,
                new String[] {layout.dueDeliveries()}, Long.toString(now.toEpochMilli()),
                Long.toString(lease.toMillis()), Integer.toString(max)));
        List<Delivery> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            Optional<Delivery> d = delivery(id);
            if (d.isPresent() && d.get().status() == DeliveryStatus.PENDING) {
                out.add(d.get());
            } else {
                await(redis.zrem(layout.dueDeliveries(), id));
            }
        }
        return out;
    }

    @Override
    public List<String> expiredKeys(Instant now, int max) {
        return await(redis.zrangebyscore(layout.expiryIndex(),
                Range.create(Double.NEGATIVE_INFINITY, (double) now.toEpochMilli()), Limit.create(0, max)));
    }

    @Override
    public void expiryHandled(String keyId, Instant expiresAt) {
        await(EXPIRY_HANDLED.run(redis, ScriptOutputType.INTEGER, new String[] {layout.expiryIndex()}, keyId,
                Long.toString(expiresAt.toEpochMilli())));
    }

    private <T> T await(CompletionStage<T> stage) {
        return Failures.await(stage, timeout);
    }

    /**
     * Raises {@code key.quota_exhausted} when this charge spent the key's last unit: the script tells exactly one
     * charge so, and the event id follows the period, so it is raised once per period whichever node charged. It is
     * written right after the charge, not inside its script; a node that dies in between loses that one event.
     */
    ChargeResult raiseIfExhausted(String keyId, ChargeResult result) {
        if (result.spentLast() && !result.replayed() && result.quota() != null) {
            try {
                raiseOnce(EventIds.quotaExhausted(keyId, result));
            } catch (RuntimeException e) {
                LOG.warn("Could not raise key.quota_exhausted for a key: {}", e.toString());
            }
        }
        return result;
    }
}
