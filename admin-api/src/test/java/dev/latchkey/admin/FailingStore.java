package dev.latchkey.admin;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory store that can be told to fail, as an unreachable Redis would ({@link Mode#DOWN}) or as a bug would
 * ({@link Mode#BROKEN}), to test the 503 and 500 answers. Not a mock: it delegates to the real in-memory store.
 */
final class FailingStore implements KeyStore {

    enum Mode { OK, DOWN, BROKEN }

    private final InMemoryKeyStore delegate = new InMemoryKeyStore();
    volatile Mode mode = Mode.OK;
    /** When set, {@link #find} counts down {@link #entered} and waits for this gate, holding a request in flight. */
    volatile @Nullable CountDownLatch gate;
    final CountDownLatch entered = new CountDownLatch(1);

    private void check() {
        switch (mode) {
            case DOWN -> throw new StoreUnavailableException("connection refused (test)");
            case BROKEN -> throw new IllegalStateException("simulated bug in the store");
            default -> { }
        }
    }

    private void hold() {
        CountDownLatch g = gate;
        if (g != null) {
            entered.countDown();
            try {
                g.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override public String kind() { return "failing"; }
    @Override public void create(ApiKey key) { check(); delegate.create(key); }
    @Override public Optional<ApiKey> find(String id) { check(); hold(); return delegate.find(id); }
    @Override public Optional<ApiKey> findByImportedHash(SecretHash hash) { check(); return delegate.findByImportedHash(hash); }
    @Override public Page<ApiKey> list(KeyQuery query) { check(); return delegate.list(query); }
    @Override public boolean replace(ApiKey updated, long expectedVersion) { check(); return delegate.replace(updated, expectedVersion); }
    @Override public boolean delete(String id) { check(); return delegate.delete(id); }
    @Override public void recordUsage(UsageBatch batch) { check(); delegate.recordUsage(batch); }
    @Override public void saveJob(Job job) { check(); delegate.saveJob(job); }
    @Override public Optional<Job> findJob(String id) { check(); return delegate.findJob(id); }
    @Override public Subscription subscribe(KeyEventListener listener) { return delegate.subscribe(listener); }
    @Override public void ping() { check(); delegate.ping(); }
    @Override public @Nullable String setting(String name) { check(); return delegate.setting(name); }
    @Override public String initSetting(String name, String value) { check(); return delegate.initSetting(name, value); }
    @Override public void close() { delegate.close(); }
}
