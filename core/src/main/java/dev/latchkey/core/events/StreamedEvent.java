package dev.latchkey.core.events;

import java.util.Objects;

/**
 * An event read from the event stream, to be acknowledged once its deliveries exist.
 *
 * @param streamId the stream's id of the entry (what {@link EventLog#ack} needs)
 * @param event    the event
 */
public record StreamedEvent(String streamId, OutboxEvent event) {

    public StreamedEvent {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(event, "event");
    }
}
