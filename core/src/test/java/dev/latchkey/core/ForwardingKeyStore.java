package dev.latchkey.core;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A store that forwards every call to another, for tests that change one behaviour (never a mock). */
public class ForwardingKeyStore implements KeyStore {

    final KeyStore delegate;

    public ForwardingKeyStore(KeyStore delegate) {
        this.delegate = delegate;
    }

    @Override public String kind() { return delegate.kind(); }
    @Override public void create(ApiKey key) { delegate.create(key); }
    @Override public Optional<ApiKey> find(String id) { return delegate.find(id); }
    @Override public Optional<ApiKey> findByImportedHash(SecretHash hash) { return delegate.findByImportedHash(hash); }
    @Override public Page<ApiKey> list(KeyQuery query) { return delegate.list(query); }
    @Override public boolean replace(ApiKey updated, long expectedVersion) { return delegate.replace(updated, expectedVersion); }
    @Override public boolean delete(String id) { return delegate.delete(id); }
    @Override public void recordUsage(UsageBatch batch) { delegate.recordUsage(batch); }
    @Override public void saveJob(Job job) { delegate.saveJob(job); }
    @Override public Optional<Job> findJob(String id) { return delegate.findJob(id); }
    @Override public Subscription subscribe(KeyEventListener listener) { return delegate.subscribe(listener); }
    @Override public void ping() { delegate.ping(); }
    @Override public @Nullable String setting(String name) { return delegate.setting(name); }
    @Override public String initSetting(String name, String value) { return delegate.initSetting(name, value); }
    @Override public void close() { delegate.close(); }
}
