package dev.latchkey.core.admin;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps API.md §10's "a config still named by a key or a tenant default cannot be deleted (409)" true when a delete
 * races a call that names the config. Both sides are check-then-write: a key create or PATCH, or a defaults
 * {@code PUT}, checks that the config exists and then writes; a delete checks that nothing names the config and then
 * deletes it. Run concurrently, both could pass their checks and leave a key naming a deleted config. Naming calls
 * share a read lock and deletes take the write lock, so on one admin node the two never interleave; deletes are rare,
 * so namers almost never wait. Calls on other admin nodes are not ordered by it.
 */
final class ConfigNaming {

    private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock();

    private ConfigNaming() {
    }

    /** Runs a call that may name configs (check, then write) so that no config delete runs in between. */
    static <T> T naming(Supplier<T> call) {
        return locked(LOCK.readLock(), call);
    }

    /** Runs a config delete (check that nothing names it, then delete) so that no naming call runs in between. */
    static void deleting(Runnable delete) {
        locked(LOCK.writeLock(), () -> {
            delete.run();
            return null;
        });
    }

    private static <T> T locked(Lock lock, Supplier<T> call) {
        lock.lock();
        try {
            return call.get();
        } finally {
            lock.unlock();
        }
    }
}
