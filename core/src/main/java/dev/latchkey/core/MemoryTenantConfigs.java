package dev.latchkey.core;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory {@link TenantConfigs} of {@link InMemoryKeyStore}: a concurrent map, replaced by compare-and-set on
 * the version. Listing sorts every match, which suits the embedded use.
 */
final class MemoryTenantConfigs<T extends TenantConfig> implements TenantConfigs<T> {

    private static final Comparator<TenantConfig> NEWEST_FIRST =
            Comparator.comparing(TenantConfig::id).reversed();

    private final ConcurrentHashMap<String, T> configs = new ConcurrentHashMap<>();
    private final Runnable requireOpen;

    MemoryTenantConfigs(Runnable requireOpen) {
        this.requireOpen = requireOpen;
    }

    @Override
    public void create(T config) {
        requireOpen.run();
        if (config.version() != 1) {
            throw new IllegalArgumentException("a new config starts at version 1");
        }
        if (configs.putIfAbsent(config.id(), config) != null) {
            throw new DuplicateKeyException("a config with id " + config.id() + " exists");
        }
    }

    @Override
    public Optional<T> find(String id) {
        requireOpen.run();
        return Optional.ofNullable(configs.get(id));
    }

    @Override
    public Page<T> list(@Nullable String tenantId, int offset, int limit) {
        requireOpen.run();
        List<T> all = configs.values().stream()
                .filter(c -> tenantId == null || c.tenantId().equals(tenantId))
                .sorted(NEWEST_FIRST)
                .toList();
        int from = Math.min(offset, all.size());
        int to = (int) Math.min((long) from + limit, all.size());
        return new Page<>(all.subList(from, to), all.size(), offset, limit);
    }

    @Override
    public boolean replace(T updated, long expectedVersion) {
        requireOpen.run();
        if (updated.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("the new version must be the expected version + 1");
        }
        boolean[] written = {false};
        configs.computeIfPresent(updated.id(), (id, current) -> {
            if (current.version() != expectedVersion || !current.tenantId().equals(updated.tenantId())
                    || current.getClass() != updated.getClass()) {
                return current;
            }
            written[0] = true;
            return updated;
        });
        return written[0];
    }

    @Override
    public boolean delete(String id) {
        requireOpen.run();
        return configs.remove(Objects.requireNonNull(id, "id")) != null;
    }
}
