package dev.latchkey.core.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event sent to one webhook config, with every attempt (times kept to the millisecond). The body is rendered once, when the delivery is created,
 * so every retry sends the same bytes (each signed afresh with its own timestamp).
 *
 * @param id            the delivery id (a ULID)
 * @param configId      the webhook config it goes to
 * @param tenantId      the config's tenant
 * @param eventId       the event id ({@code webhook-id})
 * @param eventType     the event name
 * @param body          the JSON body
 * @param status        where it stands
 * @param nextAttemptAt when the next attempt is due while pending, else {@code null}
 * @param createdAt     when it was created
 * @param attemptLog    every attempt, oldest first
 */
public record Delivery(String id, String configId, String tenantId, String eventId, String eventType, String body,
        DeliveryStatus status, @Nullable Instant nextAttemptAt, Instant createdAt, List<Attempt> attemptLog) {

    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(configId, "configId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(status, "status");
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        nextAttemptAt = nextAttemptAt == null ? null : nextAttemptAt.truncatedTo(ChronoUnit.MILLIS);
        attemptLog = List.copyOf(attemptLog);
        if ((status == DeliveryStatus.PENDING) != (nextAttemptAt != null)) {
            throw new IllegalArgumentException("exactly the pending deliveries have a next attempt");
        }
    }

    /**
     * Returns the id of the one delivery of {@code event} to {@code configId}: a ULID whose time is the event's and
     * whose random part comes from a hash of the pair, so every node that handles the event names the same delivery.
     */
    public static String idFor(OutboxEvent event, String configId) {
        return EventIds.derived(event.occurredAt(), event.id() + "\n" + configId);
    }

    /** Returns a new pending delivery, due at once. */
    public static Delivery pending(String id, String configId, String tenantId, OutboxEvent event, String body,
            Instant now) {
        return new Delivery(id, configId, tenantId, event.id(), event.type(), body, DeliveryStatus.PENDING, now, now,
                List.of());
    }

    /** Returns this delivery after one more attempt, now {@code status}, next due at {@code next} while pending. */
    public Delivery after(Attempt attempt, DeliveryStatus next, @Nullable Instant nextAt) {
        List<Attempt> log = new ArrayList<>(attemptLog);
        log.add(attempt);
        return new Delivery(id, configId, tenantId, eventId, eventType, body, next, nextAt, createdAt, log);
    }

    /** Returns how many attempts were made. */
    public int attempts() {
        return attemptLog.size();
    }

    /** Returns the last attempt's status code, or {@code null}. */
    public @Nullable Integer lastStatusCode() {
        return attemptLog.isEmpty() ? null : attemptLog.get(attemptLog.size() - 1).statusCode();
    }

    /** Returns the last attempt's error, or {@code null}. */
    public @Nullable String lastError() {
        return attemptLog.isEmpty() ? null : attemptLog.get(attemptLog.size() - 1).error();
    }
}
