package dev.latchkey.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The bucket sizes of usage history (API.md §10), with the default span a query covers when it names no start. */
public enum HistoryGranularity {
    /** One minute; default span 1 hour. */
    MINUTE("minute", 60, Duration.ofHours(1)),
    /** One hour; default span 1 day. */
    HOUR("hour", 3_600, Duration.ofDays(1)),
    /** One UTC day; default span 30 days. */
    DAY("day", 86_400, Duration.ofDays(30));

    private final String wire;
    private final long seconds;
    private final Duration defaultSpan;

    HistoryGranularity(String wire, long seconds, Duration defaultSpan) {
        this.wire = wire;
        this.seconds = seconds;
        this.defaultSpan = defaultSpan;
    }

    /** Returns the name on the wire. */
    public String wire() {
        return wire;
    }

    /** Returns the bucket length in seconds. */
    public long seconds() {
        return seconds;
    }

    /** Returns how far back {@code from} defaults to. */
    public Duration defaultSpan() {
        return defaultSpan;
    }

    /** Returns the granularity with this wire name, or {@code null}. */
    public static @Nullable HistoryGranularity fromWire(@Nullable String name) {
        for (HistoryGranularity g : values()) {
            if (g.wire.equals(name)) {
                return g;
            }
        }
        return null;
    }
}
