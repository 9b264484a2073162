package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.latchkey.core.KeySource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link KeyCache}. Setters validate at once and throw {@link IllegalArgumentException}. Not
 * thread-safe.
 *
 * @since 0.1
 */
public final class KeyCacheBuilder {
    final KeySource store;
    long maxSize = KeyCache.DEFAULT_MAX_SIZE;
    Duration ttl = KeyCache.DEFAULT_TTL;
    Duration negativeTtl = KeyCache.DEFAULT_NEGATIVE_TTL;
    long negativeMaxSize = KeyCache.DEFAULT_NEGATIVE_MAX_SIZE;
    Duration staleIfError = KeyCache.DEFAULT_STALE_IF_ERROR;
    Ticker ticker = Ticker.systemTicker();
    @Nullable MeterRegistry registry;
    Tags tags = Tags.empty();
    Executor evictor = ForkJoinPool.commonPool();

    KeyCacheBuilder(KeySource store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Sets the most keys cached (default {@link KeyCache#DEFAULT_MAX_SIZE}).
     *
     * @throws IllegalArgumentException when not positive
     */
    public KeyCacheBuilder maxSize(long maxSize) {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("max-size must be positive");
        }
        this.maxSize = maxSize;
        return this;
    }

    /**
     * Sets how long a key is served after it was read (default {@link KeyCache#DEFAULT_TTL}).
     *
     * @throws IllegalArgumentException when not positive
     */
    public KeyCacheBuilder ttl(Duration ttl) {
        this.ttl = positive(ttl, "ttl");
        return this;
    }

    /**
     * Sets how long an unknown id or imported hash is remembered (default {@link KeyCache#DEFAULT_NEGATIVE_TTL}); zero
     * disables negative caching.
     *
     * @throws IllegalArgumentException when negative
     */
    public KeyCacheBuilder negativeTtl(Duration negativeTtl) {
        this.negativeTtl = notNegative(negativeTtl, "negative-ttl");
        return this;
    }

    /**
     * Sets the most unknown ids, and separately unknown hashes, remembered (default
     * {@link KeyCache#DEFAULT_NEGATIVE_MAX_SIZE}).
     *
     * @throws IllegalArgumentException when negative
     */
    public KeyCacheBuilder negativeMaxSize(long negativeMaxSize) {
        if (negativeMaxSize < 0) {
            throw new IllegalArgumentException("negative max-size must not be negative");
        }
        this.negativeMaxSize = negativeMaxSize;
        return this;
    }

    /**
     * Sets how long past its ttl a key is still served while the store is unreachable (default
     * {@link KeyCache#DEFAULT_STALE_IF_ERROR}); zero disables it.
     *
     * @throws IllegalArgumentException when negative
     */
    public KeyCacheBuilder staleIfError(Duration staleIfError) {
        this.staleIfError = notNegative(staleIfError, "stale-if-error");
        return this;
    }

    /** Sets the time source of every expiry (default {@link Ticker#systemTicker()}); tests pass a fake one. */
    public KeyCacheBuilder ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /** Publishes the cache's metrics on this registry (default: none). */
    public KeyCacheBuilder meterRegistry(@Nullable MeterRegistry registry) {
        this.registry = registry;
        return this;
    }

    /** Adds tags to every meter this cache registers (default: none); never key ids or tokens. */
    public KeyCacheBuilder tags(Iterable<Tag> tags) {
        this.tags = Tags.of(tags);
        return this;
    }

    /**
     * Sets where evictions triggered by store events, and the background reads of keys in use before their ttl
     * runs out, run (default {@link ForkJoinPool#commonPool()}). Evictions never run on the store's event thread,
     * because evicting an entry waits for a load of it in flight.
     */
    public KeyCacheBuilder evictionExecutor(Executor executor) {
        this.evictor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Builds the cache and subscribes it to the store's change events.
     */
    public KeyCache build() {
        return new KeyCache(this);
    }

    /** Starts a Caffeine cache of at most {@code maxSize} entries, each kept {@code life} after its write. */
    Caffeine<Object, Object> caffeine(long maxSize, Duration life) {
        return Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(life).ticker(ticker);
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    private static Duration notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return d;
    }
}
