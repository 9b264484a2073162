package dev.latchkey.engine;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.Job;
import dev.latchkey.core.KeyEventListener;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.Page;
import dev.latchkey.core.SecretHash;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.Subscription;
import dev.latchkey.core.UsageBatch;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Test helper, shared with the filter's tests through this module's test-jar: a real {@link InMemoryKeyStore} behind
 * a wrapper that counts reads, can be switched to fail as an unreachable store does, and can run a hook after a read
 * (to hold a load in flight while a test changes the key).
 */
public final class CountingKeyStore implements KeyStore {

    /** The real store behind the wrapper. */
    public final InMemoryKeyStore delegate = new InMemoryKeyStore();
    /** Calls of {@link #find}. */
    public final AtomicInteger finds = new AtomicInteger();
    /** Calls of {@link #findByImportedHash}. */
    public final AtomicInteger hashFinds = new AtomicInteger();
    /** While true, every call but {@link #subscribe} and {@link #close} throws {@link StoreUnavailableException}. */
    public volatile boolean down;
    /** Runs after each {@link #find} read, with the id (to hold a load in flight). */
    public volatile @Nullable Consumer<String> afterFind;

    private void check() {
        if (down) {
            throw new StoreUnavailableException("test store is down");
        }
    }

    @Override
    public String kind() {
        return "counting";
    }

    @Override
    public void create(ApiKey key) {
        check();
        delegate.create(key);
    }

    @Override
    public Optional<ApiKey> find(String id) {
        finds.incrementAndGet();
        check();
        Optional<ApiKey> found = delegate.find(id);
        Consumer<String> hook = afterFind;
        if (hook != null) {
            hook.accept(id);
        }
        return found;
    }

    @Override
    public Optional<ApiKey> findByImportedHash(SecretHash hash) {
        hashFinds.incrementAndGet();
        check();
        return delegate.findByImportedHash(hash);
    }

    @Override
    public Page<ApiKey> list(KeyQuery query) {
        check();
        return delegate.list(query);
    }

    @Override
    public boolean replace(ApiKey updated, long expectedVersion) {
        check();
        return delegate.replace(updated, expectedVersion);
    }

    @Override
    public boolean delete(String id) {
        check();
        return delegate.delete(id);
    }

    @Override
    public void recordUsage(UsageBatch batch) {
        check();
        delegate.recordUsage(batch);
    }

    @Override
    public void saveJob(Job job) {
        check();
        delegate.saveJob(job);
    }

    @Override
    public Optional<Job> findJob(String id) {
        check();
        return delegate.findJob(id);
    }

    @Override
    public Subscription subscribe(KeyEventListener listener) {
        return delegate.subscribe(listener);
    }

    @Override
    public void ping() {
        check();
    }

    @Override
    public @Nullable String setting(String name) {
        check();
        return delegate.setting(name);
    }

    @Override
    public String initSetting(String name, String value) {
        check();
        return delegate.initSetting(name, value);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Reads of tenant defaults. */
    public final AtomicInteger defaultsReads = new AtomicInteger();

    /** Charges made through this store (each a store round trip in a real backend). */
    public final AtomicInteger charges = new AtomicInteger();

    @Override
    public boolean supportsLimits() {
        return delegate.supportsLimits();
    }

    @Override
    public dev.latchkey.core.ChargeResult charge(String keyId, String requestId, long cost,
            dev.latchkey.core.@Nullable RateLimit rateLimit, dev.latchkey.core.@Nullable Quota quota) {
        if (down) {
            throw new StoreUnavailableException("store down (test)");
        }
        charges.incrementAndGet();
        return delegate.charge(keyId, requestId, cost, rateLimit, quota);
    }

    @Override
    public Optional<dev.latchkey.core.QuotaState> quotaState(String keyId, dev.latchkey.core.Quota quota) {
        return delegate.quotaState(keyId, quota);
    }

    @Override
    public dev.latchkey.core.CreditResult credit(String keyId, String operationId, dev.latchkey.core.CreditOp op,
            long amount, dev.latchkey.core.Quota quota, @Nullable Long expectedSequence) {
        return delegate.credit(keyId, operationId, op, amount, quota, expectedSequence);
    }

    @Override
    public dev.latchkey.core.TenantDefaults tenantDefaults(String tenantId) {
        defaultsReads.incrementAndGet();
        if (down) {
            throw new StoreUnavailableException("store down (test)");
        }
        return delegate.tenantDefaults(tenantId);
    }

    @Override
    public boolean replaceTenantDefaults(dev.latchkey.core.TenantDefaults updated, long expectedVersion) {
        return delegate.replaceTenantDefaults(updated, expectedVersion);
    }
}
