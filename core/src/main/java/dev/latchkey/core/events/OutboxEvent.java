package dev.latchkey.core.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One key event as the outbox holds it: written by the store in the same atomic step as the change it reports, then
 * relayed to the event stream and turned into webhook deliveries.
 *
 * @param id         the event id: the {@code webhook-id} every delivery attempt carries
 * @param type       the event name ({@code key.created}, …, {@code key.quota_exhausted})
 * @param keyId      the key the event is about
 * @param tenantId   the key's tenant, or empty when the raiser did not read the key (the sender then does)
 * @param occurredAt when the change was committed (kept to the millisecond, as stores keep it)
 * @param route      for a change's event (one with a body), the key's effective webhook config when it committed
 *                   (its override, else its tenant's default), or {@code null} for none; events raised without a
 *                   body are routed when sent, from the key as it then is
 * @param body       the webhook body (JSON, never a token) rendered at commit time, or {@code null} when the
 *                   event is raised where no renderer runs (expiry scans, the charge script) and the sender renders
 *                   it from the key as stored when it first handles the event
 */
public record OutboxEvent(String id, String type, String keyId, String tenantId, Instant occurredAt,
        @Nullable String route, @Nullable String body) {

    public OutboxEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(tenantId, "tenantId");
        occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MILLIS);
        if (id.isEmpty() || id.indexOf('\n') >= 0 || type.indexOf('\n') >= 0 || keyId.indexOf('\n') >= 0
                || tenantId.indexOf('\n') >= 0 || (route != null && (route.isEmpty() || route.indexOf('\n') >= 0))) {
            throw new IllegalArgumentException("event fields must be single lines");
        }
    }

    /**
     * Returns this event as one string for stores that keep text: seven header lines and the body after them
     * ({@code -} alone for no body).
     */
    public String encode() {
        return "1\n" + id + "\n" + type + "\n" + keyId + "\n" + tenantId + "\n" + occurredAt.toEpochMilli() + "\n"
                + (route == null ? "" : route) + "\n" + (body == null ? "-" : "+" + body);
    }

    /**
     * Reads what {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException when the text is not an encoded event
     */
    public static OutboxEvent decode(String text) {
        String[] parts = text.split("\n", 8);
        if (parts.length != 8 || !"1".equals(parts[0]) || parts[7].isEmpty()) {
            throw new IllegalArgumentException("not an encoded event");
        }
        String body = parts[7].charAt(0) == '+' ? parts[7].substring(1) : null;
        try {
            return new OutboxEvent(parts[1], parts[2], parts[3], parts[4],
                    Instant.ofEpochMilli(Long.parseLong(parts[5])), parts[6].isEmpty() ? null : parts[6], body);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an encoded event", e);
        }
    }

    /** Returns this event with a body rendered after the fact. */
    public OutboxEvent withBody(String rendered) {
        return new OutboxEvent(id, type, keyId, tenantId, occurredAt, route, rendered);
    }
}
