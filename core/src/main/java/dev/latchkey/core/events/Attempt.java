package dev.latchkey.core.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One attempt to deliver a webhook.
 *
 * @param at         when it started
 * @param statusCode the receiver's HTTP status, or {@code null} when none came (timeout, refused, blocked address)
 * @param error      why it failed without a status ({@code timeout}, {@code blocked_address}, …), or {@code null}
 * @param durationMs how long it took
 */
public record Attempt(Instant at, @Nullable Integer statusCode, @Nullable String error, long durationMs) {

    public Attempt {
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MILLIS);
        if (durationMs < 0) {
            throw new IllegalArgumentException("durationMs must be >= 0");
        }
    }

    /** Returns whether the receiver took the event (a 2xx answer). */
    public boolean delivered() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }
}
