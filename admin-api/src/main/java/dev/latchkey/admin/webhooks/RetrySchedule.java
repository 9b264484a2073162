package dev.latchkey.admin.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * When a failed delivery is tried again. The {@link #standard()} schedule backs off from 5 seconds to 8 hours with
 * ±20 % jitter (so receivers that come back are not hit by every sender at once) and keeps trying for at least 24
 * hours after the delivery was created; tests use {@link #fixed} so they need not wait.
 */
@FunctionalInterface
public interface RetrySchedule {

    /** How long deliveries are retried at least, in the standard schedule. */
    Duration STANDARD_SPAN = Duration.ofHours(24);

    /**
     * Returns when to try again after a failed attempt, or {@code null} to give up (the delivery is then failed).
     *
     * @param attempts  how many attempts were made, this one included
     * @param createdAt when the delivery was created
     * @param now       now
     */
    @Nullable Instant next(int attempts, Instant createdAt, Instant now);

    /** Returns the production schedule. */
    static RetrySchedule standard() {
        List<Duration> steps = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
                Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
                Duration.ofHours(4), Duration.ofHours(8));
        return (attempts, createdAt, now) -> {
            if (!now.isBefore(createdAt.plus(STANDARD_SPAN))) {
                return null;
            }
            Duration step = steps.get(Math.min(attempts - 1, steps.size() - 1));
            double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
            Instant at = now.plusMillis((long) (step.toMillis() * jitter));
            Instant end = createdAt.plus(STANDARD_SPAN);
            // The last try lands at the end of the span, so the span is covered whatever the jitter did.
            return at.isAfter(end) ? end : at;
        };
    }

    /** Returns a schedule that waits {@code delay} between attempts and gives up after {@code maxAttempts}. */
    static RetrySchedule fixed(Duration delay, int maxAttempts) {
        return (attempts, createdAt, now) -> attempts >= maxAttempts ? null : now.plus(delay);
    }
}
