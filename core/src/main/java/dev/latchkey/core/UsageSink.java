package dev.latchkey.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Receives one use of a key per granted verification; {@link UsageRecorder} counts them in memory. */
@FunctionalInterface
public interface UsageSink {

    /** A sink that drops every use. */
    UsageSink NONE = new UsageSink() {
        @Override
        public void record(String keyId, Instant at, @Nullable String clientIp) {
        }

        @Override
        public void record(String keyId, long atEpochMillis, @Nullable String clientIp) {
        }
    };

    /** Records one use of {@code keyId} at {@code at} from {@code clientIp}. Must not block or do I/O. */
    void record(String keyId, Instant at, @Nullable String clientIp);

    /**
     * Records one use at {@code atEpochMillis}; the same as {@link #record(String, Instant, String)}, for callers on
     * the request path that would otherwise allocate an {@link Instant} per use.
     */
    default void record(String keyId, long atEpochMillis, @Nullable String clientIp) {
        record(keyId, Instant.ofEpochMilli(atEpochMillis), clientIp);
    }

    /**
     * Records a refused request of {@code keyId} at {@code epochMillis} for usage history: {@link UsageOutcome#DENIED}
     * or {@link UsageOutcome#RATE_LIMITED} (uses go through {@link #record}). Must not block or do I/O; the default
     * drops it.
     */
    default void refused(String keyId, long epochMillis, UsageOutcome outcome) {
    }
}
