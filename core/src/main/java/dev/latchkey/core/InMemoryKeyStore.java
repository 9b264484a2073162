package dev.latchkey.core;

import dev.latchkey.core.events.EventIds;
import dev.latchkey.core.events.EventLog;
import dev.latchkey.core.events.InMemoryEventLog;
import dev.latchkey.core.events.OutboxEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded key store: a complete, thread-safe implementation of the {@link KeyStore} SPI in this JVM's memory.
 * It is the quickstart's default and what unit tests run on; it is not a test double, and it passes the same
 * contract suite as the Redis store.
 *
 * <p>What it does not do: persist anything (a restart forgets every key), or share keys and change events with
 * other processes. Change events go to this instance's subscribers only, synchronously. Listing sorts all
 * matching keys, which is fine for the embedded use it is meant for and not for millions of keys.
 *
 * <p>Rate limits and quotas ({@link #charge}, {@link #credit}) run on the clock given at construction, so tests can
 * cross a window, a day or a month end by moving it; each key's limit state sits under the key's own lock, and is
 * deleted with the key.
 */
public final class InMemoryKeyStore implements KeyStore {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryKeyStore.class);
    private static final Comparator<ApiKey> NEWEST_FIRST =
            Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id).reversed();

    private final ConcurrentHashMap<String, MemoryEntry> keys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SecretHash, String> importedIndex = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> settings = new ConcurrentHashMap<>();
    private final MemoryTenantDefaults defaults = new MemoryTenantDefaults();
    private final CopyOnWriteArrayList<KeyEventListener> listeners = new CopyOnWriteArrayList<>();
    private final MemoryTenantConfigs<WebhookConfig> webhookConfigs = new MemoryTenantConfigs<>(this::requireOpen);
    private final MemoryTenantConfigs<StorageConfig> storageConfigs = new MemoryTenantConfigs<>(this::requireOpen);
    private final Clock clock;
    private final InMemoryEventLog events = new InMemoryEventLog(
            () -> keys.values().stream().map(e -> e.record).toList());
    private volatile boolean closed;

    /** Creates an empty store whose rate limits and quotas run on the system clock. */
    public InMemoryKeyStore() {
        this(Clock.systemUTC());
    }

    /** Creates an empty store whose rate-limit windows and quota periods run on {@code clock}. */
    public InMemoryKeyStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public void create(ApiKey key) {
        create(key, null);
    }

    @Override
    public void create(ApiKey key, @Nullable OutboxEvent event) {
        requireOpen();
        ApiKey record = key.withUsage(Usage.NONE);
        if (record.current().imported()) {
            String holder = importedIndex.putIfAbsent(record.current().hash(), record.id());
            if (holder != null) {
                throw new DuplicateKeyException("that imported token is already in use");
            }
        }
        if (keys.putIfAbsent(record.id(), new MemoryEntry(record, clock)) != null) {
            if (record.current().imported()) {
                importedIndex.remove(record.current().hash(), record.id());
            }
            throw new DuplicateKeyException("a key with id " + record.id() + " exists");
        }
        if (event != null) {
            events.append(event);
        }
        publish(KeyEvent.of(KeyEvent.Type.CREATED, record.id(), record.version()));
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
    public Optional<ApiKey> find(String id) {
        requireOpen();
        MemoryEntry e = keys.get(id);
        return e == null ? Optional.empty() : Optional.of(e.snapshot());
    }

    @Override
    public Optional<ApiKey> findByImportedHash(SecretHash hash) {
        requireOpen();
        String id = importedIndex.get(hash);
        if (id == null) {
            return Optional.empty();
        }
        Optional<ApiKey> key = find(id);
        if (key.isPresent() && key.get().carriesImported(hash)) {
            return key;
        }
        return Optional.empty();
    }

    @Override
    public Page<ApiKey> list(KeyQuery query) {
        requireOpen();
        List<ApiKey> matching = new ArrayList<>();
        for (MemoryEntry e : keys.values()) {
            ApiKey k = e.snapshot();
            if (query.matches(k)) {
                matching.add(k);
            }
        }
        matching.sort(NEWEST_FIRST);
        int from = Math.min(query.offset(), matching.size());
        int to = Math.min(from + query.limit(), matching.size());
        return new Page<>(matching.subList(from, to), matching.size(), query.offset(), query.limit());
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
        MemoryEntry e = keys.get(updated.id());
        if (e == null) {
            return false;
        }
        ApiKey old;
        synchronized (e) {
            old = e.record;
            if (old.version() != expectedVersion || keys.get(updated.id()) != e) {
                return false;
            }
            for (Credential c : updated.importedCredentials()) {
                importedIndex.put(c.hash(), updated.id());
            }
            e.record = updated.withUsage(Usage.NONE);
            if (event != null) {
                events.append(event);
            }
        }
        for (Credential c : old.importedCredentials()) {
            if (!updated.carriesImported(c.hash())) {
                importedIndex.remove(c.hash(), updated.id());
            }
        }
        publish(KeyEvent.of(KeyEvent.Type.UPDATED, updated.id(), updated.version()));
        return true;
    }

    @Override
    public boolean delete(String id) {
        return delete(id, null);
    }

    @Override
    public boolean delete(String id, @Nullable OutboxEvent event) {
        requireOpen();
        MemoryEntry e = keys.get(id);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            for (Credential c : e.record.importedCredentials()) {
                importedIndex.remove(c.hash(), id);
            }
            if (!keys.remove(id, e)) {
                return false;
            }
            if (event != null) {
                events.append(event);
            }
        }
        publish(KeyEvent.of(KeyEvent.Type.DELETED, id, 0));
        return true;
    }

    @Override
    public void recordUsage(UsageBatch batch) {
        requireOpen();
        for (String keyId : batch.keyIds()) {
            MemoryEntry e = keys.get(keyId);
            if (e != null) {
                e.addUsage(batch, keyId, defaults.retentionDays(e.record, storageConfigs));
            }
        }
    }

    @Override
    public boolean supportsHistory() {
        return true;
    }

    @Override
    public List<UsageBucket> usageHistory(String keyId, Instant from, Instant to, HistoryGranularity granularity) {
        requireOpen();
        MemoryEntry e = keys.get(keyId);
        return e == null ? List.of() : e.history(from, to, granularity);
    }

    @Override
    public boolean supportsLimits() {
        return true;
    }

    @Override
    public ChargeResult charge(String keyId, String requestId, long cost, @Nullable RateLimit rateLimit,
            @Nullable Quota quota) {
        requireOpen();
        ChargeResult.checkArguments(requestId, cost, rateLimit, quota);
        MemoryEntry e = keys.get(keyId);
        if (e != null) {
            synchronized (e) {
                if (keys.get(keyId) == e) {
                    ChargeResult result = e.limits.charge(requestId, cost, rateLimit, quota);
                    if (result.spentLast() && !result.replayed()) {
                        events.raiseOnce(EventIds.quotaExhausted(keyId, result));
                    }
                    return result;
                }
            }
        }
        return new ChargeResult(ChargeResult.Verdict.UNKNOWN_KEY, 0, null, null, false, false, false, clock.instant());
    }

    @Override
    public Optional<QuotaState> quotaState(String keyId, Quota quota) {
        requireOpen();
        MemoryEntry e = keys.get(keyId);
        return e == null ? Optional.empty() : Optional.of(e.quotaState(quota));
    }

    @Override
    public CreditResult credit(String keyId, String operationId, CreditOp op, long amount, Quota quota,
            @Nullable Long expectedSequence) {
        requireOpen();
        ChargeResult.checkArguments(operationId, 0, null, quota);
        MemoryEntry e = keys.get(keyId);
        CreditResult r = null;
        if (e != null) {
            synchronized (e) {
                if (keys.get(keyId) == e) {
                    r = e.limits.credit(operationId, op, amount, quota, expectedSequence);
                }
            }
        }
        if (r == null) {
            return new CreditResult(CreditResult.Status.UNKNOWN_KEY, null, 0, false, false);
        }
        if (r.status() == CreditResult.Status.APPLIED && !r.replayed()) {
            publish(KeyEvent.limitsChanged(keyId));
        }
        return r;
    }

    @Override
    public TenantDefaults tenantDefaults(String tenantId) {
        requireOpen();
        return defaults.get(tenantId);
    }

    @Override
    public boolean replaceTenantDefaults(TenantDefaults updated, long expectedVersion) {
        requireOpen();
        boolean written = defaults.replace(updated, expectedVersion);
        if (written) {
            publish(KeyEvent.tenantDefaultsChanged(updated.tenantId(), updated.version()));
        }
        return written;
    }

    @Override
    public EventLog events() {
        return events;
    }

    @Override
    public void saveJob(Job job) {
        requireOpen();
        jobs.put(job.id(), job);
    }

    @Override
    public Optional<Job> findJob(String id) {
        requireOpen();
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public Subscription subscribe(KeyEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public @Nullable String setting(String name) {
        requireOpen();
        return settings.get(name);
    }

    @Override
    public String initSetting(String name, String value) {
        requireOpen();
        String prior = settings.putIfAbsent(name, value);
        return prior == null ? value : prior;
    }

    @Override
    public void ping() {
        requireOpen();
    }

    /** Returns how many keys are stored. */
    public int size() {
        return keys.size();
    }

    @Override
    public void close() {
        closed = true;
        listeners.clear();
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreUnavailableException("the in-memory key store is closed");
        }
    }

    private void publish(KeyEvent event) {
        for (KeyEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException ex) {
                LOG.warn("A key event listener failed on {}", event, ex);
            }
        }
    }

    @Override
    public String toString() {
        return "InMemoryKeyStore[keys=" + keys.size() + "]";
    }

}
