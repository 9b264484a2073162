package dev.latchkey.core.events;

import dev.latchkey.core.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The store side of key events and webhook deliveries (API.md §10), shared by every admin node of one store.
 *
 * <p><b>Path of an event.</b> A key change writes its {@link OutboxEvent} in the same atomic step as the change
 * ({@code KeyStore.create/replace/delete} with an event). {@link #relay} moves outbox entries to the event stream
 * (stores whose outbox is the stream do nothing). {@link #read} hands each streamed event to one consumer of a
 * group; a consumer that dies before {@link #ack} leaves it to another after {@code claimIdle}. The consumer creates
 * one {@link Delivery} per matching webhook config ({@link #createDelivery}, once per event and config however often
 * the event is read) and acknowledges. Attempts are then scheduled through {@link #claimDue}, which leases each due
 * delivery to one node; a node that dies mid-attempt lets the lease run out and another node takes it.
 *
 * <p>So delivery is at least once: a committed change is never lost, and a crash at the wrong moment may send an
 * event twice, always with the same {@code webhook-id}. Implementations are thread-safe.
 *
 * @see dev.latchkey.core.KeyStore#events()
 */
public interface EventLog {

    /** The consumer group that sends webhooks. */
    String GROUP = "webhooks";

    /**
     * Appends an event that no key change writes ({@code key.expired} from the expiry scan), at most once per
     * event id across every node.
     *
     * @return whether this call raised it ({@code false}: it was raised before)
     */
    boolean raiseOnce(OutboxEvent event);

    /**
     * Moves outbox entries older than {@code minAge} to the event stream (a crash between a commit and its
     * relay leaves the entry there). Several nodes may relay at once: an entry may then be streamed twice, which
     * {@link #createDelivery} absorbs.
     *
     * @return how many entries were moved
     */
    int relay(Duration minAge);

    /**
     * Returns up to {@code max} streamed events for {@code consumer}: first those another consumer has held without
     * acknowledging for longer than {@code claimIdle}, then new ones, waiting up to {@code block} when there are none.
     */
    List<StreamedEvent> read(String consumer, int max, Duration claimIdle, Duration block);

    /** Acknowledges a streamed event: its deliveries exist. */
    void ack(StreamedEvent event);

    /** Returns about how many events wait to be turned into deliveries (outboxes and stream). */
    long pending();

    /**
     * Stores a new delivery unless the event already has one for that config.
     *
     * @return whether it was stored
     */
    boolean createDelivery(Delivery delivery);

    /** Saves a delivery after an attempt; a pending one is due again at its {@link Delivery#nextAttemptAt()}. */
    void saveDelivery(Delivery delivery);

    /** Returns a delivery by id. */
    Optional<Delivery> delivery(String id);

    /** Returns one config's deliveries, newest first, optionally only those in {@code status}. */
    Page<Delivery> deliveries(String configId, @Nullable DeliveryStatus status, int offset, int limit);

    /**
     * Leases up to {@code max} pending deliveries due at {@code now} to the caller for {@code lease}: no other node
     * gets them until the lease ends or they are saved.
     */
    List<Delivery> claimDue(Instant now, Duration lease, int max);

    /** Returns ids of keys whose {@code expires_at} is at or before {@code now} and not yet handled. */
    List<String> expiredKeys(Instant now, int max);

    /** Marks a key's expiry at {@code expiresAt} handled, so {@link #expiredKeys} stops naming it. */
    void expiryHandled(String keyId, Instant expiresAt);
}
