package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Cache;
import dev.latchkey.core.KeyEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The meters of one {@link KeyCache}: Caffeine's statistics under {@code cache="latchkey.keys"} and
 * {@code latchkey.cache.invalidations} (tag {@code type}). {@link #close()} removes exactly these meters, never another
 * cache's of the same name with other tags. Thread-safe.
 */
final class KeyCacheMeters implements AutoCloseable {

    static final String INVALIDATIONS = "latchkey.cache.invalidations";

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<KeyEvent.Type, Counter> invalidations = new EnumMap<>(KeyEvent.Type.class);

    private KeyCacheMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    static KeyCacheMeters bind(MeterRegistry registry, Cache<?, ?> cache, Tags tags) {
        KeyCacheMeters m = new KeyCacheMeters(registry);
        Set<Meter.Id> before = new HashSet<>();
        for (Meter meter : registry.getMeters()) {
            before.add(meter.getId());
        }
        CaffeineCacheMetrics.monitor(registry, cache, KeyCache.CACHE_NAME, tags);
        for (Meter meter : registry.getMeters()) {
            if (!before.contains(meter.getId()) && KeyCache.CACHE_NAME.equals(meter.getId().getTag("cache"))) {
                m.meters.add(meter);
            }
        }
        for (KeyEvent.Type type : KeyEvent.Type.values()) {
            Counter c = Counter.builder(INVALIDATIONS)
                    .description("Store change events that evicted keys from this node's cache")
                    .tags(tags)
                    .tag("type", type.name().toLowerCase(Locale.ROOT))
                    .register(registry);
            m.invalidations.put(type, c);
            m.meters.add(c);
        }
        return m;
    }

    void invalidated(KeyEvent.Type type) {
        Counter c = invalidations.get(type);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public synchronized void close() {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
        meters.clear();
    }
}
