package dev.latchkey.redis;

import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * A store's own meters, kept in a composite registry from the start so that a registry bound later (by the engine,
 * through {@link RedisKeyStore#bindTo}) still gets them: Lettuce's command latencies ({@code lettuce.command.*},
 * recorded by the client the store builds; an application's own client records its own) and
 * {@code latchkey.invalidation.unconfirmed}.
 */
final class StoreMeters {

    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();

    StoreMeters(@Nullable MeterRegistry initial) {
        if (initial != null) {
            meters.add(initial);
        }
    }

    /** Returns the recorder for the client the store builds. */
    CommandLatencyRecorder latencyRecorder() {
        return new MicrometerCommandLatencyRecorder(meters, MicrometerOptions.create());
    }

    /** Publishes {@code latchkey.invalidation.unconfirmed}: node confirmations a change waited for in vain. */
    void bindUnconfirmed(Confirmations confirmations) {
        FunctionCounter.builder("latchkey.invalidation.unconfirmed", confirmations, Confirmations::unconfirmed)
                .description("Nodes that did not confirm in time that they dropped a changed key from their cache")
                .register(meters);
    }

    /** Adds a registry; adding one twice is harmless. */
    void bindTo(MeterRegistry registry) {
        meters.add(registry);
    }
}
