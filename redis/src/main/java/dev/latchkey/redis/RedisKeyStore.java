package dev.latchkey.redis;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.CreditOp;
import dev.latchkey.core.CreditResult;
import dev.latchkey.core.Credential;
import dev.latchkey.core.DuplicateKeyException;
import dev.latchkey.core.HistoryGranularity;
import dev.latchkey.core.Ids;
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
import dev.latchkey.core.Usage;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageBucket;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.events.OutboxEvent;
import dev.latchkey.core.WebhookConfig;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link KeyStore}: keys in Redis (standalone, TLS, Sentinel or Cluster) through Lettuce, shared by
 * every node of an application and the admin service.
 *
 * <p><b>Layout</b> (see {@link Layout}). Each key is one hash, {@code <prefix>k:{<id>}}, with readable fields (times as
 * UTC text, secrets as hex hashes, lists as JSON, never a plaintext token) and its usage counters; the hash tag on
 * the id puts everything about a key, including its usage idempotency markers, in one slot. Create, compare-and-set
 * replace, delete and each key's part of a usage batch are single Lua scripts, so each is atomic and runs unchanged
 * on Cluster, and each mutation script also publishes the change event in the same step.
 *
 * <p><b>Indexes in other slots, in a crash-safe order.</b> The imported-token index ({@code imp:{<hash>}} → id) and
 * the listing indexes ({@link Listing}) cannot share the record's script on Cluster. Imported hashes are claimed
 * <i>before</i> the record that carries them is written (so a stored imported token is always findable) and
 * released <i>after</i> the record stops carrying them; a lookup always reads the record and ignores an entry whose
 * record does not carry the hash, so a leftover entry can never authenticate anything. A claim is pending, with a
 * time to live, until the record is written; a pending claim is never taken over (two creates of one imported token
 * cannot both succeed), and a settled claim held by a record that does not carry the hash counts as free. A crash
 * between a create's record write and its settle leaves a pending claim that expires: the record, which nobody was
 * told about, then carries a token that finds nothing. Listing entries are written <i>after</i> the record on create and replace,
 * and removed <i>after</i> the record on delete: the delete script makes the token invalid at once, and a listed id
 * whose record is gone is dropped and unfiled by the next reader (DESIGN.md lists "index before delete"; deleting
 * the record first is the safer half of that trade, because the failure it leaves behind is a stale list entry that
 * readers repair, never a live key that nobody can list). A crash between a create's record and its listing entries
 * leaves a key that works but is not listed; its token was never returned to anyone.
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
public final class RedisKeyStore implements KeyStore {

    /** The default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "latchkey:";
    /** The default command timeout: short, because a request thread waits on it (Lettuce's default is 60 s). */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** The default TCP connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The default bound on commands waiting for a reply per connection (Lettuce's default is unbounded). */
    public static final int DEFAULT_REQUEST_QUEUE_SIZE = 10_000;
    /** The default longest wait between reconnect attempts (Lettuce's default is 30 s). */
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(2);
    /** The default idle time before TCP keepalive probes start on a quiet connection. */
    public static final Duration DEFAULT_KEEP_ALIVE_IDLE = Duration.ofSeconds(30);
    /** The default period of the Cluster topology refresh (adaptive refresh also reacts to MOVED, ASK, reconnects). */
    public static final Duration DEFAULT_TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(30);
    /** How long jobs are kept. */
    public static final Duration DEFAULT_JOB_TTL = Duration.ofDays(7);
    /** The default longest a change waits for other nodes to confirm they dropped the key: 250 ms. */
    public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofMillis(250);
    /**
     * How long a charge's verdict is remembered by request id (and a credit change's by operation id), so that a
     * command replayed after a reconnect, or retried by its caller, is never charged twice: at least 30 seconds, and
     * ten command timeouts when that is longer. Each marker takes about 190 bytes of Redis memory, so 10,000 charges
     * a second keep about 60 MB of markers.
     */
    public static final Duration DEFAULT_CHARGE_MARKER_TTL = Duration.ofSeconds(30);

    static final long USAGE_MARKER_MINUTES = 15;
    static final int USAGE_MARKERS_KEPT = 2_048;

    private static final Logger LOG = LoggerFactory.getLogger(RedisKeyStore.class);

    private static final Script CREATE = Script.load("create");
    private static final Script REPLACE = Script.load("replace");
    private static final Script DELETE = Script.load("delete");
    private static final Script SAVE_JOB = Script.load("job");
    private static final Script CLAIM_IMPORTED = Script.load("imported-claim");
    private static final Script RELEASE_IMPORTED = Script.load("imported-release");
    private static final Script SETTLE_IMPORTED = Script.load("imported-settle");
    private static final Duration MIN_PENDING_CLAIM = Duration.ofSeconds(30);

    /** The settings a store was built with. */
    record Settings(String prefix, Duration commandTimeout, Duration connectTimeout, int requestQueueSize,
            Duration reconnectDelayMax, Duration keepAliveIdle, Duration topologyRefreshPeriod, Duration jobTtl,
            @Nullable Object meterRegistry, int filingBudget, Duration confirmTimeout) {
    }

    private final Settings settings;
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

    private RedisKeyStore(Connections connections, Settings settings) {
        this.settings = settings;
        this.layout = new Layout(settings.prefix());
        this.listing = new Listing(layout, settings.filingBudget());
        this.connections = connections;
        this.redis = connections.async();
        this.description = connections.describe();
        String origin = NodeNames.next();
        this.confirmations = new Confirmations(origin, layout, redis, settings.confirmTimeout(),
                settings.commandTimeout());
        if (settings.meterRegistry() != null) {
            Connections.MicrometerSupport.bindUnconfirmed(settings.meterRegistry(), confirmations);
        }
        try {
            this.events = new Events(origin, layout, connections.pubSub(), redis, confirmations,
                    settings.commandTimeout());
            Duration markers = settings.commandTimeout().multipliedBy(10);
            this.eventLog = new RedisEventLog(redis, layout, settings.commandTimeout());
            this.limits = new Limits(redis, layout, events, settings.commandTimeout(),
                    markers.compareTo(DEFAULT_CHARGE_MARKER_TTL) > 0 ? markers : DEFAULT_CHARGE_MARKER_TTL);
            confirmations.start();
        } catch (RuntimeException e) {
            confirmations.close();
            connections.close();
            throw e;
        }
        this.webhookConfigs = new RedisTenantConfigs<>(redis, settings.prefix(), ConfigCodec.WEBHOOK,
                settings.commandTimeout(), this::requireOpen);
        this.storageConfigs = new RedisTenantConfigs<>(redis, settings.prefix(), ConfigCodec.STORAGE,
                settings.commandTimeout(), this::requireOpen);
        this.history = new History(redis, layout, settings.commandTimeout(), History.resolver(redis, layout,
                settings.commandTimeout(), tenant -> limits.tenantDefaults(tenant).storageConfig(),
                storageConfigs::find));
        events.subscribe(history::onEvent);
        LOG.info("Key store on {} with key prefix '{}'", description, settings.prefix());
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "redis";
    }

    // ------------------------------------------------------------------ records

    @Override
    public void create(ApiKey key) {
        create(key, null);
    }

    @Override
    public void create(ApiKey key, @Nullable OutboxEvent event) {
        requireOpen();
        ApiKey record = key.withUsage(Usage.NONE);
        String id = record.id();
        for (Credential c : record.importedCredentials()) {
            claimImported(c.hash(), id);
        }
        List<String> args = new ArrayList<>();
        args.add(layout.channel());
        args.add(events.message(KeyEvent.Type.CREATED, id, record.version()));
        args.add(event == null ? "" : event.id());
        args.add(event == null ? "" : event.encode());
        RecordCodec.encode(record).forEach((f, v) -> {
            args.add(f);
            args.add(v);
        });
        Long created = await(CREATE.run(redis, ScriptOutputType.INTEGER,
                new String[] {layout.record(id), layout.outbox(id)},
                args.toArray(String[]::new)));
        if (created == 0) {
            Optional<ApiKey> existing = find(id);
            for (Credential c : record.importedCredentials()) {
                if (existing.isEmpty() || !existing.get().carriesImported(c.hash())) {
                    releaseImported(c.hash().hex(), id);
                }
            }
            throw new DuplicateKeyException("a key with id " + id + " exists");
        }
        for (Credential c : record.importedCredentials()) {
            if (!settleImported(c.hash(), id)) {
                // Our pending claim outlived its time to live (a very slow create) and another key took it.
                undoCreate(record);
                throw new DuplicateKeyException("that imported token is already in use");
            }
        }
        eventLog.relaySoon(id, event);
        List<CompletableFuture<Long>> pending = new ArrayList<>(listing.put(redis, record));
        pending.add(eventLog.indexExpiry(record));
        awaitAll(pending);
        events.local(KeyEvent.of(KeyEvent.Type.CREATED, id, record.version()));
    }

    @Override
    public Optional<ApiKey> find(String id) {
        requireOpen();
        Map<String, String> fields = await(redis.hgetall(layout.record(id)));
        return fields == null || fields.isEmpty() ? Optional.empty() : Optional.of(RecordCodec.decode(fields));
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
        if (updated.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("the new version must be the expected version + 1");
        }
        String id = updated.id();
        Confirmations.Pending change = confirmations.expect(Ids.next());
        try {
            for (Credential c : updated.importedCredentials()) {
                claimImported(c.hash(), id);
            }
            Map<String, String> fields = RecordCodec.encode(updated);
            List<String> absent = RecordCodec.OPTIONAL.stream().filter(f -> !fields.containsKey(f)).toList();
            List<String> args = new ArrayList<>();
            args.add(Long.toString(expectedVersion));
            args.add(layout.channel());
            args.add(events.message(KeyEvent.Type.UPDATED, id, updated.version(), change.changeId));
            args.add(event == null ? "" : event.id());
            args.add(event == null ? "" : event.encode());
            args.add(Integer.toString(absent.size()));
            args.addAll(absent);
            fields.forEach((f, v) -> {
                args.add(f);
                args.add(v);
            });
            List<Object> result = await(REPLACE.<List<Object>>run(redis, ScriptOutputType.MULTI,
                    new String[] {layout.record(id), layout.outbox(id)}, args.toArray(String[]::new)));
            if (((Number) result.get(0)).longValue() != 1) {
                confirmations.cancel(change);
                return false;
            }
            String oldTenant = (String) result.get(1);
            eventLog.relaySoon(id, event);
            List<CompletableFuture<Long>> pending = new ArrayList<>(listing.put(redis, updated));
            pending.add(eventLog.indexExpiry(updated));
            for (String hex : importedHexes(result, 2)) {
                if (!updated.carriesImported(SecretHash.fromHex(hex))) {
                    pending.add(RELEASE_IMPORTED.run(redis, ScriptOutputType.INTEGER,
                            new String[] {layout.imported(hex)}, id));
                }
            }
            for (Credential c : updated.importedCredentials()) {
                if (!settleImported(c.hash(), id)) {
                    LOG.warn("Key {} carries an imported token whose index entry another key holds", id);
                }
            }
            if (!oldTenant.isEmpty() && !oldTenant.equals(updated.tenantId())) {
                pending.add(listing.remove(redis, layout.tenantIndex(oldTenant), id, updated.version()));
            }
            events.local(KeyEvent.of(KeyEvent.Type.UPDATED, id, updated.version()));
            confirmations.await(change, id);
            awaitAll(pending);
            return true;
        } catch (StoreUnavailableException e) {
            // The change may have been applied: make this node's caches forget the key rather than trust them.
            confirmations.cancel(change);
            events.local(KeyEvent.of(KeyEvent.Type.UPDATED, id, 0));
            throw e;
        }
    }

    @Override
    public boolean delete(String id) {
        return delete(id, null);
    }

    @Override
    public boolean delete(String id, @Nullable OutboxEvent event) {
        requireOpen();
        Confirmations.Pending change = confirmations.expect(Ids.next());
        try {
            List<Object> result = deleteRecord(id, change.changeId, event);
            if (result.isEmpty()) {
                confirmations.cancel(change);
                return false;
            }
            String tenant = (String) result.get(1);
            List<CompletableFuture<Long>> pending = new ArrayList<>();
            for (String hex : importedHexes(result, 2)) {
                pending.add(RELEASE_IMPORTED.run(redis, ScriptOutputType.INTEGER,
                        new String[] {layout.imported(hex)}, id));
            }
            pending.add(listing.remove(redis, layout.globalIndex(), id, null));
            pending.add(listing.remove(redis, layout.tenantIndex(tenant), id, null));
            pending.add(eventLog.unindexExpiry(id));
            eventLog.relaySoon(id, event);
            events.local(KeyEvent.of(KeyEvent.Type.DELETED, id, 0));
            confirmations.await(change, id);
            awaitAll(pending);
            return true;
        } catch (StoreUnavailableException e) {
            confirmations.cancel(change);
            events.local(KeyEvent.of(KeyEvent.Type.UPDATED, id, 0));
            throw e;
        }
    }

    /** Deletes a record and its usage markers and announces it; returns what delete.lua answers. */
    private List<Object> deleteRecord(String id, String changeId, @Nullable OutboxEvent event) {
        return await(DELETE.<List<Object>>run(redis, ScriptOutputType.MULTI,
                new String[] {layout.record(id), layout.usageMarkers(id), layout.rateWindow(id), layout.balance(id),
                        layout.outbox(id)},
                layout.channel(),
                events.message(KeyEvent.Type.DELETED, id, 0, changeId),
                event == null ? "" : event.id(), event == null ? "" : event.encode()));
    }

    /** Reads the imported hashes out of a script answer: hash, imported flag, hash, imported flag. */
    private static List<String> importedHexes(List<Object> result, int from) {
        List<String> out = new ArrayList<>(2);
        for (int i = from; i + 1 < result.size(); i += 2) {
            String hex = String.valueOf(result.get(i));
            if (!hex.isEmpty() && "true".equals(result.get(i + 1))) {
                out.add(hex);
            }
        }
        return out;
    }

    /** Deletes a record this node just created and nobody was told about, and frees its imported claims. */
    private void undoCreate(ApiKey record) {
        String id = record.id();
        deleteRecord(id, Ids.next(), null); // nobody waits: no node cached a key it was never told about
        for (Credential c : record.importedCredentials()) {
            releaseImported(c.hash().hex(), id);
        }
    }

    /**
     * Points an imported hash's entry at a key before the key's record carries it. A fresh claim is pending (it has a
     * time to live) until {@link #settleImported} after the record write; a pending claim is never taken over,
     * because its record may be on its way, and a settled one only when its holder's record no longer carries the
     * hash (a settled holder never takes a hash back, so that judgement cannot go stale). So two creates of one
     * imported token never both succeed, and a claim whose writer died frees itself.
     */
    private void claimImported(SecretHash hash, String id) {
        String key = layout.imported(hash);
        String pendingMillis = Long.toString(pendingClaimTtl().toMillis());
        String stale = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            List<Object> answer = await(CLAIM_IMPORTED.<List<Object>>run(redis, ScriptOutputType.MULTI,
                    new String[] {key}, id, stale, pendingMillis));
            String holder = String.valueOf(answer.get(0));
            if (holder.isEmpty()) {
                return;
            }
            if (((Number) answer.get(1)).longValue() == 1) {
                throw new DuplicateKeyException("that imported token is being claimed concurrently");
            }
            Optional<ApiKey> owner = find(holder);
            if (owner.isPresent() && owner.get().carriesImported(hash)) {
                throw new DuplicateKeyException("that imported token is already in use");
            }
            stale = holder;
        }
        throw new DuplicateKeyException("that imported token is being claimed concurrently");
    }

    /** Makes a claim permanent once the record carries the hash; returns false when another key holds it. */
    private boolean settleImported(SecretHash hash, String id) {
        Long ours = await(SETTLE_IMPORTED.run(redis, ScriptOutputType.INTEGER,
                new String[] {layout.imported(hash)}, id));
        return ours != null && ours == 1;
    }

    /** How long a claim may stay pending: far longer than the few commands between claim and settle may take. */
    private Duration pendingClaimTtl() {
        Duration tenTimeouts = settings.commandTimeout().multipliedBy(10);
        return tenTimeouts.compareTo(MIN_PENDING_CLAIM) > 0 ? tenTimeouts : MIN_PENDING_CLAIM;
    }

    private void releaseImported(String hex, String id) {
        await(RELEASE_IMPORTED.run(redis, ScriptOutputType.INTEGER, new String[] {layout.imported(hex)}, id));
    }



    // ------------------------------------------------------------------ listing

    @Override
    public Page<ApiKey> list(KeyQuery query) {
        requireOpen();
        String scope = listing.scope(query);
        String[] args = listing.queryArgs(query);
        List<ApiKey> items = List.of();
        long total = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            Listing.Hits hits = null;
            while (hits == null) {
                hits = Listing.hits(await(listing.query(redis, scope, args)));
            }
            total = hits.total();
            List<CompletableFuture<Map<String, String>>> reads = new ArrayList<>();
            for (String id : hits.ids()) {
                reads.add(redis.hgetall(layout.record(id)).toCompletableFuture());
            }
            items = new ArrayList<>(hits.ids().size());
            List<CompletableFuture<Long>> repairs = new ArrayList<>();
            for (int i = 0; i < reads.size(); i++) {
                Map<String, String> fields = await(reads.get(i));
                String id = hits.ids().get(i);
                if (fields == null || fields.isEmpty()) {
                    repairs.add(listing.remove(redis, scope, id, hits.versions().get(i)));
                    continue;
                }
                ApiKey k = RecordCodec.decode(fields);
                if (k.version() > hits.versions().get(i)) {
                    repairs.addAll(listing.put(redis, k));
                }
                if (query.matches(k)) {
                    items.add(k);
                }
            }
            if (repairs.isEmpty()) {
                break;
            }
            awaitAll(repairs);
            LOG.debug("Repaired {} listing entries; reading the page again", repairs.size());
        }
        return new Page<>(items, total, query.offset(), query.limit());
    }

    // ------------------------------------------------------------------ usage

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

    /** Returns the history part of this store, for the admin service's shipping to PostgreSQL. */
    History history() {
        return history;
    }

    // ------------------------------------------------------------------ rate limits, quotas, tenant defaults (Limits)

    @Override
    public boolean supportsLimits() {
        return true;
    }

    @Override
    public ChargeResult charge(String keyId, String requestId, long cost, @Nullable RateLimit rateLimit,
            @Nullable Quota quota) {
        requireOpen();
        return raiseIfExhausted(keyId, limits.charge(keyId, requestId, cost, rateLimit, quota));
    }

    /** Charges as {@link #charge(String, String, long, RateLimit, Quota)} does, waiting at most {@code timeout}. */
    @Override
    public ChargeResult charge(String keyId, String requestId, long cost, @Nullable RateLimit rateLimit,
            @Nullable Quota quota, Duration timeout) {
        requireOpen();
        return raiseIfExhausted(keyId, limits.charge(keyId, requestId, cost, rateLimit, quota, timeout));
    }

    /**
     * Raises {@code key.quota_exhausted} when this charge spent the key's last unit: the script tells exactly one
     * charge so, and the event id follows the period, so it is raised once per period whichever node charged. It is
     * written right after the charge, not inside its script; a node that dies in between loses that one event.
     */
    private ChargeResult raiseIfExhausted(String keyId, ChargeResult result) {
        if (result.spentLast() && !result.replayed() && result.quota() != null) {
            try {
                eventLog.raiseOnce(dev.latchkey.core.events.EventIds.quotaExhausted(keyId, result));
            } catch (RuntimeException e) {
                LOG.warn("Could not raise key.quota_exhausted for a key: {}", e.toString());
            }
        }
        return result;
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

    // ------------------------------------------------------------------ tenant configs (RedisTenantConfigs)

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

    // ------------------------------------------------------------------ jobs and settings

    @Override
    public void saveJob(Job job) {
        requireOpen();
        List<String> args = new ArrayList<>();
        args.add(Long.toString(settings.jobTtl().toMillis()));
        RecordCodec.encodeJob(job).forEach((f, v) -> {
            args.add(f);
            args.add(v);
        });
        await(SAVE_JOB.run(redis, ScriptOutputType.INTEGER, new String[] {layout.job(job.id())},
                args.toArray(String[]::new)));
    }

    @Override
    public Optional<Job> findJob(String id) {
        requireOpen();
        Map<String, String> fields = await(redis.hgetall(layout.job(id)));
        return fields == null || fields.isEmpty() ? Optional.empty() : Optional.of(RecordCodec.decodeJob(fields));
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

    // ------------------------------------------------------------------ events, health, lifecycle

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
    public dev.latchkey.core.events.EventLog events() {
        return eventLog;
    }

    /** Returns the key prefix of this store. */
    public String keyPrefix() {
        return settings.prefix();
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
        return Failures.await(stage, settings.commandTimeout());
    }

    private void awaitAll(List<? extends CompletionStage<?>> stages) {
        RuntimeException first = null;
        for (CompletionStage<?> s : stages) {
            try {
                await(s);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "RedisKeyStore[" + description + ", prefix=" + settings.prefix() + "]";
    }

    /**
     * Builds a {@link RedisKeyStore}. Every Lettuce setting that matters on an authentication hot path is explicit,
     * because Lettuce's defaults suit batch work, not a request thread waiting on Redis:
     * <ul>
     *   <li>{@link #commandTimeout}: how long a call may wait for Redis (default {@link #DEFAULT_COMMAND_TIMEOUT},
     *       Lettuce's is 60 s); past it the call throws {@link StoreUnavailableException} and the filter serves from
     *       cache or answers 503;</li>
     *   <li>commands are <b>rejected while disconnected</b> ({@code DisconnectedBehavior.REJECT_COMMANDS}), not
     *       queued until a reconnect that may never come; callers fail fast;</li>
     *   <li>{@link #requestQueueSize}: a bound on commands in flight per connection (default
     *       {@link #DEFAULT_REQUEST_QUEUE_SIZE}; Lettuce's is unbounded), so a slow Redis cannot grow the heap
     *       without limit;</li>
     *   <li>TCP keepalive with {@link #keepAliveIdle} (default {@link #DEFAULT_KEEP_ALIVE_IDLE}, probes every third
     *       of it, 3 probes), so a connection silently dropped by a firewall or NAT is noticed and re-opened;</li>
     *   <li>{@link #reconnectDelayMax}: reconnect attempts back off exponentially from 10 ms to this (default
     *       {@link #DEFAULT_RECONNECT_DELAY_MAX}; Lettuce's is 30 s), so service resumes soon after Redis does;</li>
     *   <li>on Cluster, periodic topology refresh every {@link #topologyRefreshPeriod} plus all adaptive triggers
     *       (MOVED, ASK, persistent reconnects), so a failover or resharding is followed within seconds.</li>
     * </ul>
     * With a {@link #meterRegistry}, Lettuce records command latencies ({@code lettuce.command.completion} and
     * {@code lettuce.command.firstresponse}, tagged by command and server) through
     * {@link io.lettuce.core.metrics.MicrometerCommandLatencyRecorder}. All of this is for the client the store builds
     * from a {@link #uri(String) URL}; on the application's own client ({@link #client(RedisClient, RedisURI)}) the
     * client's settings are the application's.
     */
    public static final class Builder {
        private @Nullable String uri;
        private @Nullable AbstractRedisClient client;
        private @Nullable RedisURI clientUri;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
        private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
        private Duration keepAliveIdle = DEFAULT_KEEP_ALIVE_IDLE;
        private Duration topologyRefreshPeriod = DEFAULT_TOPOLOGY_REFRESH_PERIOD;
        private Duration jobTtl = DEFAULT_JOB_TTL;
        private @Nullable Object meterRegistry;
        private int filingBudget = Listing.DEFAULT_FILING_BUDGET;
        private Duration confirmTimeout = DEFAULT_CONFIRM_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets the Redis URL in API.md §1 form: {@code redis://}, {@code rediss://} (TLS), {@code redis-sentinel://},
         * or a comma-separated list of nodes for Redis Cluster ({@code redis://h1:7000,redis://h2:7001} or
         * {@code redis://h1:7000,h2:7001}). Required unless a {@link #client(RedisClient, RedisURI) client} is set.
         */
        public Builder uri(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * Runs the store on the application's {@link RedisClient}, connecting to the client's own default URI (the
         * one it was created with); see {@link #client(RedisClient, RedisURI)}.
         */
        public Builder client(RedisClient client) {
            this.client = Objects.requireNonNull(client, "client");
            this.clientUri = null;
            return this;
        }

        /**
         * Runs the store on the application's {@link RedisClient} (standalone, TLS or Sentinel), connecting to
         * {@code uri}, instead of on a client of its own built from a {@link #uri(String) URL}. The store opens two
         * connections on it (commands and pub/sub) and closes only those: it never shuts the client or its
         * {@code ClientResources} down. The client's options and resources are then the application's: the
         * settings this builder would give its own client ({@link #connectTimeout}, {@link #requestQueueSize},
         * {@link #reconnectDelayMax}, {@link #keepAliveIdle}, {@link #topologyRefreshPeriod}, rejecting commands
         * while disconnected) are not applied, and Lettuce's command latencies are recorded, or not, by the
         * application's {@code ClientResources} ({@link #meterRegistry} then only gets Latchkey's own meters).
         * {@link #commandTimeout} still bounds every call and is set on the store's two connections. Tested on
         * Lettuce 6.8 and 7.7.
         */
        public Builder client(RedisClient client, RedisURI uri) {
            this.client = Objects.requireNonNull(client, "client");
            this.clientUri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * Runs the store on the application's {@link RedisClusterClient}, on the seed nodes it was created with, as
         * {@link #client(RedisClient, RedisURI)} does: the store closes only its own connections, and the client's
         * options (topology refresh included) are the application's.
         */
        public Builder client(RedisClusterClient client) {
            this.client = Objects.requireNonNull(client, "client");
            this.clientUri = null;
            return this;
        }

        /**
         * Sets the prefix of every Redis key and of the event channel (default {@value #DEFAULT_KEY_PREFIX}). Two
         * stores with different prefixes on one Redis never see each other's keys or events.
         *
         * @throws IllegalArgumentException when it contains braces (they would break the hash tags)
         */
        public Builder keyPrefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
                throw new IllegalArgumentException("a key prefix must not contain { or }");
            }
            this.keyPrefix = prefix;
            return this;
        }

        /** Sets how long a command may take before the call fails (default {@link #DEFAULT_COMMAND_TIMEOUT}). */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive(timeout, "commandTimeout");
            return this;
        }

        /** Sets the TCP connect timeout (default {@link #DEFAULT_CONNECT_TIMEOUT}). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Sets the bound on commands in flight per connection (default {@value #DEFAULT_REQUEST_QUEUE_SIZE}). */
        public Builder requestQueueSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("requestQueueSize must be positive");
            }
            this.requestQueueSize = size;
            return this;
        }

        /** Sets the longest wait between reconnect attempts (default {@link #DEFAULT_RECONNECT_DELAY_MAX}). */
        public Builder reconnectDelayMax(Duration max) {
            this.reconnectDelayMax = positive(max, "reconnectDelayMax");
            return this;
        }

        /** Sets the idle time before TCP keepalive probes (default {@link #DEFAULT_KEEP_ALIVE_IDLE}). */
        public Builder keepAliveIdle(Duration idle) {
            this.keepAliveIdle = positive(idle, "keepAliveIdle");
            return this;
        }

        /** Sets the Cluster topology refresh period (default {@link #DEFAULT_TOPOLOGY_REFRESH_PERIOD}). */
        public Builder topologyRefreshPeriod(Duration period) {
            this.topologyRefreshPeriod = positive(period, "topologyRefreshPeriod");
            return this;
        }

        /** Sets how long jobs are kept (default {@link #DEFAULT_JOB_TTL}). */
        public Builder jobTtl(Duration ttl) {
            this.jobTtl = positive(ttl, "jobTtl");
            return this;
        }

        /** Records Lettuce's command latencies in this registry (Micrometer is an optional dependency). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Sets how long a change of a key (status, rotation, reset, delete, any update) waits for every other live
         * node to confirm that it dropped the key from its cache (default {@link #DEFAULT_CONFIRM_TIMEOUT}; zero does
         * not wait). A node that does not confirm in time is named in a warning; the change still succeeds.
         */
        public Builder confirmTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "confirmTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("confirmTimeout must not be negative");
            }
            this.confirmTimeout = timeout;
            return this;
        }

        /** For tests: how many keys one listing call refiles by expiry before it repeats itself. */
        Builder filingBudget(int budget) {
            this.filingBudget = budget;
            return this;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
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
            Settings settings = new Settings(keyPrefix, commandTimeout, connectTimeout, requestQueueSize,
                    reconnectDelayMax, keepAliveIdle, topologyRefreshPeriod, jobTtl, meterRegistry, filingBudget,
                    confirmTimeout);
            return new RedisKeyStore(client != null ? Connections.onClient(client, clientUri, commandTimeout)
                    : Connections.open(RedisTarget.parse(uri, commandTimeout), settings), settings);
        }
    }
}
