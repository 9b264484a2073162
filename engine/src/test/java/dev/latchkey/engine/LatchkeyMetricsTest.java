package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.UsageRecorder;
import dev.latchkey.core.VerifyCode;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Tests for {@link LatchkeyMetrics}. */
class LatchkeyMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void recorded_countsByOutcomeWithBoundedTags() {
        LatchkeyMetrics metrics = LatchkeyMetrics.create(registry);
        metrics.recorded(VerifyCode.VALID, 1_000);
        metrics.recorded(VerifyCode.NOT_FOUND, 1_000);
        metrics.recorded(LatchkeyMetrics.Outcome.STORE_UNAVAILABLE, 1_000);
        metrics.recorded(LatchkeyMetrics.Outcome.MISSING, 1_000);
        metrics.previousTokenUsed();

        assertThat(registry.get("latchkey.auth.requests").tag("outcome", "valid").counter().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.auth.requests").tag("outcome", "not_found").counter().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.auth.requests").tag("outcome", "store_unavailable").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("latchkey.auth.requests").tag("outcome", "missing").counter().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.auth.duration").timer().count()).isEqualTo(4);
        assertThat(registry.get("latchkey.auth.previous_token").counter().count()).isEqualTo(1);
        for (Meter m : registry.getMeters()) {
            assertThat(m.getId().getDescription()).as(m.getId().getName()).isNotBlank();
            assertThat(m.getId().getTags()).allSatisfy(t -> assertThat(t.getKey()).isIn("outcome", "result"));
        }
    }

    @Test
    void usage_pendingGaugeAndFlushTimerFollowTheRecorder() {
        LatchkeyMetrics metrics = LatchkeyMetrics.create(registry);
        try (InMemoryKeyStore store = new InMemoryKeyStore();
             UsageRecorder recorder = UsageRecorder.builder(store).flushInterval(Duration.ZERO)
                     .listener(metrics.flushListener()).build()) {
            metrics.bindUsage(recorder);
            recorder.record("01JD0000000000000000000000", Instant.now(), null);
            recorder.record("01JD0000000000000000000000", Instant.now(), null);
            assertThat(registry.get("latchkey.usage.pending").gauge().value()).isEqualTo(2);
            recorder.flush();
            assertThat(registry.get("latchkey.usage.pending").gauge().value()).isZero();
            assertThat(registry.get("latchkey.usage.flushes").tag("result", "success").timer().count()).isEqualTo(1);
        }
    }

    @Test
    void close_removesEveryMeter() {
        LatchkeyMetrics metrics = LatchkeyMetrics.create(registry);
        metrics.recorded(VerifyCode.VALID, 1);
        assertThat(registry.getMeters()).isNotEmpty();
        metrics.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void createDistinct_aloneKeepsGivenTags_secondOnSameRegistryGetsItsOwnCounters() {
        LatchkeyMetrics first = LatchkeyMetrics.createDistinct(registry, io.micrometer.core.instrument.Tags.empty(),
                "filter", "latchkey");
        LatchkeyMetrics second = LatchkeyMetrics.createDistinct(registry, io.micrometer.core.instrument.Tags.empty(),
                "filter", "latchkey");
        LatchkeyMetrics third = LatchkeyMetrics.createDistinct(registry, io.micrometer.core.instrument.Tags.empty(),
                "filter", "latchkey");
        assertThat(first.tags()).isEmpty();
        assertThat(second.tags()).containsExactly(io.micrometer.core.instrument.Tag.of("filter", "latchkey"));
        assertThat(third.tags()).containsExactly(io.micrometer.core.instrument.Tag.of("filter", "latchkey-2"));
        first.recorded(VerifyCode.VALID, 1);
        first.recorded(VerifyCode.VALID, 1);
        second.recorded(VerifyCode.VALID, 1);
        assertThat(first.count(VerifyCode.VALID)).isEqualTo(2);
        assertThat(second.count(VerifyCode.VALID)).isEqualTo(1);
        first.close();
        second.recorded(VerifyCode.VALID, 1);
        assertThat(registry.get("latchkey.auth.requests").tag("filter", "latchkey").tag("outcome", "valid")
                .counter().count()).isEqualTo(2);
        second.close();
        third.close();
        assertThat(registry.getMeters()).isEmpty();
    }
}
