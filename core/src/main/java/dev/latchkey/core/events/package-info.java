/**
 * Key events and their webhook deliveries as the stores keep them: the {@link dev.latchkey.core.events.OutboxEvent}
 * a key change writes in the same atomic step as the change, the {@link dev.latchkey.core.events.EventLog} SPI that
 * relays, streams and schedules them, and the {@link dev.latchkey.core.events.Delivery} records the admin API shows.
 * The HTTP side (signing, sending, vetting addresses) lives in the admin service, not here.
 */
@NullMarked
package dev.latchkey.core.events;

import org.jspecify.annotations.NullMarked;
