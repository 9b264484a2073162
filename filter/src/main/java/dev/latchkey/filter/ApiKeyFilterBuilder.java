package dev.latchkey.filter;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.latchkey.core.KeySource;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.AuthSettingsBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures an {@link ApiKeyFilter} in code, with every setting of API.md §5 (the store replaces
 * {@code latchkey.redis-url}). Each setter checks its value at once and throws {@link IllegalArgumentException}
 * naming the method; unset settings keep their documented defaults. Not thread-safe.
 *
 * @since 0.1
 */
public final class ApiKeyFilterBuilder {

    final KeySource store;
    AuthSettingsBuilder settings = AuthSettings.builder();
    @Nullable MeterRegistry registry;
    Tags tags = Tags.empty();
    Clock clock = Clock.systemUTC();
    Ticker ticker = Ticker.systemTicker();

    ApiKeyFilterBuilder(KeySource store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Replaces every setting with {@code settings} (later setters change them further). */
    public ApiKeyFilterBuilder settings(AuthSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings").toBuilder();
        return this;
    }

    /** Sets the pepper the admin service uses ({@code latchkey.pepper}); {@code null} or empty means none. */
    public ApiKeyFilterBuilder pepper(@Nullable String pepper) {
        settings.pepper(pepper);
        return this;
    }

    /** Sets the prefix of generated tokens ({@code latchkey.token-prefix}, default {@code lk}). */
    public ApiKeyFilterBuilder tokenPrefix(String prefix) {
        settings.tokenPrefix(prefix);
        return this;
    }

    /** Sets the second header that may carry the token (default {@code X-API-Key}); empty disables it. */
    public ApiKeyFilterBuilder apiKeyHeader(String header) {
        settings.apiKeyHeader(header);
        return this;
    }

    /**
     * Sets the route rules ({@code latchkey.scopes}), e.g.
     * {@code GET /reports/** reports:read; POST /reports/** reports:write}.
     */
    public ApiKeyFilterBuilder scopes(String rules) {
        settings.scopes(rules);
        return this;
    }

    /** Adds one route rule: {@code method} ({@code *} = any) and {@code pattern} need every scope given. */
    public ApiKeyFilterBuilder rule(String method, String pattern, String... scopes) {
        settings.rule(method, pattern, scopes);
        return this;
    }

    /** Sets the path patterns that need no key ({@code latchkey.exclude}), e.g. {@code /health}, {@code /public/**}. */
    public ApiKeyFilterBuilder exclude(String... patterns) {
        settings.exclude(patterns);
        return this;
    }

    /** Sets the proxies whose {@code Forwarded}/{@code X-Forwarded-For} is believed (CIDRs or addresses). */
    public ApiKeyFilterBuilder trustedProxies(String... cidrs) {
        settings.trustedProxies(cidrs);
        return this;
    }

    /** Sets the most keys cached ({@code latchkey.cache.max-size}, default 100000). */
    public ApiKeyFilterBuilder cacheMaxSize(long maxSize) {
        settings.cacheMaxSize(maxSize);
        return this;
    }

    /** Sets how long a key is served without a read or an event ({@code latchkey.cache.ttl}, default PT60S). */
    public ApiKeyFilterBuilder cacheTtl(Duration ttl) {
        settings.cacheTtl(ttl);
        return this;
    }

    /** Sets how long an unknown key id is remembered ({@code latchkey.cache.negative-ttl}, default PT5S). */
    public ApiKeyFilterBuilder negativeTtl(Duration ttl) {
        settings.negativeTtl(ttl);
        return this;
    }

    /** Sets how long a cached key is served while the store is unreachable (default PT5M). */
    public ApiKeyFilterBuilder staleIfError(Duration window) {
        settings.staleIfError(window);
        return this;
    }

    /** Sets how often counted uses are written ({@code latchkey.usage.flush-interval}, default PT1S). */
    public ApiKeyFilterBuilder usageFlushInterval(Duration interval) {
        settings.usageFlushInterval(interval);
        return this;
    }

    /** Sets the realm in {@code WWW-Authenticate} (default {@code latchkey}). */
    public ApiKeyFilterBuilder realm(String realm) {
        settings.realm(realm);
        return this;
    }

    /** Passes CORS preflight ({@code OPTIONS} without credentials) to the application (default false). */
    public ApiKeyFilterBuilder allowPreflight(boolean allow) {
        settings.allowPreflight(allow);
        return this;
    }

    /** Sets the failed authentications allowed per client address per period (default 1000; 0 = no limit). */
    public ApiKeyFilterBuilder authFailureLimit(long limit) {
        settings.authFailureLimit(limit);
        return this;
    }

    /** Sets the period of the failed-authentication count (default PT1M). */
    public ApiKeyFilterBuilder authFailurePeriod(Duration period) {
        settings.authFailurePeriod(period);
        return this;
    }

    /** Sets the registry for the filter's meters (default {@link Metrics#globalRegistry}). */
    public ApiKeyFilterBuilder meterRegistry(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /** Adds bounded tags to every meter of this filter, to keep two filters on one registry apart. */
    public ApiKeyFilterBuilder meterTags(Iterable<Tag> tags) {
        this.tags = Tags.of(tags);
        return this;
    }

    /** Sets the clock for expiry and grace windows (default the system UTC clock). */
    public ApiKeyFilterBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Sets the ticker of the cache's expiry (default the system ticker); tests pass a fake one. */
    public ApiKeyFilterBuilder ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /** Builds the filter; the container then calls {@code init}. */
    public ApiKeyFilter build() {
        return new ApiKeyFilter(this);
    }
}
