package dev.latchkey.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The rate-limit meters of API.md §6: {@code latchkey.ratelimit.decisions} (tags {@code result} and {@code source}),
 * {@code latchkey.ratelimit.store.duration}, {@code latchkey.ratelimit.replays} and {@code latchkey.quota.refills}.
 * {@link #close()} removes them. Thread-safe.
 */
final class RateLimitMetrics implements AutoCloseable {

    /** What a charge decided, as the {@code result} tag names it. */
    enum Result { ALLOWED, RATE_LIMITED, QUOTA_EXCEEDED, QUOTA_EXHAUSTED }

    /** Who decided, as the {@code source} tag names it. */
    enum Source { MEMORY, STORE, FALLBACK }

    private final MeterRegistry registry;
    private final Counter[][] decisions = new Counter[Result.values().length][Source.values().length];
    private final Timer storeDuration;
    private final Counter replays;
    private final Counter refills;
    private final List<Meter> meters = new ArrayList<>();

    RateLimitMetrics(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        for (Result r : Result.values()) {
            for (Source s : Source.values()) {
                Counter c = Counter.builder("latchkey.ratelimit.decisions")
                        .description("Rate-limit and quota decisions on requests of keys that have a limit")
                        .tags(tags)
                        .tag("result", r.name().toLowerCase(Locale.ROOT))
                        .tag("source", s.name().toLowerCase(Locale.ROOT))
                        .register(registry);
                decisions[r.ordinal()][s.ordinal()] = c;
                meters.add(c);
            }
        }
        storeDuration = Timer.builder("latchkey.ratelimit.store.duration")
                .description("Time of one rate-limit and quota charge in the store")
                .tags(tags).register(registry);
        replays = Counter.builder("latchkey.ratelimit.replays")
                .description("Charges the store had seen before (a replay after a reconnect), charged once")
                .tags(tags).register(registry);
        refills = Counter.builder("latchkey.quota.refills")
                .description("Quota balances refilled by the first charge of a new period")
                .tags(tags).register(registry);
        meters.add(storeDuration);
        meters.add(replays);
        meters.add(refills);
    }

    void decided(Result result, Source source) {
        decisions[result.ordinal()][source.ordinal()].increment();
    }

    void storeCall(long nanos) {
        storeDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void replayed() {
        replays.increment();
    }

    void refilled() {
        refills.increment();
    }

    @Override
    public synchronized void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }
}
