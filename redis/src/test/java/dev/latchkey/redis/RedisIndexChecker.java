package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.Environment;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyType;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Walks what {@link RedisKeyStore} keeps beside its records, straight from Redis, and checks it against the records
 * (#21): each listing scope's class sets hold exactly the records of that scope, each once, as {@code "<id>
 * <version>"} at its current version and class (#20) and its all-keys set holds the same members, and every imported-token entry names a record whose current or previous
 * secret has that hash (and every record's imported current secret has its entry). Test code only; SCAN, never KEYS.
 */
final class RedisIndexChecker {

    private RedisIndexChecker() {
    }

    private static List<String> scan(RedisCommands<String, String> r, String glob) {
        List<String> out = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(glob).limit(500));
            out.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return out;
    }

    private static String escape(String s) {
        return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    private static String filedClass(ApiKey k) {
        String status = switch (k.storedStatus()) {
            case ACTIVE -> "a";
            case INACTIVE -> "i";
            case BLOCKED -> "b";
            case EXPIRED -> throw new IllegalStateException("expired is never stored");
        };
        return status + (k.type() == KeyType.STANDARD ? "s" : "t") + (k.environment() == Environment.LIVE ? "l" : "t");
    }

    /** Checks every index under {@code prefix} against the records the store reads. */
    static void check(String redisUri, String prefix, KeyStore store) {
        Layout layout = new Layout(prefix);
        RedisClient client = RedisClient.create(RedisURI.create(redisUri));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            Pattern recordName = Pattern.compile(Pattern.quote(prefix + "k:{") + "([0-9A-Z]{26})\\}");
            Map<String, ApiKey> records = new HashMap<>();
            for (String name : scan(r, escape(prefix) + "k:{*}")) {
                Matcher m = recordName.matcher(name);
                if (m.matches()) {
                    records.put(m.group(1), store.find(m.group(1)).orElseThrow(
                            () -> new AssertionError("record " + name + " that the store cannot read")));
                }
            }
            Map<String, Set<String>> scopes = new HashMap<>();
            scopes.put(layout.globalIndex(), new HashSet<>(records.keySet()));
            for (ApiKey k : records.values()) {
                scopes.computeIfAbsent(layout.tenantIndex(k.tenantId()), s -> new HashSet<>()).add(k.id());
            }
            Pattern tenantSet = Pattern.compile("(" + Pattern.quote(prefix + "idx:{t:") + "[^}]*\\}):.*");
            for (String name : scan(r, escape(prefix) + "idx:{t:*}:*")) {
                Matcher m = tenantSet.matcher(name);
                if (m.matches()) {
                    scopes.putIfAbsent(m.group(1), new HashSet<>());
                }
            }
            for (Map.Entry<String, Set<String>> scope : scopes.entrySet()) {
                checkScope(r, scope.getKey(), scope.getValue(), records);
            }
            checkImported(r, layout, prefix, records);
        } finally {
            client.shutdown();
        }
    }

    private static void checkScope(RedisCommands<String, String> r, String base, Set<String> ids,
            Map<String, ApiKey> records) {
        assertThat(r.exists(base + ":all", base + ":meta")).as(base + ": no :all or :meta of the old layout")
                .isZero();
        Map<String, List<String>> filedIn = new HashMap<>();
        Map<String, String> members = new HashMap<>();
        for (String set : scan(r, escape(base) + ":c:*")) {
            String cls = set.substring(base.length() + 3);
            for (String member : r.zrange(set, 0, -1)) {
                String id = member.substring(0, Math.max(0, member.lastIndexOf(' ')));
                filedIn.computeIfAbsent(id, i -> new ArrayList<>()).add(cls);
                members.put(id, member);
            }
        }
        assertThat(filedIn.keySet()).as(base + ": filed ids").isEqualTo(ids);
        Map<String, Double> all = new HashMap<>();
        for (var e : r.zrangeWithScores(base + ":k", 0, -1)) {
            all.put(e.getValue(), e.getScore());
        }
        assertThat(all.keySet()).as(base + ": the all-keys set holds each class-set member once")
                .isEqualTo(new HashSet<>(members.values()));
        for (String id : ids) {
            assertThat(all.get(members.get(id))).as(base + " all-keys score of " + id)
                    .isEqualTo((double) RecordCodec.micros(records.get(id).createdAt()));
        }
        for (String id : ids) {
            ApiKey k = records.get(id);
            String cls = filedClass(k);
            assertThat(filedIn.get(id)).as(base + " class sets of " + id).hasSize(1);
            assertThat(filedIn.get(id).get(0)).as(base + " class of " + id).isIn(cls, "x" + cls);
            assertThat(members.get(id)).as(base + " member of " + id).isEqualTo(id + " " + k.version());
        }
    }

    private static void checkImported(RedisCommands<String, String> r, Layout layout, String prefix,
            Map<String, ApiKey> records) {
        int head = (prefix + "imp:{").length();
        for (String name : scan(r, escape(prefix) + "imp:{*}")) {
            String hex = name.substring(head, name.length() - 1);
            String id = r.get(name);
            ApiKey k = records.get(id);
            long ttl = r.pttl(name);
            // Every change settles the claims it made or releases them when it does not happen, so once the
            // writers are done no claim is left pending.
            assertThat(ttl).as(name + " is settled (naming " + id + ")").isEqualTo(-1);
            assertThat(k).as(name + " names a record").isNotNull();
            assertThat(hasHash(k.current(), hex) || hasHash(k.previous(), hex))
                    .as(name + " is a secret of " + id).isTrue();
        }
        for (ApiKey k : records.values()) {
            if (k.current().imported()) {
                assertThat(r.get(layout.imported(k.current().hash()))).as("imported index of " + k.id())
                        .isEqualTo(k.id());
            }
        }
    }

    private static boolean hasHash(Credential c, String hex) {
        return c != null && c.imported() && c.hash().hex().equals(hex);
    }
}
