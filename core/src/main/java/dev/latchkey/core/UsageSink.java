package dev.latchkey.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Receives one use of a key per granted verification; {@link UsageRecorder} counts them in memory. */
@FunctionalInterface
public interface UsageSink {

    /** A sink that drops every use. */
    UsageSink NONE = (keyId, at, ip) -> { };

    /** Records one use of {@code keyId} at {@code at} from {@code clientIp}. Must not block or do I/O. */
    void record(String keyId, Instant at, @Nullable String clientIp);

    /**
     * Records a refused request of {@code keyId} at {@code epochMillis} for usage history: {@link UsageOutcome#DENIED}
     * or {@link UsageOutcome#RATE_LIMITED} (uses go through {@link #record}). Must not block or do I/O; the default
     * drops it.
     */
    default void refused(String keyId, long epochMillis, UsageOutcome outcome) {
    }
}
