package dev.latchkey.engine;

import dev.latchkey.core.ApiKey;

/**
 * A key as {@link KeyCache} holds it: the record, the {@code ALL_STALE} epoch its read started in, and when it was
 * read (ticker nanoseconds).
 */
record CachedKey(ApiKey key, long epoch, long readAt) {
}
