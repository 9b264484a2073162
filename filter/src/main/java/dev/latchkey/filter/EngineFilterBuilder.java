package dev.latchkey.filter;

import dev.latchkey.engine.Authenticator;
import java.time.Clock;
import java.util.Objects;

/**
 * Configures an {@link ApiKeyFilter} on an {@link Authenticator} the caller owns
 * ({@link ApiKeyFilter#builder(Authenticator)}). The engine brings the settings, the store, the cache and the meters,
 * so only the filter's own clock is left to set; the filter never closes the engine. Not thread-safe.
 *
 * @since 0.1
 */
public final class EngineFilterBuilder {

    private final Authenticator engine;
    private Clock clock = Clock.systemUTC();

    EngineFilterBuilder(Authenticator engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** Sets the clock of the problem bodies' {@code timestamp} (default the system UTC clock). */
    public EngineFilterBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Builds the filter; the container then calls {@code init}, which only warns when the store's keys were issued
     * with another pepper or token prefix than the engine's.
     */
    public ApiKeyFilter build() {
        return new ApiKeyFilter(engine, clock);
    }
}
