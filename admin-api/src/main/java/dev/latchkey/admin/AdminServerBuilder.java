package dev.latchkey.admin;

import dev.latchkey.admin.webhooks.WebhookSettings;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.UsageRecorder;
import dev.latchkey.engine.AuthSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures an {@link AdminServer}. Setters check their values at once. Not thread-safe.
 *
 * @since 0.1
 */
public final class AdminServerBuilder {
    final KeyStore store;
    String host = "127.0.0.1";
    int port = 8080;
    @Nullable String adminToken;
    @Nullable String pepper;
    String tokenPrefix = TokenCodec.DEFAULT_PREFIX;
    Clock clock = Clock.systemUTC();
    @Nullable PrometheusMeterRegistry registry;
    Duration usageFlushInterval = UsageRecorder.DEFAULT_FLUSH_INTERVAL;
    Duration shutdownGrace = Duration.ofSeconds(10);
    long authFailureLimit = AuthSettings.DEFAULT_AUTH_FAILURE_LIMIT;
    Duration authFailurePeriod = AuthSettings.DEFAULT_AUTH_FAILURE_PERIOD;
    boolean webhookAllowPrivate;
    Duration rateLimitStoreTimeout = AuthSettings.DEFAULT_RATE_LIMIT_STORE_TIMEOUT;
    AuthSettings.OnStoreError rateLimitOnStoreError = AuthSettings.OnStoreError.LOCAL;
    WebhookSettings webhookSettings = WebhookSettings.defaults();

    AdminServerBuilder(KeyStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Sets the bind address (default {@code 127.0.0.1}). */
    public AdminServerBuilder host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /**
     * Sets the port (default 8080; 0 = any free port).
     *
     * @throws IllegalArgumentException when outside 0–65535
     */
    public AdminServerBuilder port(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535");
        }
        this.port = port;
        return this;
    }

    /**
     * Sets the root admin token; {@code null} or empty generates one.
     */
    public AdminServerBuilder adminToken(@Nullable String token) {
        this.adminToken = token == null || token.isEmpty() ? null : token;
        return this;
    }

    /** Sets the pepper for HMAC-SHA256 hashing; {@code null} or empty means plain SHA-256. */
    public AdminServerBuilder pepper(@Nullable String pepper) {
        this.pepper = pepper == null || pepper.isEmpty() ? null : pepper;
        return this;
    }

    /**
     * Sets the prefix of generated tokens (default {@code lk}).
     *
     * @throws IllegalArgumentException when not 1 to 16 ASCII letters or digits
     */
    public AdminServerBuilder tokenPrefix(String prefix) {
        new TokenCodec(prefix);
        this.tokenPrefix = prefix;
        return this;
    }

    /** Sets the clock (default UTC system clock). */
    public AdminServerBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Sets the registry {@code /metrics} renders (default a new one). */
    public AdminServerBuilder registry(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /** Sets how often counted key uses are written to the store (default 1 s; zero = only on close). */
    public AdminServerBuilder usageFlushInterval(Duration interval) {
        this.usageFlushInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /** Sets how long close waits for in-flight requests (default 10 s). */
    public AdminServerBuilder shutdownGrace(Duration grace) {
        this.shutdownGrace = Objects.requireNonNull(grace, "grace");
        return this;
    }

    /**
     * Sets the failed authentications allowed per connecting address per period (API.md §7; default 1000, 0 = no
     * limit) and that period (default 1 min).
     *
     * @throws IllegalArgumentException when the limit is negative or the period under one second
     */
    public AdminServerBuilder authFailures(long limit, Duration period) {
        AuthSettings.builder().authFailureLimit(limit).authFailurePeriod(period);
        this.authFailureLimit = limit;
        this.authFailurePeriod = period;
        return this;
    }

    /**
     * Sets how long {@code POST /v1/verify} waits for a rate-limit or quota charge and what it does when the store
     * does not answer in time (API.md §8: {@code LATCHKEY_RATE_LIMIT_STORE_TIMEOUT}, default 250 ms, and
     * {@code LATCHKEY_RATE_LIMIT_ON_STORE_ERROR}, default {@code local}).
     *
     * @throws IllegalArgumentException when the timeout is not positive
     */
    public AdminServerBuilder rateLimitOnStoreError(Duration storeTimeout, AuthSettings.OnStoreError mode) {
        AuthSettings.builder().rateLimitStoreTimeout(storeTimeout).rateLimitOnStoreError(mode); // validates both
        this.rateLimitStoreTimeout = storeTimeout;
        this.rateLimitOnStoreError = mode;
        return this;
    }

    /**
     * Sets how key events are sent to webhooks (API.md §10; default {@link WebhookSettings#defaults()}: private
     * receivers refused, the 24-hour retry schedule). Its {@code allowPrivate} also sets
     * {@link #webhookAllowPrivate}, so configs and deliveries follow one rule.
     */
    public AdminServerBuilder webhooks(WebhookSettings settings) {
        this.webhookSettings = Objects.requireNonNull(settings, "settings");
        this.webhookAllowPrivate = settings.allowPrivate();
        return this;
    }

    /**
     * Sets whether webhook URLs may name loopback, private and link-local addresses, and deliveries may reach them
     * (API.md §10, {@code LATCHKEY_WEBHOOK_ALLOW_PRIVATE}; default {@code false}).
     */
    public AdminServerBuilder webhookAllowPrivate(boolean allow) {
        this.webhookAllowPrivate = allow;
        this.webhookSettings = webhookSettings.withAllowPrivate(allow);
        return this;
    }

    /** Builds the server (not yet started). */
    public AdminServer build() {
        return new AdminServer(this);
    }
}
