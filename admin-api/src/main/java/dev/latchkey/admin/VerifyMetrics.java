package dev.latchkey.admin;

import dev.latchkey.core.UsageRecorder;
import dev.latchkey.core.Verification;
import dev.latchkey.core.VerifyCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Latchkey's meters as the admin service produces them (API.md §6): verifications by outcome and their duration,
 * uses of rotated-out tokens, pending usage counts and usage flushes. Tags are bounded: an outcome word, a result.
 */
final class VerifyMetrics implements UsageRecorder.FlushListener {

    private final Map<VerifyCode, Counter> outcomes = new EnumMap<>(VerifyCode.class);
    private final Timer duration;
    private final Counter previousToken;
    private final Timer flushOk;
    private final Timer flushError;
    private final MeterRegistry registry;

    VerifyMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (VerifyCode c : VerifyCode.values()) {
            outcomes.put(c, Counter.builder("latchkey.auth.requests")
                    .description("Token verifications, by outcome")
                    .tag("outcome", c.wire())
                    .register(registry));
        }
        duration = Timer.builder("latchkey.auth.duration")
                .description("Time to verify one token")
                .register(registry);
        previousToken = Counter.builder("latchkey.auth.previous_token")
                .description("Verifications that succeeded with a rotated-out token inside its grace window")
                .register(registry);
        flushOk = flushTimer("ok");
        flushError = flushTimer("error");
    }

    private Timer flushTimer(String result) {
        return Timer.builder("latchkey.usage.flushes")
                .description("Writes of counted key uses to the store")
                .tag("result", result)
                .register(registry);
    }

    /** Counts one verification. */
    void record(Verification v, long nanos) {
        outcomes.get(v.code()).increment();
        duration.record(Duration.ofNanos(nanos));
        if (v.valid() && v.previousSecret()) {
            previousToken.increment();
        }
    }

    /** Exposes the recorder's pending uses as {@code latchkey.usage.pending}. */
    void bind(UsageRecorder recorder) {
        Gauge.builder("latchkey.usage.pending", recorder, UsageRecorder::pending)
                .description("Key uses counted but not yet written to the store")
                .register(registry);
    }

    @Override
    public void flushed(int keys, long uses, Duration took, @Nullable Throwable error) {
        (error == null ? flushOk : flushError).record(took);
    }
}
