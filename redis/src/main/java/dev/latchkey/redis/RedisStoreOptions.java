package dev.latchkey.redis;

import java.time.Duration;

/**
 * How a {@link RedisKeyStore} talks to Redis: immutable, built with {@link #builder()} (or {@link #mutate()} to
 * change a copy), in the style of Lettuce's own {@code ClientOptions}. Every Lettuce setting that matters on an
 * authentication hot path is explicit here, because Lettuce's defaults suit batch work, not a request thread waiting
 * on Redis:
 * <ul>
 *   <li>{@link #commandTimeout}: how long a call may wait for Redis (default {@link #DEFAULT_COMMAND_TIMEOUT},
 *       Lettuce's is 60 s); past it the call throws {@code StoreUnavailableException} and the filter serves from
 *       cache or answers 503;</li>
 *   <li>commands are <b>rejected while disconnected</b> ({@code DisconnectedBehavior.REJECT_COMMANDS}), not queued
 *       until a reconnect that may never come; callers fail fast;</li>
 *   <li>{@link #requestQueueSize}: a bound on commands in flight per connection (default
 *       {@value #DEFAULT_REQUEST_QUEUE_SIZE}; Lettuce's is unbounded), so a slow Redis cannot grow the heap without
 *       limit;</li>
 *   <li>TCP keepalive after {@link #keepAliveIdle} (default {@link #DEFAULT_KEEP_ALIVE_IDLE}, probes every third of
 *       it, 3 probes), so a connection silently dropped by a firewall or NAT is noticed and re-opened;</li>
 *   <li>{@link #reconnectDelayMax}: reconnect attempts back off exponentially from 10 ms to this (default
 *       {@link #DEFAULT_RECONNECT_DELAY_MAX}; Lettuce's is 30 s), so service resumes soon after Redis does;</li>
 *   <li>on Cluster, periodic topology refresh every {@link #topologyRefreshPeriod} plus all adaptive triggers (MOVED,
 *       ASK, persistent reconnects), so a failover or resharding is followed within seconds.</li>
 * </ul>
 * The connection settings apply to the client the store builds from a URL; on the application's own client
 * ({@link RedisKeyStoreBuilder#client}) they are the application's, and only {@link #commandTimeout},
 * {@link #keyPrefix}, {@link #jobTtl} and {@link #confirmTimeout} apply.
 */
public final class RedisStoreOptions {

    /** The default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "latchkey:";
    /** The default command timeout: short, because a request thread waits on it (Lettuce's default is 60 s). */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** The default TCP connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The default bound on commands waiting for a reply per connection (Lettuce's default is unbounded). */
    public static final int DEFAULT_REQUEST_QUEUE_SIZE = 10_000;
    /**
     * The default longest wait between reconnect attempts (Lettuce's default is 30 s): after a Sentinel failover the
     * store finds the new master at most this long after the switch (#21).
     */
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofMillis(500);
    /** The default idle time before TCP keepalive probes start on a quiet connection. */
    public static final Duration DEFAULT_KEEP_ALIVE_IDLE = Duration.ofSeconds(30);
    /**
     * The default period of the Cluster topology refresh (adaptive refresh also reacts to MOVED, ASK, reconnects):
     * the bound on noticing a promotion that no reconnect announces, such as a frozen master's replica taking over.
     */
    public static final Duration DEFAULT_TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(5);
    /** How long jobs are kept. */
    public static final Duration DEFAULT_JOB_TTL = Duration.ofDays(7);
    /** The default longest a change waits for other nodes to confirm they dropped the key: 250 ms. */
    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofMillis(250);
    /**
     * How long a charge's verdict is remembered by request id (and a credit change's by operation id), so that a
     * command replayed after a reconnect, or retried by its caller, is never charged twice: at least 30 seconds, and
     * ten command timeouts when that is longer ({@link #chargeMarkerTtl()}). Each marker takes about 190 bytes of
     * Redis memory, so 10,000 charges a second keep about 60 MB of markers.
     */
    public static final Duration DEFAULT_CHARGE_MARKER_TTL = Duration.ofSeconds(30);

    private static final RedisStoreOptions DEFAULTS = new RedisStoreOptionsBuilder().build();

    final String keyPrefix;
    final Duration commandTimeout;
    final Duration connectTimeout;
    final int requestQueueSize;
    final Duration reconnectDelayMax;
    final Duration keepAliveIdle;
    final Duration topologyRefreshPeriod;
    final Duration jobTtl;
    final Duration confirmTimeout;
    final int filingBudget;

    RedisStoreOptions(RedisStoreOptionsBuilder b) {
        this.keyPrefix = b.keyPrefix;
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.requestQueueSize = b.requestQueueSize;
        this.reconnectDelayMax = b.reconnectDelayMax;
        this.keepAliveIdle = b.keepAliveIdle;
        this.topologyRefreshPeriod = b.topologyRefreshPeriod;
        this.jobTtl = b.jobTtl;
        this.confirmTimeout = b.confirmTimeout;
        this.filingBudget = b.filingBudget;
    }

    /** Returns the default options. */
    public static RedisStoreOptions defaults() {
        return DEFAULTS;
    }

    /** Starts a builder with the default options. */
    public static RedisStoreOptionsBuilder builder() {
        return new RedisStoreOptionsBuilder();
    }

    /** Returns a builder that starts from these options. */
    public RedisStoreOptionsBuilder mutate() {
        return new RedisStoreOptionsBuilder(this);
    }

    /** The prefix of every Redis key and of the event channel. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** How long a command may take before the call fails. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** The TCP connect timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The bound on commands in flight per connection. */
    public int requestQueueSize() {
        return requestQueueSize;
    }

    /** The longest wait between reconnect attempts. */
    public Duration reconnectDelayMax() {
        return reconnectDelayMax;
    }

    /** The idle time before TCP keepalive probes start. */
    public Duration keepAliveIdle() {
        return keepAliveIdle;
    }

    /** The Cluster topology refresh period. */
    public Duration topologyRefreshPeriod() {
        return topologyRefreshPeriod;
    }

    /** How long jobs are kept. */
    public Duration jobTtl() {
        return jobTtl;
    }

    /** The longest a key change waits for other nodes to confirm they dropped the key (zero: no wait). */
    public Duration confirmTimeout() {
        return confirmTimeout;
    }

    /** How long charge and credit markers are kept: ten command timeouts, at least 30 s. */
    public Duration chargeMarkerTtl() {
        Duration tenTimeouts = commandTimeout.multipliedBy(10);
        return tenTimeouts.compareTo(DEFAULT_CHARGE_MARKER_TTL) > 0 ? tenTimeouts : DEFAULT_CHARGE_MARKER_TTL;
    }

    @Override
    public String toString() {
        return "RedisStoreOptions[keyPrefix=" + keyPrefix + ", commandTimeout=" + commandTimeout
                + ", connectTimeout=" + connectTimeout + ", requestQueueSize=" + requestQueueSize
                + ", reconnectDelayMax=" + reconnectDelayMax + ", keepAliveIdle=" + keepAliveIdle
                + ", topologyRefreshPeriod=" + topologyRefreshPeriod + ", jobTtl=" + jobTtl
                + ", confirmTimeout=" + confirmTimeout + "]";
    }
}
