package dev.latchkey.bench;

import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.engine.KeyCache;
import dev.latchkey.redis.RedisKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * What confirmed revocation costs an admin call (issue #12): node A deactivates and reactivates a key through the
 * admin rules while nodes B and C, each with its own store connection and key cache, are live and confirm. The same
 * calls on stores built with {@code confirmTimeout(ZERO)} (they do not wait) are the baseline, measured in the same
 * run, alternating rounds.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.latchkey.bench.RevocationCostDriver
 * redis://127.0.0.1:PORT [changes per round]} (default 200, 4 rounds each way). Traffic goes to the given Redis only.
 */
public final class RevocationCostDriver {

    private RevocationCostDriver() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: RevocationCostDriver redis://HOST:PORT [changes per round]");
            System.exit(2);
        }
        String url = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rounds = 4;
        long[] confirmed = new long[n * rounds];
        long[] unconfirmed = new long[n * rounds];
        for (int round = 0; round < rounds; round++) {
            measure(url, Duration.ZERO, n, unconfirmed, round * n);
            measure(url, RedisKeyStore.DEFAULT_CONFIRM_TIMEOUT, n, confirmed, round * n);
        }
        Stats base = new Stats(unconfirmed, unconfirmed.length);
        Stats with = new Stats(confirmed, confirmed.length);
        System.out.println("baseline: status change, no confirmation    " + base.summary());
        System.out.println("status change, 2 other nodes confirm         " + with.summary());
        System.out.printf(Locale.ROOT, "ratio p50 = %.2f, p99 = %.2f%n",
                with.percentileMicros(50) / base.percentileMicros(50),
                with.percentileMicros(99) / base.percentileMicros(99));
    }

    private static void measure(String url, Duration confirm, int n, long[] out, int offset) {
        String prefix = "latchkey-bench-" + System.nanoTime() + ":";
        try (RedisKeyStore a = RedisKeyStore.builder().uri(url).keyPrefix(prefix).confirmTimeout(confirm).build();
                RedisKeyStore b = RedisKeyStore.builder().uri(url).keyPrefix(prefix).build();
                RedisKeyStore c = RedisKeyStore.builder().uri(url).keyPrefix(prefix).build();
                KeyCache cacheB = KeyCache.builder(b).build();
                KeyCache cacheC = KeyCache.builder(c).build()) {
            KeyManager manager = new KeyManager(a, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                    Runnable::run);
            String id = manager.create(Actor.ROOT, CreateKeyRequest.named("revocation-cost")).key().id();
            cacheB.byId(id);
            cacheC.byId(id);
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                manager.setStatus(Actor.ROOT, id, i % 2 == 0 ? "inactive" : "active", null, null);
                out[offset + i] = System.nanoTime() - t0;
            }
            manager.delete(Actor.ROOT, id);
        }
    }
}
