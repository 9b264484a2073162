package dev.latchkey.engine;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.internal.Ids;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * A direct-mapped table in front of {@link KeyCache}'s Caffeine cache, looked up by the key id inside a token without
 * making a string of it, so a cached key's check allocates nothing. Each slot holds a servable {@link CachedKey} or a
 * tombstone; an entry is served only while its epoch is current and it is younger than the cache's ttl.
 *
 * <p>Why an event cannot be undone by a fill racing it: the cache records an event's version, then writes a fresh
 * tombstone into the id's slot ({@link #clear}); a fill is a compare-and-set from the value {@linkplain #seen seen}
 * before the cache checked the version. Either the fill saw the version (and does not fill), or its compare-and-set
 * meets the tombstone and fails, or the tombstone overwrites the fill.
 */
final class KeyFront {

    /** The most slots: 4,096 references, 16 KiB with compressed pointers. */
    static final int MAX_SLOTS = 4096;
    /** How many of a key id's last characters (its random part) choose its slot. */
    private static final int HASHED = 8;

    private final AtomicReferenceArray<Object> slots;
    private final int mask;
    private final long ttlNanos;

    KeyFront(long maxSize, long ttlNanos) {
        int size = 1;
        while (size < MAX_SLOTS && size < maxSize) {
            size <<= 1;
        }
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        this.ttlNanos = ttlNanos;
    }

    int slot(CharSequence text, int start) {
        int h = 0;
        for (int i = start + Ids.LENGTH - HASHED; i < start + Ids.LENGTH; i++) {
            h = 31 * h + text.charAt(i);
        }
        return (h ^ (h >>> 16)) & mask;
    }

    Object seen(int slot) {
        return slots.get(slot);
    }

    /** Returns the key in {@code seen} when it has this id and may be served at {@code epoch} and {@code now}. */
    @Nullable ApiKey hit(@Nullable Object seen, CharSequence text, int start, long epoch, long now) {
        if (seen instanceof CachedKey c && c.epoch() == epoch && now - c.readAt() < ttlNanos
                && sameId(c.key().id(), text, start)) {
            return c.key();
        }
        return null;
    }

    /** Puts a servable entry into its slot unless the slot changed since {@code seen} was read. */
    void fill(int slot, @Nullable Object seen, CachedKey entry) {
        slots.compareAndSet(slot, seen, entry);
    }

    /** Empties a slot with a fresh tombstone unless it changed since {@code seen} was read. */
    void drop(int slot, Object seen) {
        slots.compareAndSet(slot, seen, new Object());
    }

    /** Empties an id's slot with a fresh tombstone, so a fill that read the slot before fails. */
    void clear(String id) {
        if (id.length() == Ids.LENGTH) {
            slots.set(slot(id, 0), new Object());
        }
    }

    void clearAll() {
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, new Object());
        }
    }

    private static boolean sameId(String id, CharSequence text, int start) {
        if (id.length() != Ids.LENGTH) {
            return false;
        }
        if (text instanceof String s) {
            return id.regionMatches(0, s, start, Ids.LENGTH);
        }
        for (int i = 0; i < Ids.LENGTH; i++) {
            if (id.charAt(i) != text.charAt(start + i)) {
                return false;
            }
        }
        return true;
    }
}
