package dev.latchkey.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads every key name and value under a prefix, straight from Redis, to check what the store leaves there. Test
 * code only: a fresh connection per call, SCAN (never KEYS), every data type the store writes.
 */
final class RedisValues {

    /** A generated token: prefix, environment, then far more than the 4 characters a hint shows. */
    static final Pattern GENERATED_TOKEN = Pattern.compile("lk_(live|test)_[A-Za-z0-9]{12,}");

    private RedisValues() {
    }

    /** Returns every key name and every value (hash fields and values, members, scores) under a prefix. */
    static List<String> under(String redisUri, String prefix) {
        List<String> out = new ArrayList<>();
        RedisClient client = RedisClient.create(RedisURI.create(redisUri));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(glob(prefix) + "*").limit(500));
                for (String key : page.getKeys()) {
                    out.add(key);
                    switch (r.type(key)) {
                        case "string" -> out.add(String.valueOf(r.get(key)));
                        case "hash" -> {
                            for (Map.Entry<String, String> e : r.hgetall(key).entrySet()) {
                                out.add(e.getKey());
                                out.add(e.getValue());
                            }
                        }
                        case "zset" -> {
                            for (ScoredValue<String> v : r.zrangeWithScores(key, 0, -1)) {
                                out.add(v.getValue());
                                out.add(Double.toString(v.getScore()));
                            }
                        }
                        case "set" -> out.addAll(r.smembers(key));
                        case "list" -> out.addAll(r.lrange(key, 0, -1));
                        default -> out.add("<" + r.type(key) + ">");
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
        return out;
    }

    /** Deletes every key under a prefix. */
    static void deleteUnder(String redisUri, String prefix) {
        RedisClient client = RedisClient.create(RedisURI.create(redisUri));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(glob(prefix) + "*").limit(500));
                if (!page.getKeys().isEmpty()) {
                    for (String key : page.getKeys()) {
                        r.del(key);
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }

    /** Drops every normal client connection to this server (not this one, not pub/sub), as a network failure would. */
    static void killClients(String redisUri) {
        RedisClient client = RedisClient.create(RedisURI.create(redisUri));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().clientKill(KillArgs.Builder.typeNormal());
        } finally {
            client.shutdown();
        }
    }

    private static String glob(String prefix) {
        return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
