package dev.latchkey.core.internal;

import inet.ipaddr.IPAddress;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A small direct-mapped memo of parsed client addresses, so that a door does not run the address parser (and the
 * canonical-text formatter, which the library caches inside each address object) on every request of a client it saw
 * a moment ago. A slot holds one text and its address; a collision simply replaces it. Only addresses that parsed are
 * kept, and each text is bounded by the parser's own length limit, so the memo holds at most {@link #SLOTS} small
 * entries. Thread-safe and lock-free: {@link IPAddress} is immutable, and a slot is replaced whole.
 */
final class AddressMemo {

    /** Slots in the table: a power of two. */
    static final int SLOTS = 1024;

    private record Entry(String text, IPAddress address) {
    }

    private final AtomicReferenceArray<@Nullable Entry> slots = new AtomicReferenceArray<>(SLOTS);

    /** Returns the memoized address of {@code text}, or parses it with {@code parser} and remembers a success. */
    @Nullable IPAddress get(String text, Function<String, @Nullable IPAddress> parser) {
        int h = text.hashCode();
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        Entry e = slots.get(slot);
        if (e != null && e.text.equals(text)) {
            return e.address;
        }
        IPAddress parsed = parser.apply(text);
        if (parsed != null) {
            slots.set(slot, new Entry(text, parsed));
        }
        return parsed;
    }
}
