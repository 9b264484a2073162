package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.latchkey.core.KeySource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures an {@link Authenticator}: the settings, where its meters go (none unless a registry is given), and the
 * time sources. Setters check their arguments at once. Not thread-safe.
 *
 * @since 0.1
 */
public final class AuthenticatorBuilder {

    final KeySource store;
    AuthSettings settings = AuthSettings.defaults();
    @Nullable MeterRegistry registry;
    boolean storeMeters = true;
    Tags tags = Tags.empty();
    @Nullable String distinctTagKey;
    String distinctName = "latchkey";
    Clock clock = Clock.systemUTC();
    Ticker ticker = Ticker.systemTicker();

    AuthenticatorBuilder(KeySource store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Sets the settings (default {@link AuthSettings#defaults()}). */
    public AuthenticatorBuilder settings(AuthSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * Publishes the §6 meters ({@code latchkey.auth.*}, {@code latchkey.usage.*}, the key cache's, and the store's own
     * when it is a Micrometer {@code MeterBinder}, as the Redis store is: see {@link #storeMeters}) on a registry;
     * {@code null} (the default) records none.
     */
    public AuthenticatorBuilder meterRegistry(@Nullable MeterRegistry registry) {
        this.registry = registry;
        return this;
    }

    /**
     * Sets whether the store's own meters (when the store is a Micrometer {@code MeterBinder}, as the Redis store is)
     * go to the {@link #meterRegistry} too; default {@code true}. The servlet filter turns it off for a store it
     * opened itself from a URL, whose meters would otherwise outlive a redeployed web application on a global
     * registry.
     */
    public AuthenticatorBuilder storeMeters(boolean bind) {
        this.storeMeters = bind;
        return this;
    }

    /** Adds bounded tags to every meter (never key ids, tokens, paths or addresses). */
    public AuthenticatorBuilder meterTags(Iterable<Tag> tags) {
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        return this;
    }

    /**
     * Keeps this authenticator's meters apart from another Latchkey instance already reporting on the same registry
     * with the same tags, by adding {@code tagKey=name} (then {@code name-2}, ...) only when needed.
     */
    public AuthenticatorBuilder distinctMeters(String tagKey, String name) {
        this.distinctTagKey = Objects.requireNonNull(tagKey, "tagKey");
        this.distinctName = Objects.requireNonNull(name, "name");
        return this;
    }

    /** Sets the clock of expiry and grace windows (default the system UTC clock). */
    public AuthenticatorBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Sets the ticker of cache expiry and the failure throttle (default the system ticker); tests pass a fake. */
    public AuthenticatorBuilder ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Builds the authenticator: subscribes its cache to the store's change events and starts its usage flushes.
     */
    public Authenticator build() {
        return new Authenticator(this);
    }
}
