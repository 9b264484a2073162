package dev.latchkey.redis;

import dev.latchkey.core.StoreUnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RedisKeyStore}: where Redis is (a {@link #uri(String) URL}, or the application's own Lettuce
 * {@link #client(RedisClient, RedisURI) client}), the {@link RedisStoreOptions}, and optionally a registry for the
 * store's meters. The option setters here ({@link #keyPrefix}, {@link #commandTimeout}, ...) are shortcuts for the
 * same setters of {@link RedisStoreOptionsBuilder}; {@link #options} replaces them all.
 */
public final class RedisKeyStoreBuilder {

    private @Nullable String uri;
    private @Nullable AbstractRedisClient client;
    private @Nullable RedisURI clientUri;
    private RedisStoreOptionsBuilder options = RedisStoreOptions.builder();
    private @Nullable MeterRegistry meterRegistry;

    RedisKeyStoreBuilder() {
    }

    /**
     * Sets the Redis URL in API.md §1 form: {@code redis://}, {@code rediss://} (TLS), {@code redis-sentinel://}, or
     * a comma-separated list of nodes for Redis Cluster ({@code redis://h1:7000,redis://h2:7001} or
     * {@code redis://h1:7000,h2:7001}). Required unless a {@link #client(RedisClient, RedisURI) client} is set.
     */
    public RedisKeyStoreBuilder uri(String uri) {
        this.uri = Objects.requireNonNull(uri, "uri");
        return this;
    }

    /**
     * Runs the store on the application's {@link RedisClient}, connecting to the client's own default URI (the one it
     * was created with); see {@link #client(RedisClient, RedisURI)}.
     */
    public RedisKeyStoreBuilder client(RedisClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.clientUri = null;
        return this;
    }

    /**
     * Runs the store on the application's {@link RedisClient} (standalone, TLS or Sentinel), connecting to
     * {@code uri}, instead of on a client of its own built from a {@link #uri(String) URL}. The store opens two
     * connections on it (commands and pub/sub) and closes only those: it never shuts the client or its
     * {@code ClientResources} down. The client's options and resources are then the application's: the connection
     * settings of {@link RedisStoreOptions} are not applied, and Lettuce's command latencies are recorded, or not, by
     * the application's {@code ClientResources} (the store's meters are then only Latchkey's own).
     * {@link RedisStoreOptions#commandTimeout()} still bounds every call and is set on the store's two connections.
     * Tested on Lettuce 6.8 and 7.7.
     */
    public RedisKeyStoreBuilder client(RedisClient client, RedisURI uri) {
        this.client = Objects.requireNonNull(client, "client");
        this.clientUri = Objects.requireNonNull(uri, "uri");
        return this;
    }

    /**
     * Runs the store on the application's {@link RedisClusterClient}, on the seed nodes it was created with, as
     * {@link #client(RedisClient, RedisURI)} does: the store closes only its own connections, and the client's
     * options (topology refresh included) are the application's.
     */
    public RedisKeyStoreBuilder client(RedisClusterClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.clientUri = null;
        return this;
    }

    /** Replaces every option set so far. */
    public RedisKeyStoreBuilder options(RedisStoreOptions options) {
        this.options = Objects.requireNonNull(options, "options").mutate();
        return this;
    }

    /** See {@link RedisStoreOptionsBuilder#keyPrefix}. */
    public RedisKeyStoreBuilder keyPrefix(String prefix) {
        options.keyPrefix(prefix);
        return this;
    }

    /** See {@link RedisStoreOptionsBuilder#commandTimeout}. */
    public RedisKeyStoreBuilder commandTimeout(Duration timeout) {
        options.commandTimeout(timeout);
        return this;
    }

    /** See {@link RedisStoreOptionsBuilder#connectTimeout}. */
    public RedisKeyStoreBuilder connectTimeout(Duration timeout) {
        options.connectTimeout(timeout);
        return this;
    }

    /** See {@link RedisStoreOptionsBuilder#requestQueueSize}. */
    public RedisKeyStoreBuilder requestQueueSize(int size) {
        options.requestQueueSize(size);
        return this;
    }

    /** See {@link RedisStoreOptionsBuilder#reconnectDelayMax}. */
    public RedisKeyStoreBuilder reconnectDelayMax(Duration max) {
        options.reconnectDelayMax(max);
        return this;
    }

    /** See {@link RedisStoreOptionsBuilder#keepAliveIdle}. */
    public RedisKeyStoreBuilder keepAliveIdle(Duration idle) {
        options.keepAliveIdle(idle);
        return this;
    }

    /** See {@link RedisStoreOptionsBuilder#topologyRefreshPeriod}. */
    public RedisKeyStoreBuilder topologyRefreshPeriod(Duration period) {
        options.topologyRefreshPeriod(period);
        return this;
    }

    /** See {@link RedisStoreOptionsBuilder#jobTtl}. */
    public RedisKeyStoreBuilder jobTtl(Duration ttl) {
        options.jobTtl(ttl);
        return this;
    }

    /** See {@link RedisStoreOptionsBuilder#confirmTimeout}. */
    public RedisKeyStoreBuilder confirmTimeout(Duration timeout) {
        options.confirmTimeout(timeout);
        return this;
    }

    /** For tests: how many keys one listing call refiles by expiry before it repeats itself. */
    RedisKeyStoreBuilder filingBudget(int budget) {
        options.filingBudget(budget);
        return this;
    }

    /**
     * Reports the store's meters to this registry from the start, as {@link RedisKeyStore#bindTo} does later (the
     * engine's {@code Authenticator} binds its own registry by itself).
     */
    public RedisKeyStoreBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /**
     * Connects and returns the store.
     *
     * @throws IllegalStateException     when neither a URI nor a client was set, or both were
     * @throws IllegalArgumentException  when the URI is malformed (the message never repeats it)
     * @throws StoreUnavailableException when Redis cannot be reached
     */
    public RedisKeyStore build() {
        if ((uri == null) == (client == null)) {
            throw new IllegalStateException("set either a Redis URI or a Lettuce client");
        }
        RedisStoreOptions o = options.build();
        StoreMeters meters = new StoreMeters(meterRegistry);
        Connections connections = client != null
                ? Connections.onClient(client, clientUri, o.commandTimeout())
                : Connections.open(RedisTarget.parse(Objects.requireNonNull(uri), o.commandTimeout()), o,
                        meters.latencyRecorder());
        return new RedisKeyStore(connections, o, meters);
    }
}
