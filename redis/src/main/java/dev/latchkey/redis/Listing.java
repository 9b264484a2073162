package dev.latchkey.redis;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Environment;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Page;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listing indexes: sorted sets by creation time (microseconds) per scope, where a scope is all keys or one
 * tenant's keys, each scope under a hash tag of its own so one script serves a query atomically on Cluster too.
 *
 * <p><b>Filters.</b> Each key is filed in one <i>class</i> set of its scope, named by stored status, type and
 * environment ({@code c:asl} = active, standard, live): one sorted-set entry per scope, two per key, plus one in an
 * expiry set for keys that expire. Its member is {@code "<id> <version>"}, so the version it is filed at needs no
 * hash of its own (see index-common.lua). A query pages the union of the classes that match (all 20 for no filter):
 * a k-way merge from the top for shallow pages, and for deep offsets first a binary search on the score that finds
 * the page's first element in the union in about 40 {@code ZCOUNT}s per set (so deep offsets cost no more than the
 * first page); the total is the sum of the sets' cardinalities. A query with no filter reads instead the scope's
 * all-keys set ({@code k}), where each key is filed once more with the same member, as one {@code ZRANGE}: a
 * 500-key page without a merge of 20 sets. It reads it only while it holds as many entries as the class sets; an
 * index filed before that set existed is copied into it by bounded script calls that the first unfiltered query
 * starts in the background, answering from the class sets meanwhile.
 *
 * <p><b>Expired is derived, not stored.</b> The status a caller sees is judged at {@link KeyQuery#now()}: a key
 * past {@code expires_at} reads expired unless blocked. So keys with a live stored status (active, inactive) and an
 * expiry are filed under {@code c:x<class>} when their expiry has passed by Redis {@code TIME} as they are filed,
 * else under {@code c:<class>}, and kept in an expiry set ({@code x:<class>} or {@code e:<class>}) scored by
 * {@code expires_at}. A query that filters on active, inactive or expired first <i>files the scope at its now</i>,
 * inside the same script: keys whose expiry is at or before now move from {@code c:<class>} to {@code c:x<class>},
 * and keys filed as expired whose expiry is after now move back (a query with an earlier now). The query then reads
 * {@code c:a..} for active, {@code c:i..} for inactive and {@code c:xa..} plus {@code c:xi..} for expired, which is
 * exactly {@link dev.latchkey.core.ApiKey#effectiveStatus} at that now (to the microsecond). Blocked keys are never
 * filed by expiry, since blocked wins. Since keys are filed by the clock as they are written, a query moves only the
 * keys that expired since they were written or since the last query; moving is still bounded per call (the script
 * answers "again" and the caller repeats), so a million keys expiring at once cannot stall Redis.
 *
 * <p><b>Versions and repair.</b> Filing a version older than the filed one is a no-op, so two writers racing on one
 * key cannot leave the older state filed; a key's entry is found by its creation time, which never changes. Index
 * writes follow the record write and may be lost in a crash; readers check every listed record and repair: an id
 * without a record is unfiled (if not re-filed meanwhile), a record newer than its entry is re-filed, and the page
 * is read again.
 */
final class Listing {

    /**
     * How many keys one query call moves per class and direction (8 live classes, both ways: at most 4,000 moves, a
     * few tens of milliseconds of Redis time) before it asks to be called again.
     */
    static final int DEFAULT_FILING_BUDGET = 250;

    private static final Script COMMON_PUT = Script.load("index-put", "index-common");
    private static final Script COMMON_REMOVE = Script.load("index-remove", "index-common");
    private static final Script QUERY = Script.load("index-query");

    private static final Logger LOG = LoggerFactory.getLogger(Listing.class);

    /** The pause between two calls that copy entries into an all-keys set: a step takes 1 to 2 ms of Redis time. */
    private static final Executor COPY_PACE = CompletableFuture.delayedExecutor(4, TimeUnit.MILLISECONDS);

    private final Layout layout;
    private final int filingBudget;
    private final Set<String> copying = ConcurrentHashMap.newKeySet();

    Listing(Layout layout, int filingBudget) {
        this.layout = layout;
        this.filingBudget = filingBudget;
    }

    /**
     * Reads one page: queries the index, reads every listed record (all in one write, through {@code readRecords}),
     * repairs what a crash left (an id without a record is unfiled, a record newer than its entry is re-filed) and,
     * when it repaired anything, reads the page again (three times at most).
     */
    Page<ApiKey> page(RedisClusterAsyncCommands<String, String> redis,
            Function<List<String>, List<CompletableFuture<Map<String, String>>>> readRecords, KeyQuery query,
            Duration timeout) {
        String scope = scope(query);
        String[] args = queryArgs(query);
        List<ApiKey> items = List.of();
        long total = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            Hits hits = null;
            while (hits == null) {
                hits = hits(Failures.await(query(redis, scope, args), timeout));
            }
            total = hits.total();
            if (hits.copying()) {
                copyInBackground(redis, scope, args);
            }
            List<String> records = new ArrayList<>(hits.ids().size());
            for (String id : hits.ids()) {
                records.add(layout.record(id));
            }
            List<CompletableFuture<Map<String, String>>> reads = readRecords.apply(records);
            items = new ArrayList<>(hits.ids().size());
            List<CompletableFuture<Long>> repairs = new ArrayList<>();
            List<ApiKey> refiled = new ArrayList<>();
            for (int i = 0; i < reads.size(); i++) {
                Map<String, String> fields = Failures.await(reads.get(i), timeout);
                String id = hits.ids().get(i);
                long filed = hits.versions().get(i);
                long created = hits.created().get(i);
                if (fields == null || fields.isEmpty()) {
                    repairs.add(remove(redis, scope, id, created, filed));
                    continue;
                }
                ApiKey k = RecordCodec.decode(id, fields);
                if (k.version() > filed) {
                    if (RecordCodec.micros(k.createdAt()) != created) {
                        repairs.add(remove(redis, scope, id, created, filed));
                    }
                    repairs.addAll(put(redis, k));
                    refiled.add(k);
                }
                if (query.matches(k)) {
                    items.add(k);
                }
            }
            if (repairs.isEmpty()) {
                break;
            }
            Failures.awaitAll(repairs, timeout);
            Failures.awaitAll(unfileIfDeleted(redis, refiled, timeout), timeout);
            LOG.debug("Repaired {} listing entries; reading the page again", repairs.size());
        }
        return new Page<>(items, total, query.offset(), query.limit());
    }

    /**
     * A page of ids as the index has them, with the version each is filed at and its score (created, in us), and
     * whether the scope's all-keys set is still being filled.
     */
    record Hits(long total, List<String> ids, List<Long> versions, List<Long> created, boolean copying) {
    }

    /**
     * Fills a scope's all-keys set (index-common.lua) to the end, one bounded script call after another, so that
     * an index filed before the set existed is filled in seconds after its first unfiltered query rather than a few
     * hundred entries per query. The calls are paced ({@link #COPY_PACE}), so that reads waiting behind them on the
     * store's connection (and other clients' commands) wait for one call at most; one run per scope at a time.
     */
    private void copyInBackground(RedisClusterAsyncCommands<String, String> redis, String scope, String[] args) {
        if (!copying.add(scope)) {
            return;
        }
        String[] copyArgs = args.clone();
        copyArgs[3] = "c";
        LOG.info("Filling the all-keys listing index of {} from its class sets", scope);
        copyStep(redis, scope, copyArgs);
    }

    private void copyStep(RedisClusterAsyncCommands<String, String> redis, String scope, String[] args) {
        query(redis, scope, args).whenComplete((reply, error) -> {
            if (error == null && !reply.isEmpty() && "copying".equals(reply.get(0))) {
                COPY_PACE.execute(() -> copyStep(redis, scope, args));
                return;
            }
            copying.remove(scope);
            if (error != null) {
                LOG.warn("Stopped filling the all-keys listing index of {}; its next unfiltered query goes on",
                        scope, error);
            } else {
                LOG.info("Filled the all-keys listing index of {}", scope);
            }
        });
    }

    /** Files a key in the global and its tenant's scope (as two commands, pipelined). */
    List<CompletableFuture<Long>> put(RedisClusterAsyncCommands<String, String> redis, ApiKey k) {
        String[] args = {k.id(), Long.toString(k.version()),
                statusCode(k.storedStatus()) + typeCode(k.type()) + envCode(k.environment()),
                Long.toString(RecordCodec.micros(k.createdAt())),
                k.expiresAt() == null ? "" : Long.toString(RecordCodec.micros(k.expiresAt()))};
        return List.of(
                COMMON_PUT.run(redis, ScriptOutputType.INTEGER, new String[] {layout.globalIndex()}, args),
                COMMON_PUT.run(redis, ScriptOutputType.INTEGER, new String[] {layout.tenantIndex(k.tenantId())},
                        args));
    }

    /**
     * Takes back the entries of keys just filed (by a change or a reader's repair) whose record is gone now. A delete
     * removes the record and then unfiles the key; a filing that reached the index after that unfiling would leave a
     * deleted key listed, in this scope or in the other one. A record missing after the filing completed means
     * exactly that, so the key is unfiled from both scopes again, only up to the version filed.
     *
     * @return the removals to await (none when every record is still there)
     */
    List<CompletableFuture<Long>> unfileIfDeleted(RedisClusterAsyncCommands<String, String> redis,
            List<ApiKey> filed, Duration timeout) {
        if (filed.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<Long>> exists = new ArrayList<>(filed.size());
        for (ApiKey k : filed) {
            exists.add(redis.exists(layout.record(k.id())).toCompletableFuture());
        }
        List<CompletableFuture<Long>> removals = new ArrayList<>();
        for (int i = 0; i < filed.size(); i++) {
            Long n = Failures.await(exists.get(i), timeout);
            if (n != null && n == 0) {
                ApiKey k = filed.get(i);
                long created = RecordCodec.micros(k.createdAt());
                removals.add(remove(redis, layout.globalIndex(), k.id(), created, k.version()));
                removals.add(remove(redis, layout.tenantIndex(k.tenantId()), k.id(), created, k.version()));
            }
        }
        return removals;
    }

    /**
     * Unfiles a key from one scope.
     *
     * @param createdMicros the key's creation time in microseconds, where its entry is filed
     * @param upToVersion {@code null} to unfile whatever is filed, else only an entry not newer than this version
     */
    CompletableFuture<Long> remove(RedisClusterAsyncCommands<String, String> redis, String scope, String id,
            long createdMicros, @Nullable Long upToVersion) {
        return COMMON_REMOVE.run(redis, ScriptOutputType.INTEGER, new String[] {scope}, id,
                Long.toString(createdMicros), upToVersion == null ? "" : upToVersion.toString());
    }

    /** Returns the scope a query reads. */
    String scope(KeyQuery q) {
        return q.tenantId() == null ? layout.globalIndex() : layout.tenantIndex(q.tenantId());
    }

    /** Builds the arguments of one query call. */
    String[] queryArgs(KeyQuery q) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(RecordCodec.micros(q.now())));
        args.add(Integer.toString(q.offset()));
        args.add(Integer.toString(q.limit()));
        boolean filing = q.status() != null && q.status() != KeyStatus.BLOCKED;
        boolean unfiltered = q.status() == null && q.type() == null && q.environment() == null;
        args.add(filing ? "1" : unfiltered ? "k" : "0");
        args.add(Integer.toString(filingBudget));
        args.addAll(sets(q));
        return args.toArray(String[]::new);
    }

    static List<String> sets(KeyQuery q) {
        List<String> statuses = q.status() == null ? List.of("a", "i", "b", "xa", "xi") : switch (q.status()) {
            case ACTIVE -> List.of("a");
            case INACTIVE -> List.of("i");
            case BLOCKED -> List.of("b");
            case EXPIRED -> List.of("xa", "xi");
        };
        List<String> types = q.type() == null ? List.of("s", "t") : List.of(typeCode(q.type()));
        List<String> envs = q.environment() == null ? List.of("l", "t") : List.of(envCode(q.environment()));
        List<String> out = new ArrayList<>();
        for (String s : statuses) {
            for (String t : types) {
                for (String e : envs) {
                    out.add("c:" + s + t + e);
                }
            }
        }
        return out;
    }

    CompletableFuture<List<Object>> query(RedisClusterAsyncCommands<String, String> redis, String scope,
            String[] args) {
        return QUERY.run(redis, ScriptOutputType.MULTI, new String[] {scope}, args);
    }

    /** Reads a query answer, or returns {@code null} when the script asks to be called again. */
    static @Nullable Hits hits(List<Object> reply) {
        if (!reply.isEmpty() && "again".equals(reply.get(0))) {
            return null;
        }
        long total = ((Number) reply.get(0)).longValue();
        boolean copying = reply.size() % 2 == 0 && "copying".equals(reply.get(reply.size() - 1));
        int n = (reply.size() - 1) / 2;
        List<String> ids = new ArrayList<>(n);
        List<Long> versions = new ArrayList<>(n);
        List<Long> created = new ArrayList<>(n);
        for (int i = 1; i + 1 < reply.size(); i += 2) {
            String member = String.valueOf(reply.get(i));
            int space = member.lastIndexOf(' ');
            // A member of the layout before #20 is the bare id: version 0, so the reader re-files it.
            ids.add(space < 0 ? member : member.substring(0, space));
            versions.add(space < 0 ? 0L : Long.parseLong(member.substring(space + 1)));
            created.add(score(String.valueOf(reply.get(i + 1))));
        }
        return new Hits(total, ids, versions, created, copying);
    }

    /**
     * Reads a score of a listing index, whole microseconds that Redis writes as plain digits: read as a long,
     * without the garbage of {@code Double.parseDouble}, unless it is written otherwise.
     */
    static long score(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return (long) Double.parseDouble(text);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && !(i == 0 && c == '-' && text.length() > 1)) {
                return (long) Double.parseDouble(text);
            }
        }
        return Long.parseLong(text);
    }

    static String statusCode(KeyStatus s) {
        return switch (s) {
            case ACTIVE -> "a";
            case INACTIVE -> "i";
            case BLOCKED -> "b";
            case EXPIRED -> throw new IllegalArgumentException("expired is never stored");
        };
    }

    static String typeCode(KeyType t) {
        return t == KeyType.TRIAL ? "t" : "s";
    }

    static String envCode(Environment e) {
        return e == Environment.TEST ? "t" : "l";
    }
}
