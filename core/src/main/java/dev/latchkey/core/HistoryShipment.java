package dev.latchkey.core;

import java.util.List;
import java.util.Objects;

/**
 * One key's history counts taken from the key store to be shipped elsewhere (to PostgreSQL, API.md §10). The id
 * stays the same until {@link KeyStore#historyShipped} acknowledges it, so a receiver that records ids adds each
 * shipment exactly once, even when the shipper died between writing and acknowledging.
 *
 * @param id      the shipment id
 * @param keyId   the key
 * @param minutes the counts to add, one per minute
 */
public record HistoryShipment(String id, String keyId, List<UsageMinute> minutes) {

    public HistoryShipment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(keyId, "keyId");
        minutes = List.copyOf(minutes);
    }
}
