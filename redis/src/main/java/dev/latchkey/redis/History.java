package dev.latchkey.redis;

import dev.latchkey.core.admin.ConfigRules;
import dev.latchkey.core.HistoryGranularity;
import dev.latchkey.core.HistoryShipment;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.StorageKind;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageBucket;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.UsageMinute;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Usage counts and usage history of {@link RedisKeyStore} (API.md §10): one script per key and batch
 * ({@code usage.lua}) adds the key's uses and its per-minute counts to minute, hour and day buckets, all in the key's
 * slot and under the batch's idempotency marker, so a replayed batch counts nothing twice.
 *
 * <pre>
 * &lt;p&gt;k:{&lt;id&gt;}:hm:&lt;epoch hour&gt;       hash: minute of the hour → "valid:denied:rate_limited"
 * &lt;p&gt;k:{&lt;id&gt;}:hh:&lt;epoch day&gt;        hash: hour of the day → counts
 * &lt;p&gt;k:{&lt;id&gt;}:hd:&lt;epoch day / 100&gt;  hash: day of the 100-day block → counts
 * &lt;p&gt;k:{&lt;id&gt;}:hs                  hash: epoch minute → counts not yet shipped to PostgreSQL
 * &lt;p&gt;k:{&lt;id&gt;}:hsi                 hash: the shipment in flight (its counts and '_id'), until acknowledged
 * &lt;p&gt;hship                         set: ids of keys with counts to ship (written after the script)
 * </pre>
 *
 * Each hash stays under Redis's listpack limits (≤ 128 small fields), which keeps it compact, and expires its
 * retention after its period ends. The retention and whether to ship come from the key's effective storage config,
 * resolved on the flushing thread and cached per key for {@link #TARGET_TTL} or until a change event for the key, its
 * tenant's defaults or everything arrives; a key with no storage config keeps {@value ConfigRules#DEFAULT_RETENTION_DAYS}
 * days.
 */
final class History {

    /** The longest a key's resolved storage target is reused without a change event. */
    static final Duration TARGET_TTL = Duration.ofSeconds(30);
    static final long MARKER_MINUTES = RedisKeyStore.USAGE_MARKER_MINUTES;
    static final int MARKERS_KEPT = RedisKeyStore.USAGE_MARKERS_KEPT;
    private static final Script USAGE = Script.load("usage");
    private static final Script TAKE = Script.load("history-take");
    private static final Script ACK = Script.load("history-ack");
    private static final long DAY_BLOCK = 100;
    /**
     * Usage scripts of one flush in flight at once. Requests' reads share the connection, and Redis answers one
     * connection's commands in order: a read issued during a flush of thousands of keys waits behind at most these
     * (about 1 ms of Redis time), not behind the whole flush. 32 still keeps Redis busy across a 1 ms round trip.
     */
    static final int FLUSH_WINDOW = 32;

    /** Where one key's history goes. */
    record Target(int retentionDays, boolean ship, long expiresAtNanos) {
    }

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Layout layout;
    private final Duration timeout;
    private final Function<List<String>, Map<String, Target>> resolver;
    private final LongSupplier nanos = System::nanoTime;
    private final ConcurrentHashMap<String, Target> targets = new ConcurrentHashMap<>();

    History(RedisClusterAsyncCommands<String, String> redis, Layout layout, Duration timeout,
            Function<List<String>, Map<String, Target>> resolver) {
        this.redis = redis;
        this.layout = layout;
        this.timeout = timeout;
        this.resolver = resolver;
    }

    /**
     * Builds a resolver from the key records, the tenant defaults and the storage configs. However many keys a flush
     * brings, their records are read pipelined ({@link #FLUSH_WINDOW} at a time), and each tenant's defaults and each
     * config are read once per call: a flush of thousands of newly used keys costs a few round trips, not two per key
     * on the connection that requests read on (#20).
     */
    static Function<List<String>, Map<String, Target>> resolver(RedisClusterAsyncCommands<String, String> redis,
            Layout layout, Duration timeout, Function<String, @Nullable String> tenantDefaultStorage,
            Function<String, Optional<StorageConfig>> configs) {
        return keyIds -> {
            List<CompletableFuture<List<KeyValue<String, String>>>> reads = new ArrayList<>(keyIds.size());
            for (String keyId : keyIds) {
                if (reads.size() >= FLUSH_WINDOW) {
                    Failures.await(reads.get(reads.size() - FLUSH_WINDOW), timeout);
                }
                // The compact encoding's names first, then the first encoding's (RecordCodec, LegacyRecordCodec).
                reads.add(redis.hmget(layout.record(keyId), RecordCodec.TENANT, "sc", "tenant_id", "storage_config")
                        .toCompletableFuture());
            }
            Map<String, Optional<String>> tenantStorage = new HashMap<>();
            Map<String, Optional<StorageConfig>> found = new HashMap<>();
            long expires = System.nanoTime() + TARGET_TTL.toNanos();
            Map<String, Target> out = new HashMap<>();
            for (int i = 0; i < keyIds.size(); i++) {
                List<KeyValue<String, String>> f = Failures.await(reads.get(i), timeout);
                String tenant = f.get(0).getValueOrElse(f.get(2).getValueOrElse(null));
                String id = f.get(0).hasValue() ? f.get(1).getValueOrElse(null) : f.get(3).getValueOrElse(null);
                if (id == null && tenant != null) {
                    id = tenantStorage.computeIfAbsent(tenant, t -> Optional.ofNullable(tenantDefaultStorage.apply(t)))
                            .orElse(null);
                }
                StorageConfig c = id == null ? null : found.computeIfAbsent(id, configs).orElse(null);
                out.put(keyIds.get(i), c == null ? new Target(ConfigRules.DEFAULT_RETENTION_DAYS, false, expires)
                        : new Target(c.retentionDays(), c.kind() == StorageKind.POSTGRESQL, expires));
            }
            return out;
        };
    }

    /** Forgets resolved targets a change may have moved. */
    void onEvent(KeyEvent e) {
        switch (e.type()) {
            case UPDATED, DELETED, CREATED -> {
                if (e.keyId() != null) {
                    targets.remove(e.keyId());
                }
            }
            case ALL_STALE, TENANT_DEFAULTS_CHANGED -> targets.clear();
            default -> {
            }
        }
    }

    /** Forgets every resolved target (a storage config changed). */
    void forgetTargets() {
        targets.clear();
    }

    /** Returns where each key's history goes: cached targets, and the rest resolved together. */
    private Map<String, Target> targets(Iterable<String> keyIds) {
        Map<String, Target> out = new HashMap<>();
        List<String> unresolved = new ArrayList<>();
        long now = nanos.getAsLong();
        for (String keyId : keyIds) {
            Target t = targets.get(keyId);
            if (t == null || t.expiresAtNanos() - now < 0) {
                unresolved.add(keyId);
            } else {
                out.put(keyId, t);
            }
        }
        if (!unresolved.isEmpty()) {
            Map<String, Target> resolved = resolver.apply(unresolved);
            targets.putAll(resolved);
            out.putAll(resolved);
        }
        return out;
    }

    /** Waits for one script of a flush; a failure is reported once all of them have been waited for. */
    private void awaitQuietly(CompletionStage<?> script) {
        try {
            Failures.await(script, timeout);
        } catch (RuntimeException reportedLater) {
            // record() waits for every script again and throws the first failure
        }
    }

    void record(UsageBatch batch) {
        String markerTtl = Long.toString(Duration.ofMinutes(MARKER_MINUTES).toMillis());
        String kept = Integer.toString(MARKERS_KEPT);
        Map<String, List<UsageMinute>> minutes = new LinkedHashMap<>();
        batch.minutes().forEach(m -> minutes.computeIfAbsent(m.keyId(), k -> new ArrayList<>()).add(m));
        Map<String, UsageDelta> deltas = new LinkedHashMap<>();
        batch.deltas().forEach(d -> deltas.put(d.keyId(), d));
        Map<String, Target> routes = targets(minutes.keySet());
        List<CompletableFuture<Long>> pending = new ArrayList<>();
        List<String> shipped = new ArrayList<>();
        for (String keyId : batch.keyIds()) {
            UsageDelta d = deltas.get(keyId);
            List<UsageMinute> ms = minutes.getOrDefault(keyId, List.of());
            Target target = ms.isEmpty() ? null : routes.get(keyId);
            List<String> keys = new ArrayList<>();
            keys.add(layout.record(keyId));
            keys.add(layout.usageMarkers(keyId));
            keys.add(shipHash(keyId));
            List<String> args = new ArrayList<>();
            args.add(batch.id());
            args.add(d == null ? "0" : Long.toString(d.count()));
            args.add(d == null ? "" : RecordCodec.time(d.lastUsedAt()));
            args.add(d == null || d.lastUsedIp() == null ? "" : d.lastUsedIp());
            args.add(markerTtl);
            args.add(kept);
            args.add(target != null && target.ship() ? "1" : "0");
            if (target != null && target.ship()) {
                shipped.add(keyId);
            }
            long retentionMs = target == null ? 0 : Duration.ofDays(target.retentionDays()).toMillis();
            for (UsageMinute m : ms) {
                long hour = Math.floorDiv(m.minute(), 60);
                long day = Math.floorDiv(m.minute(), 1_440);
                long block = Math.floorDiv(day, DAY_BLOCK);
                keys.add(minuteHash(keyId, hour));
                keys.add(hourHash(keyId, day));
                keys.add(dayHash(keyId, block));
                args.add(Long.toString(Math.floorMod(m.minute(), 60)));
                args.add(Long.toString(Math.floorMod(hour, 24)));
                args.add(Long.toString(Math.floorMod(day, DAY_BLOCK)));
                args.add(Long.toString((hour + 1) * 3_600_000L + retentionMs));
                args.add(Long.toString((day + 1) * 86_400_000L + retentionMs));
                args.add(Long.toString((block + 1) * DAY_BLOCK * 86_400_000L + retentionMs));
                args.add(Long.toString(m.minute()));
                args.add(m.valid() + ":" + m.denied() + ":" + m.rateLimited());
            }
            if (pending.size() >= FLUSH_WINDOW) {
                awaitQuietly(pending.get(pending.size() - FLUSH_WINDOW));
            }
            pending.add(USAGE.run(redis, ScriptOutputType.INTEGER, keys.toArray(String[]::new),
                    args.toArray(String[]::new)));
        }
        RuntimeException first = null;
        for (CompletionStage<?> s : pending) {
            try {
                Failures.await(s, timeout);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (!shipped.isEmpty()) {
            Failures.await(redis.sadd(shipSet(), shipped.toArray(String[]::new)), timeout);
        }
        if (first != null) {
            throw first;
        }
    }

    /** Takes the next queued shipment (see {@link dev.latchkey.core.KeyStore#takeHistoryShipment()}). */
    Optional<HistoryShipment> take() {
        for (int attempt = 0; attempt < 16; attempt++) {
            String keyId = Failures.await(redis.srandmember(shipSet()), timeout);
            if (keyId == null) {
                return Optional.empty();
            }
            List<Object> raw = Failures.await(TAKE.<List<Object>>run(redis, ScriptOutputType.MULTI,
                    new String[] {shipHash(keyId), inFlightHash(keyId)}, Ids.next()), timeout);
            if (raw == null || raw.isEmpty()) {
                Failures.await(redis.srem(shipSet(), keyId), timeout);
                // A flush that queued counts after the take and announced them before the SREM must not be lost.
                Long queued = Failures.await(redis.exists(shipHash(keyId)), timeout);
                if (queued != null && queued > 0) {
                    Failures.await(redis.sadd(shipSet(), keyId), timeout);
                }
                continue;
            }
            String id = null;
            List<UsageMinute> minutes = new ArrayList<>();
            for (int i = 0; i + 1 < raw.size(); i += 2) {
                String field = String.valueOf(raw.get(i));
                String value = String.valueOf(raw.get(i + 1));
                if (field.equals("_id")) {
                    id = value;
                    continue;
                }
                String[] n = value.split(":");
                long v = Long.parseLong(n[0]);
                long d = Long.parseLong(n[1]);
                long r = Long.parseLong(n[2]);
                if (v + d + r > 0) {
                    minutes.add(new UsageMinute(keyId, Long.parseLong(field), v, d, r));
                }
            }
            return Optional.of(new HistoryShipment(java.util.Objects.requireNonNull(id, "_id"), keyId, minutes));
        }
        return Optional.empty();
    }

    /** Acknowledges a shipment. */
    void shipped(HistoryShipment s) {
        Failures.await(ACK.run(redis, ScriptOutputType.INTEGER, new String[] {inFlightHash(s.keyId())}, s.id()),
                timeout);
    }

    String inFlightHash(String keyId) {
        return layout.record(keyId) + ":hsi";
    }

    /** Reads the non-empty buckets of {@code [from, to)} at one granularity. */
    List<UsageBucket> read(String keyId, Instant from, Instant to, HistoryGranularity g) {
        long s = g.seconds();
        long first = Math.floorDiv(from.getEpochSecond(), s);
        long end = Math.floorDiv(to.getEpochSecond() + s - 1, s);
        // The hashes that hold buckets [first, end): per hour for minutes, per day for hours, per block for days.
        long per = switch (g) {
            case MINUTE -> 60;
            case HOUR -> 24;
            case DAY -> DAY_BLOCK;
        };
        List<Long> containers = new ArrayList<>();
        for (long c = Math.floorDiv(first, per); c <= Math.floorDiv(end - 1, per); c++) {
            containers.add(c);
        }
        List<CompletableFuture<Map<String, String>>> reads = new ArrayList<>();
        for (long c : containers) {
            String key = switch (g) {
                case MINUTE -> minuteHash(keyId, c);
                case HOUR -> hourHash(keyId, c);
                case DAY -> dayHash(keyId, c);
            };
            reads.add(redis.hgetall(key).toCompletableFuture());
        }
        List<UsageBucket> out = new ArrayList<>();
        for (int i = 0; i < containers.size(); i++) {
            Map<String, String> fields = Failures.await(reads.get(i), timeout);
            for (Map.Entry<String, String> e : fields.entrySet()) {
                long bucket = containers.get(i) * per + Long.parseLong(e.getKey());
                if (bucket < first || bucket >= end) {
                    continue;
                }
                String[] n = e.getValue().split(":");
                out.add(new UsageBucket(Instant.ofEpochSecond(bucket * s), Long.parseLong(n[0]),
                        Long.parseLong(n[1]), Long.parseLong(n[2])));
            }
        }
        out.sort(java.util.Comparator.comparing(UsageBucket::start));
        return out;
    }

    String minuteHash(String keyId, long epochHour) {
        return layout.record(keyId) + ":hm:" + epochHour;
    }

    String hourHash(String keyId, long epochDay) {
        return layout.record(keyId) + ":hh:" + epochDay;
    }

    String dayHash(String keyId, long block) {
        return layout.record(keyId) + ":hd:" + block;
    }

    String shipHash(String keyId) {
        return layout.record(keyId) + ":hs";
    }

    String shipSet() {
        return layout.prefix() + "hship";
    }
}
