package dev.latchkey.core.events;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory store's {@link EventLog}: the outbox is the stream itself (an event is queued under the same lock
 * as the change it reports), and deliveries live in this JVM. Like the in-memory key store, nothing survives a
 * restart and nothing is shared with another process. At most {@value #MAX_DELIVERIES} deliveries are kept: the
 * oldest finished ones go first. Thread-safe: one monitor guards everything.
 */
public final class InMemoryEventLog implements EventLog {

    /** How many deliveries are kept. */
    public static final int MAX_DELIVERIES = 100_000;

    private record Held(StreamedEvent event, String consumer, long since) {
    }

    private final Supplier<? extends Iterable<ApiKey>> keys;
    private final ArrayDeque<StreamedEvent> queue = new ArrayDeque<>();
    private final LinkedHashMap<String, Held> held = new LinkedHashMap<>();
    private final Set<String> raised = new HashSet<>();
    private final Map<String, Instant> handledExpiry = new HashMap<>();
    private final LinkedHashMap<String, Delivery> deliveries = new LinkedHashMap<>();
    private final Set<String> deliveredPairs = new HashSet<>();
    private final Map<String, Instant> leases = new HashMap<>();
    private final Set<String> pendingIds = new java.util.LinkedHashSet<>();
    private long sequence;

    /**
     * Creates a log.
     *
     * @param keys the store's keys as they are now, for the expiry scan
     */
    public InMemoryEventLog(Supplier<? extends Iterable<ApiKey>> keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** Queues an event; the key store calls this inside the step that commits the change. */
    public synchronized void append(OutboxEvent event) {
        queue.add(new StreamedEvent(Long.toString(++sequence), event));
        notifyAll();
    }

    @Override
    public synchronized boolean raiseOnce(OutboxEvent event) {
        if (!raised.add(event.id())) {
            return false;
        }
        append(event);
        return true;
    }

    @Override
    public int relay(Duration minAge) {
        return 0;
    }

    @Override
    public synchronized List<StreamedEvent> read(String consumer, int max, Duration claimIdle, Duration block) {
        long now = System.nanoTime();
        List<StreamedEvent> out = new ArrayList<>();
        for (Map.Entry<String, Held> e : held.entrySet()) {
            if (out.size() < max && now - e.getValue().since() > claimIdle.toNanos()) {
                out.add(e.getValue().event());
            }
        }
        if (out.isEmpty() && queue.isEmpty() && !block.isZero()) {
            try {
                TimeUnit.NANOSECONDS.timedWait(this, block.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        while (out.size() < max && !queue.isEmpty()) {
            out.add(queue.poll());
        }
        for (StreamedEvent e : out) {
            held.put(e.streamId(), new Held(e, consumer, now));
        }
        return out;
    }

    @Override
    public synchronized void ack(StreamedEvent event) {
        held.remove(event.streamId());
    }

    @Override
    public synchronized long pending() {
        return queue.size() + held.size();
    }

    @Override
    public synchronized boolean createDelivery(Delivery delivery) {
        if (!deliveredPairs.add(delivery.eventId() + "\n" + delivery.configId())) {
            return false;
        }
        deliveries.put(delivery.id(), delivery);
        if (delivery.status() == DeliveryStatus.PENDING) {
            pendingIds.add(delivery.id());
        }
        trim();
        return true;
    }

    @Override
    public synchronized void saveDelivery(Delivery delivery) {
        deliveries.put(delivery.id(), delivery);
        leases.remove(delivery.id());
        if (delivery.status() == DeliveryStatus.PENDING) {
            pendingIds.add(delivery.id());
        } else {
            pendingIds.remove(delivery.id());
        }
    }

    @Override
    public synchronized Optional<Delivery> delivery(String id) {
        return Optional.ofNullable(deliveries.get(id));
    }

    @Override
    public synchronized Page<Delivery> deliveries(String configId, @Nullable DeliveryStatus status, int offset,
            int limit) {
        List<Delivery> matching = new ArrayList<>();
        for (Delivery d : deliveries.values()) {
            if (d.configId().equals(configId) && (status == null || d.status() == status)) {
                matching.add(d);
            }
        }
        matching.sort(Comparator.comparing(Delivery::createdAt).thenComparing(Delivery::id).reversed());
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + limit, matching.size());
        return new Page<>(matching.subList(from, to), matching.size(), offset, limit);
    }

    @Override
    public synchronized List<Delivery> claimDue(Instant now, Duration lease, int max) {
        List<Delivery> out = new ArrayList<>();
        for (String id : pendingIds) {
            Delivery d = deliveries.get(id);
            if (out.size() >= max) {
                break;
            }
            if (d == null) {
                continue;
            }
            Instant leased = leases.get(d.id());
            if (d.status() == DeliveryStatus.PENDING && !Objects.requireNonNull(d.nextAttemptAt()).isAfter(now)
                    && (leased == null || !leased.isAfter(now))) {
                leases.put(d.id(), now.plus(lease));
                out.add(d);
            }
        }
        return out;
    }

    @Override
    public synchronized List<String> expiredKeys(Instant now, int max) {
        List<String> out = new ArrayList<>();
        for (ApiKey k : keys.get()) {
            Instant at = k.expiresAt();
            if (out.size() < max && at != null && !at.isAfter(now) && !at.equals(handledExpiry.get(k.id()))) {
                out.add(k.id());
            }
        }
        return out;
    }

    @Override
    public synchronized void expiryHandled(String keyId, Instant expiresAt) {
        handledExpiry.put(keyId, expiresAt);
    }

    private void trim() {
        var it = deliveries.values().iterator();
        while (deliveries.size() > MAX_DELIVERIES && it.hasNext()) {
            Delivery d = it.next();
            if (d.status() != DeliveryStatus.PENDING) {
                it.remove();
            }
        }
    }
}
