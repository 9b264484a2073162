package dev.latchkey.bench;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.UsageSink;
import dev.latchkey.core.Verifier;
import dev.latchkey.core.VerifyCode;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.engine.KeyCache;
import dev.latchkey.redis.RedisKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * How fast a change made on one node reaches another: node A changes a key's status through the admin rules
 * ({@link KeyManager} on its own {@link RedisKeyStore}); node B, with its own store connection and
 * {@link KeyCache}, verifies the key in a loop until it sees the change. The baseline, measured in the same run, is
 * one Redis round trip ({@code PING}) from node A, so the result reads as "a change is visible everywhere after N
 * round trips".
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.latchkey.bench.PropagationDriver redis://127.0.0.1:PORT
 * [iterations]} (default 200). Every wait is bounded (5 s); traffic goes to the given Redis only.
 */
public final class PropagationDriver {

    private PropagationDriver() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: PropagationDriver redis://HOST:PORT [iterations]");
            System.exit(2);
        }
        String url = args[0];
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String prefix = "latchkey-bench-" + System.nanoTime() + ":";
        try (RedisKeyStore a = RedisKeyStore.builder().uri(url).keyPrefix(prefix).build();
                RedisKeyStore b = RedisKeyStore.builder().uri(url).keyPrefix(prefix).build();
                KeyCache cacheB = KeyCache.builder(b).ttl(Duration.ofMinutes(10)).build()) {
            KeyManager manager = new KeyManager(a, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                    Runnable::run);
            Verifier nodeB = new Verifier(cacheB, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                    UsageSink.NONE);
            var issued = manager.create(Actor.ROOT, CreateKeyRequest.named("propagation"));
            String id = issued.key().id();
            String token = issued.token();
            awaitCode(nodeB, token, VerifyCode.VALID);

            long[] rtt = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                a.ping();
                rtt[i] = System.nanoTime() - t0;
            }
            long[] visible = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                boolean deactivate = i % 2 == 0;
                long t0 = System.nanoTime();
                manager.setStatus(Actor.ROOT, id, deactivate ? "inactive" : "active", null, null);
                awaitCode(nodeB, token, deactivate ? VerifyCode.INACTIVE : VerifyCode.VALID);
                visible[i] = System.nanoTime() - t0;
            }
            Stats rttStats = new Stats(rtt, iterations);
            Stats visibleStats = new Stats(visible, iterations);
            System.out.println("baseline: one Redis round trip (PING)   " + rttStats.summary());
            System.out.println("change on A visible to B's cache        " + visibleStats.summary());
            System.out.printf(Locale.ROOT, "ratio p50 = %.1f round trips, p99 = %.1f round trips%n",
                    visibleStats.percentileMicros(50) / rttStats.percentileMicros(50),
                    visibleStats.percentileMicros(99) / rttStats.percentileMicros(50));
            a.delete(id);
        }
    }

    private static void awaitCode(Verifier verifier, String token, VerifyCode expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (verifier.verify(token, null).code() != expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node B did not see " + expected.wire() + " within 5 s");
            }
            Thread.onSpinWait();
        }
    }
}
