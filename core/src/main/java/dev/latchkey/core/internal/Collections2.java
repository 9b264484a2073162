package dev.latchkey.core.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small collection helpers the JDK lacks. */
public final class Collections2 {

    private Collections2() {
    }

    /** Returns an unmodifiable copy that keeps the iteration order (unlike {@link Map#copyOf}). */
    public static <K, V> Map<K, V> orderedCopy(Map<K, V> source) {
        if (source.isEmpty()) {
            return Map.of();
        }
        for (Map.Entry<K, V> e : source.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new NullPointerException("null key or value");
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(source));
    }
}
