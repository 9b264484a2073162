package dev.latchkey.redis;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.CreditOp;
import dev.latchkey.core.CreditResult;
import dev.latchkey.core.HistoryGranularity;
import dev.latchkey.core.HistoryShipment;
import dev.latchkey.core.WebhookConfig;
import dev.latchkey.core.Job;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyEventListener;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.Page;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.SecretHash;
import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.Subscription;
import dev.latchkey.core.TenantConfigs;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageBucket;
import dev.latchkey.core.events.EventLog;
import dev.latchkey.core.events.OutboxEvent;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link KeyStore}: keys in Redis (standalone, TLS, Sentinel or Cluster) through Lettuce, shared by
 * every node of an application and the admin service.
 *
 * <p><b>Layout</b> (see {@link Layout}). Each key is one hash, {@code <prefix>k:{<id>}}, in a compact encoding that
 * Redis keeps as a listpack ({@link RecordCodec}: secrets as hex hashes, never a plaintext token) with its usage
 * counters; the hash tag on the id puts everything about a key, including its usage idempotency markers, in one
 * slot. Create, compare-and-set
 * replace, delete and each key's part of a usage batch are single Lua scripts, so each is atomic and runs unchanged
 * on Cluster, and each mutation script also publishes the change event in the same step.
 *
 * <p><b>Indexes in other slots, in a crash-safe order.</b> The imported-token index ({@link ImportedClaims}) and
 * the listing indexes ({@link Listing}) cannot share the record's script on Cluster. Imported hashes are claimed
 * <i>before</i> the record that carries them is written and released <i>after</i> it stops carrying them; a lookup
 * always reads the record, so a leftover entry never authenticates anything. Listing entries are written
 * <i>after</i> the record on create and replace, and removed <i>after</i> it on delete (the delete script makes the
 * token invalid at once); readers drop a listed id whose record is gone (DESIGN.md lists "index before delete";
 * deleting the record first is the safer half, because what a crash leaves is a stale list entry that readers
 * repair, never a live key that nobody can list).
 *
 * <p><b>Usage</b> never touches {@code version} or {@code updated_at}, and replace never touches usage: they are
 * different fields of the hash, and no script names the other's. A batch is sent as one pipelined run of per-key
 * scripts; each applies at most once per batch id through a marker set in the key's slot (kept
 * {@value #USAGE_MARKER_MINUTES} minutes, at most {@value #USAGE_MARKERS_KEPT} ids per key), so a flush that Lettuce
 * replays after a reconnect, or that the recorder retries after a timeout, does not count twice.
 *
 * <p><b>Rate limits, quotas and tenant defaults</b>: see {@link Limits} (one script per charge, in the key's slot, on
 * Redis {@code TIME}, idempotent per request id).
 *
 * <p><b>Events</b>: see {@link Events}. Listeners on this node hear this node's changes at once, on the calling
 * thread, and other nodes' changes through pub/sub on the channel {@code <prefix>events}; after a pub/sub reconnect
 * they get {@link KeyEvent#allStale()}.
 *
 * <p><b>Failures.</b> Every call that cannot reach Redis, or does not get an answer within the command timeout,
 * throws {@link StoreUnavailableException} at once (commands are rejected, not queued, while disconnected). Lettuce
 * reconnects in the background, so the same store works again when Redis is back.
 *
 * <p>Thread-safe. Build with {@link #builder()}; close to release connections and threads.
 */
public final class RedisKeyStore implements KeyStore, MeterBinder {

    static final long USAGE_MARKER_MINUTES = 15;
    static final int USAGE_MARKERS_KEPT = 2_048;

    private static final Logger LOG = LoggerFactory.getLogger(RedisKeyStore.class);

    private static final Script USAGE = Script.load("usage");

    private final RedisStoreOptions options;
    private final StoreMeters meters;
    private final RecordWrites writes;
    private final Jobs jobs;
    private final Layout layout;
    private final Listing listing;
    private final Connections connections;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final Events events;
    private final Confirmations confirmations;
    private final Limits limits;
    private final RedisEventLog eventLog;
    private final RedisTenantConfigs<WebhookConfig> webhookConfigs;
    private final RedisTenantConfigs<StorageConfig> storageConfigs;
    private final History history;
    private final String description;
    private volatile boolean closed;

    RedisKeyStore(Connections connections, RedisStoreOptions options, StoreMeters meters) {
        this.options = options;
        this.meters = meters;
        this.layout = new Layout(options.keyPrefix());
        this.listing = new Listing(layout, options.filingBudget);
        this.connections = connections;
        this.redis = connections.async();
        this.jobs = new Jobs(redis, layout, options.jobTtl(), options.commandTimeout());
        this.description = connections.describe();
        String origin = NodeNames.next();
        this.confirmations = new Confirmations(origin, layout, redis, options.confirmTimeout(),
                options.commandTimeout());
        meters.bindUnconfirmed(confirmations);
        try {
            this.events = new Events(origin, layout, connections.pubSub(), redis, confirmations,
                    options.commandTimeout());
            this.eventLog = new RedisEventLog(redis, layout, options.commandTimeout());
            this.limits = new Limits(redis, layout, events, options.commandTimeout(), options.chargeMarkerTtl());
            this.writes = new RecordWrites(redis, layout, listing, events, confirmations, eventLog,
                    options.commandTimeout());
            confirmations.start();
        } catch (RuntimeException e) {
            confirmations.close();
            connections.close();
            throw e;
        }
        this.webhookConfigs = new RedisTenantConfigs<>(redis, options.keyPrefix(), ConfigCodec.WEBHOOK,
                options.commandTimeout(), this::requireOpen);
        this.storageConfigs = new RedisTenantConfigs<>(redis, options.keyPrefix(), ConfigCodec.STORAGE,
                options.commandTimeout(), this::requireOpen);
        this.history = new History(redis, layout, options.commandTimeout(), History.resolver(redis, layout,
                options.commandTimeout(), tenant -> limits.tenantDefaults(tenant).storageConfig(),
                storageConfigs::find));
        events.subscribe(history::onEvent);
        LOG.info("Key store on {} with key prefix '{}'", description, options.keyPrefix());
    }

    /** Starts a builder. */
    public static RedisKeyStoreBuilder builder() {
        return new RedisKeyStoreBuilder();
    }

    @Override
    public String kind() {
        return "redis";
    }


    @Override
    public void create(ApiKey key) {
        create(key, null);
    }

    @Override
    public void create(ApiKey key, @Nullable OutboxEvent event) {
        requireOpen();
        writes.create(key, event);
    }

    @Override
    public Optional<ApiKey> find(String id) {
        requireOpen();
        Map<String, String> fields = await(redis.hgetall(layout.record(id)));
        return fields == null || fields.isEmpty() ? Optional.empty() : Optional.of(RecordCodec.decode(id, fields));
    }

    @Override
    public Optional<ApiKey> findByImportedHash(SecretHash hash) {
        requireOpen();
        String id = await(redis.get(layout.imported(hash)));
        if (id == null) {
            return Optional.empty();
        }
        return find(id).filter(k -> k.carriesImported(hash));
    }

    @Override
    public boolean replace(ApiKey updated, long expectedVersion) {
        return replace(updated, expectedVersion, null);
    }

    @Override
    public boolean replace(ApiKey updated, long expectedVersion, @Nullable OutboxEvent event) {
        requireOpen();
        return writes.replace(updated, expectedVersion, event);
    }

    @Override
    public boolean delete(String id) {
        return delete(id, null);
    }

    @Override
    public boolean delete(String id, @Nullable OutboxEvent event) {
        requireOpen();
        return writes.delete(id, event);
    }


    @Override
    public Page<ApiKey> list(KeyQuery query) {
        requireOpen();
        return listing.page(redis, connections::readRecords, query, options.commandTimeout());
    }


    @Override
    public void recordUsage(UsageBatch batch) {
        requireOpen();
        history.record(batch);
    }

    @Override
    public boolean supportsHistory() {
        return true;
    }

    @Override
    public List<UsageBucket> usageHistory(String keyId, Instant from, Instant to, HistoryGranularity granularity) {
        requireOpen();
        return history.read(keyId, from, to, granularity);
    }

    @Override
    public Optional<HistoryShipment> takeHistoryShipment() {
        requireOpen();
        return history.take();
    }

    @Override
    public void historyShipped(HistoryShipment shipment) {
        requireOpen();
        history.shipped(shipment);
    }


    @Override
    public boolean supportsLimits() {
        return true;
    }

    @Override
    public ChargeResult charge(String keyId, String requestId, long cost, @Nullable RateLimit rateLimit,
            @Nullable Quota quota) {
        requireOpen();
        return eventLog.raiseIfExhausted(keyId, limits.charge(keyId, requestId, cost, rateLimit, quota));
    }

    /** Charges as {@link #charge(String, String, long, RateLimit, Quota)} does, waiting at most {@code timeout}. */
    @Override
    public ChargeResult charge(String keyId, String requestId, long cost, @Nullable RateLimit rateLimit,
            @Nullable Quota quota, Duration timeout) {
        requireOpen();
        return eventLog.raiseIfExhausted(keyId, limits.charge(keyId, requestId, cost, rateLimit, quota, timeout));
    }

    @Override
    public Optional<QuotaState> quotaState(String keyId, Quota quota) {
        requireOpen();
        return limits.quotaState(keyId, quota);
    }

    @Override
    public CreditResult credit(String keyId, String operationId, CreditOp op, long amount, Quota quota,
            @Nullable Long expectedSequence) {
        requireOpen();
        return limits.credit(keyId, operationId, op, amount, quota, expectedSequence);
    }

    @Override
    public TenantDefaults tenantDefaults(String tenantId) {
        requireOpen();
        return limits.tenantDefaults(tenantId);
    }

    @Override
    public boolean replaceTenantDefaults(TenantDefaults updated, long expectedVersion) {
        requireOpen();
        return limits.replaceTenantDefaults(updated, expectedVersion);
    }


    @Override
    public boolean supportsConfigs() {
        return true;
    }

    @Override
    public TenantConfigs<WebhookConfig> webhookConfigs() {
        return webhookConfigs;
    }

    @Override
    public TenantConfigs<StorageConfig> storageConfigs() {
        return storageConfigs;
    }


    @Override
    public void saveJob(Job job) {
        requireOpen();
        jobs.save(job);
    }

    @Override
    public Optional<Job> findJob(String id) {
        requireOpen();
        return jobs.find(id);
    }

    @Override
    public @Nullable String setting(String name) {
        requireOpen();
        return await(redis.hget(layout.settings(), name));
    }

    @Override
    public String initSetting(String name, String value) {
        requireOpen();
        Boolean set = await(redis.hsetnx(layout.settings(), name, value));
        if (Boolean.TRUE.equals(set)) {
            return value;
        }
        String held = await(redis.hget(layout.settings(), name));
        return held == null ? initSetting(name, value) : held;
    }


    @Override
    public Subscription subscribe(KeyEventListener listener) {
        return events.subscribe(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void ping() {
        requireOpen();
        String pong = await(redis.ping());
        if (!"PONG".equals(pong)) {
            throw new StoreUnavailableException("Redis answered PING with something else");
        }
    }

    @Override
    public EventLog events() {
        return eventLog;
    }

    /** Returns the key prefix of this store. */
    public String keyPrefix() {
        return options.keyPrefix();
    }

    /**
     * Reports the store's meters to {@code registry}: Lettuce's command latencies ({@code lettuce.command.*}, when
     * the store built its own client) and {@code latchkey.invalidation.unconfirmed}. The engine's
     * {@code Authenticator} calls this for the registry it is given; binding one registry twice is harmless.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        meters.bindTo(registry);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        confirmations.close();
        events.close();
        connections.close();
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreUnavailableException("the Redis key store is closed");
        }
    }

    private <T> T await(CompletionStage<T> stage) {
        return Failures.await(stage, options.commandTimeout());
    }

    @Override
    public String toString() {
        return "RedisKeyStore[" + description + ", prefix=" + options.keyPrefix() + "]";
    }
}
