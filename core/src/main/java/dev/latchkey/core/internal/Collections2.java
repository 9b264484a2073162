package dev.latchkey.core.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small collection helpers the JDK lacks. */
public final class Collections2 {

    /** The class of {@code Map.of(k, v)}: immutable, so a copy of one is the map itself. */
    private static final Class<?> SINGLE_ENTRY_MAP = Map.of("", "").getClass();

    private Collections2() {
    }

    /**
     * Returns an unmodifiable copy that keeps the iteration order (unlike {@link Map#copyOf}); a map of one entry,
     * which has only one order, is {@link Map#of(Object, Object)}'s.
     */
    public static <K, V> Map<K, V> orderedCopy(Map<K, V> source) {
        if (source.isEmpty()) {
            return Map.of();
        }
        if (source.getClass() == SINGLE_ENTRY_MAP) {
            return source;
        }
        if (source.size() == 1) {
            Map.Entry<K, V> only = source.entrySet().iterator().next();
            if (only.getKey() == null || only.getValue() == null) {
                throw new NullPointerException("null key or value");
            }
            return Map.of(only.getKey(), only.getValue());
        }
        for (Map.Entry<K, V> e : source.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new NullPointerException("null key or value");
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(source));
    }
}
