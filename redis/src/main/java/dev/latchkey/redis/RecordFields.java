package dev.latchkey.redis;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The fields of one record hash as {@link RecordOutput} reads them (#20): each field name of the compact encoding
 * ({@link RecordCodec}) has a slot in one array, and anything else (a piece such as {@code n+1}, a field of the
 * first encoding, a field someone else wrote) goes to a map beside it. A listing page holds hundreds of these at
 * once; an array of slots costs a fraction of a {@code HashMap} with a node per field, and looking a name up
 * allocates nothing. Reads as an ordinary unmodifiable map; {@link #entrySet()} builds a copy, for the cold paths
 * (tests, the first encoding) that iterate.
 *
 * <p>Not thread-safe while it is filled: Lettuce fills it on its event loop and hands it over once complete.
 */
final class RecordFields extends AbstractMap<String, String> {

    /** The compact encoding's field names, in slot order. */
    static final List<String> COMPACT = List.of("v", "t", "o", "n", "k", "s", "r", "m", "c", "u", "e", "h", "hh",
            "hi", "p", "ph", "pi", "pe", "xa", "xb", "xr", "rl", "q", "wc", "sc", "uc", "ua", "ui");

    private static final Map<String, Integer> SLOTS = slots();

    private final @Nullable String[] values = new String[COMPACT.size()];
    private @Nullable Map<String, String> others;
    private int size;
    private boolean pieces;

    private static Map<String, Integer> slots() {
        Map<String, Integer> slots = new HashMap<>();
        for (int i = 0; i < COMPACT.size(); i++) {
            slots.put(COMPACT.get(i), i);
        }
        return Map.copyOf(slots);
    }

    /** Returns the slot of a compact field name, or -1 for any other name. */
    static int slot(String name) {
        Integer slot = SLOTS.get(name);
        return slot == null ? -1 : slot;
    }

    /** Sets the value of a compact field by its {@link #slot}. */
    void put(int slot, String value) {
        if (values[slot] == null) {
            size++;
        }
        values[slot] = value;
    }

    /** Sets the value of a field that has no slot. */
    void putOther(@Nullable String name, @Nullable String value) {
        if (others == null) {
            others = new HashMap<>();
        }
        if (!others.containsKey(name)) {
            size++;
        }
        others.put(name, value);
        pieces |= name != null && name.indexOf('+') >= 0;
    }

    /** Whether any value is cut into pieces ({@code <field>+1}, ...): most records have none. */
    boolean hasPieces() {
        return pieces;
    }

    @Override
    public @Nullable String get(@Nullable Object name) {
        if (name instanceof String s) {
            Integer slot = SLOTS.get(s);
            if (slot != null) {
                return values[slot];
            }
        }
        return others == null ? null : others.get(name);
    }

    @Override
    public boolean containsKey(@Nullable Object name) {
        if (name instanceof String s) {
            Integer slot = SLOTS.get(s);
            if (slot != null) {
                return values[slot] != null;
            }
        }
        return others != null && others.containsKey(name);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        Map<String, String> all = new HashMap<>(others == null ? Map.of() : others);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                all.put(COMPACT.get(i), values[i]);
            }
        }
        return Collections.unmodifiableMap(all).entrySet();
    }
}
