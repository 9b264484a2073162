package dev.latchkey.core;

import java.util.List;

/**
 * Reads usage history from somewhere other than the key store: the admin service's PostgreSQL tables for keys whose
 * effective storage config is {@code postgresql} (API.md §10). Implementations are thread-safe.
 */
public interface HistorySource {

    /**
     * Returns a key's non-empty buckets in the range, oldest first.
     *
     * @throws StoreUnavailableException when the database cannot be reached
     */
    List<UsageBucket> read(StorageConfig config, String keyId, HistoryRange range);
}
