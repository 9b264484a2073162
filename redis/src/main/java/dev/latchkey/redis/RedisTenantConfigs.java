package dev.latchkey.redis;

import dev.latchkey.core.DuplicateKeyException;
import dev.latchkey.core.Page;
import dev.latchkey.core.TenantConfig;
import dev.latchkey.core.TenantConfigs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The Redis {@link TenantConfigs} of {@link RedisKeyStore}: each config a hash in its own slot
 * ({@code <p><tag>:{<id>}}), listed through two sorted sets of ids with score 0, so members sort by id, which is a
 * ULID, hence by creation ({@code <p><tag>idx:{all}} and {@code <p><tag>idx:{t:<tenant>}}). As with keys, the
 * indexes are in other slots: they are written after a create and cleaned before a delete, and a listed id with no
 * config is dropped by the reader. Writes are compare-and-set on the version ({@code config-put.lua}).
 */
final class RedisTenantConfigs<T extends TenantConfig> implements TenantConfigs<T> {

    private static final Script PUT = Script.load("config-put");

    private final RedisClusterAsyncCommands<String, String> redis;
    private final String prefix;
    private final ConfigCodec<T> codec;
    private final Duration timeout;
    private final Runnable requireOpen;

    RedisTenantConfigs(RedisClusterAsyncCommands<String, String> redis, String prefix, ConfigCodec<T> codec,
            Duration timeout, Runnable requireOpen) {
        this.redis = redis;
        this.prefix = prefix;
        this.codec = codec;
        this.timeout = timeout;
        this.requireOpen = requireOpen;
    }

    private String record(String id) {
        return prefix + codec.tag() + ":{" + id + "}";
    }

    private String index(@Nullable String tenant) {
        return prefix + codec.tag() + "idx:{" + (tenant == null ? "all" : "t:" + tenant) + "}";
    }

    @Override
    public void create(T config) {
        requireOpen.run();
        if (config.version() != 1) {
            throw new IllegalArgumentException("a new config starts at version 1");
        }
        if (!put(config, 0)) {
            throw new DuplicateKeyException("a config with id " + config.id() + " exists");
        }
        await(redis.zadd(index(null), 0, config.id()));
        await(redis.zadd(index(config.tenantId()), 0, config.id()));
    }

    @Override
    public Optional<T> find(String id) {
        requireOpen.run();
        Map<String, String> f = await(redis.hgetall(record(id)));
        return f == null || f.isEmpty() ? Optional.empty() : Optional.of(codec.decode(f));
    }

    @Override
    public Page<T> list(@Nullable String tenantId, int offset, int limit) {
        requireOpen.run();
        String index = index(tenantId);
        for (int attempt = 0; ; attempt++) {
            Long total = await(redis.zcard(index));
            List<String> ids = await(redis.zrevrange(index, offset, (long) offset + limit - 1));
            List<T> items = new ArrayList<>(ids.size());
            List<String> dangling = new ArrayList<>();
            for (String id : ids) {
                Optional<T> c = find(id);
                if (c.isPresent()) {
                    items.add(c.get());
                } else {
                    dangling.add(id);
                }
            }
            if (dangling.isEmpty() || attempt > 0) {
                return new Page<>(items, total == null ? items.size() : total - dangling.size(), offset, limit);
            }
            await(redis.zrem(index, dangling.toArray(String[]::new)));
        }
    }

    @Override
    public boolean replace(T updated, long expectedVersion) {
        requireOpen.run();
        if (updated.version() != expectedVersion + 1 || expectedVersion < 1) {
            throw new IllegalArgumentException("the new version must be the expected version + 1");
        }
        return put(updated, expectedVersion);
    }

    @Override
    public boolean delete(String id) {
        requireOpen.run();
        Optional<T> c = find(id);
        if (c.isEmpty()) {
            return false;
        }
        await(redis.zrem(index(c.get().tenantId()), id));
        await(redis.zrem(index(null), id));
        Long n = await(redis.del(record(id)));
        return n != null && n > 0;
    }

    private boolean put(T config, long expectedVersion) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(expectedVersion));
        args.add(config.tenantId());
        codec.encode(config).forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        Long written = await(PUT.run(redis, ScriptOutputType.INTEGER, new String[] {record(config.id())},
                args.toArray(String[]::new)));
        return written != null && written == 1;
    }

    private <R> R await(CompletionStage<R> stage) {
        return Failures.await(stage, timeout);
    }
}
