package dev.latchkey.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Builds {@link RedisStoreOptions}; every setter checks its value at once. Start one with
 * {@link RedisStoreOptions#builder()} or {@link RedisStoreOptions#mutate()}.
 */
public final class RedisStoreOptionsBuilder {

    String keyPrefix = RedisStoreOptions.DEFAULT_KEY_PREFIX;
    Duration commandTimeout = RedisStoreOptions.DEFAULT_COMMAND_TIMEOUT;
    Duration connectTimeout = RedisStoreOptions.DEFAULT_CONNECT_TIMEOUT;
    int requestQueueSize = RedisStoreOptions.DEFAULT_REQUEST_QUEUE_SIZE;
    Duration reconnectDelayMax = RedisStoreOptions.DEFAULT_RECONNECT_DELAY_MAX;
    Duration keepAliveIdle = RedisStoreOptions.DEFAULT_KEEP_ALIVE_IDLE;
    Duration topologyRefreshPeriod = RedisStoreOptions.DEFAULT_TOPOLOGY_REFRESH_PERIOD;
    Duration jobTtl = RedisStoreOptions.DEFAULT_JOB_TTL;
    Duration confirmTimeout = RedisStoreOptions.DEFAULT_CONFIRM_TIMEOUT;
    int filingBudget = Listing.DEFAULT_FILING_BUDGET;

    RedisStoreOptionsBuilder() {
    }

    RedisStoreOptionsBuilder(RedisStoreOptions o) {
        keyPrefix = o.keyPrefix;
        commandTimeout = o.commandTimeout;
        connectTimeout = o.connectTimeout;
        requestQueueSize = o.requestQueueSize;
        reconnectDelayMax = o.reconnectDelayMax;
        keepAliveIdle = o.keepAliveIdle;
        topologyRefreshPeriod = o.topologyRefreshPeriod;
        jobTtl = o.jobTtl;
        confirmTimeout = o.confirmTimeout;
        filingBudget = o.filingBudget;
    }

    /**
     * Sets the prefix of every Redis key and of the event channel (default
     * {@value RedisStoreOptions#DEFAULT_KEY_PREFIX}). Two stores with different prefixes on one Redis never see each
     * other's keys or events.
     *
     * @throws IllegalArgumentException when it contains braces (they would break the hash tags)
     */
    public RedisStoreOptionsBuilder keyPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("a key prefix must not contain { or }");
        }
        this.keyPrefix = prefix;
        return this;
    }

    /** Sets how long a command may take before the call fails (default 1 s). */
    public RedisStoreOptionsBuilder commandTimeout(Duration timeout) {
        this.commandTimeout = positive(timeout, "commandTimeout");
        return this;
    }

    /** Sets the TCP connect timeout (default 2 s). */
    public RedisStoreOptionsBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /** Sets the bound on commands in flight per connection (default 10,000). */
    public RedisStoreOptionsBuilder requestQueueSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("requestQueueSize must be positive");
        }
        this.requestQueueSize = size;
        return this;
    }

    /** Sets the longest wait between reconnect attempts (default 2 s). */
    public RedisStoreOptionsBuilder reconnectDelayMax(Duration max) {
        this.reconnectDelayMax = positive(max, "reconnectDelayMax");
        return this;
    }

    /** Sets the idle time before TCP keepalive probes (default 30 s). */
    public RedisStoreOptionsBuilder keepAliveIdle(Duration idle) {
        this.keepAliveIdle = positive(idle, "keepAliveIdle");
        return this;
    }

    /** Sets the Cluster topology refresh period (default 30 s). */
    public RedisStoreOptionsBuilder topologyRefreshPeriod(Duration period) {
        this.topologyRefreshPeriod = positive(period, "topologyRefreshPeriod");
        return this;
    }

    /** Sets how long jobs are kept (default 7 days). */
    public RedisStoreOptionsBuilder jobTtl(Duration ttl) {
        this.jobTtl = positive(ttl, "jobTtl");
        return this;
    }

    /**
     * Sets how long a change of a key (status, rotation, reset, delete, any update) waits for every other live node
     * to confirm that it dropped the key from its cache (default 250 ms; zero does not wait). A node that does not
     * confirm in time is named in a warning; the change still succeeds.
     */
    public RedisStoreOptionsBuilder confirmTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "confirmTimeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("confirmTimeout must not be negative");
        }
        this.confirmTimeout = timeout;
        return this;
    }

    /** For tests: how many keys one listing call refiles by expiry before it repeats itself. */
    RedisStoreOptionsBuilder filingBudget(int budget) {
        this.filingBudget = budget;
        return this;
    }

    /** Returns the options. */
    public RedisStoreOptions build() {
        return new RedisStoreOptions(this);
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }
}
