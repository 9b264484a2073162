package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Cache;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link KeyCache} was told by the store's change events, and the rule that follows: a copy read before an event
 * that concerns it is not served. It remembers, for a while, the newest version each changed key was announced with
 * ({@link #DELETED} once deleted), and counts two epochs: the stale epoch, which {@code ALL_STALE} advances, and the
 * created epoch, which {@code ALL_STALE} and {@code CREATED} advance.
 *
 * <p>Why a class of its own: these are the rules every fill and every hit of the cache obeys (a load compares them
 * before and after its store read, the front table and the Caffeine entries are served only while their epoch is
 * current and their version is not older than one told), and they do not depend on how the copies are held.
 * Recording never blocks, so it is safe on the store's event thread; the versions live in a Caffeine cache that never
 * loads. Thread-safe.
 */
final class Invalidations {

    /** The version told for a deleted key: newer than any record. */
    static final long DELETED = Long.MAX_VALUE;

    private static final VarHandle STALE_EPOCH;

    static {
        try {
            STALE_EPOCH = MethodHandles.lookup().findVarHandle(Invalidations.class, "staleEpoch", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The newest version each recently changed key was announced with ({@link #DELETED} once deleted). */
    private final Cache<String, Long> versions;
    /**
     * Read on every front-table hit; a volatile field here rather than an {@code AtomicLong}, so that a hit reads it
     * through the cache's one final field and costs no more than when the cache held the counter itself.
     */
    private volatile long staleEpoch;
    private final AtomicLong createdEpoch = new AtomicLong();

    /**
     * Keeps told versions in {@code versions}, which must outlive every cached copy and every load in flight when an
     * event came.
     */
    Invalidations(Cache<String, Long> versions) {
        this.versions = versions;
    }

    /** Returns the current stale epoch: a copy read in an older one is not served. */
    long epoch() {
        return staleEpoch;
    }

    /** Returns the current created epoch: an "unknown hash" answer read in an older one is not remembered. */
    long createdEpoch() {
        return createdEpoch.get();
    }

    /** Returns the newest version {@code id} was announced with, {@link #DELETED}, or 0 when none is remembered. */
    long version(String id) {
        Long v = versions.getIfPresent(id);
        return v == null ? 0 : v;
    }

    /** Returns whether {@code cached} may be served: read in the current epoch, and not older than a told version. */
    boolean servable(String id, CachedKey cached) {
        return cached.epoch() == staleEpoch && cached.key().version() >= version(id);
    }

    /** Records that {@code id} changed to {@code version} (or {@link #DELETED}); an older announcement never wins. */
    void tell(String id, long version) {
        versions.asMap().merge(id, Math.max(version, 1), Math::max);
    }

    /** Records that a key was created: "unknown" answers read before are not to be kept. */
    void created() {
        createdEpoch.incrementAndGet();
    }

    /** Records an {@code ALL_STALE}: nothing read before is served, and no "unknown" answer read before is kept. */
    void allStale() {
        STALE_EPOCH.getAndAdd(this, 1L);
        createdEpoch.incrementAndGet();
    }
}
