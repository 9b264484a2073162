package dev.latchkey.bench;

import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.RateLimitInput;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.engine.Allow;
import dev.latchkey.engine.AuthRequest;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.engine.Decision;
import dev.latchkey.redis.RedisKeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a charged request costs on loopback Redis (issue #13): concurrent callers (16 unless given) send requests of one
 * key with a rate limit ({@value RateLimit#MAX_LIMIT} a day, never reached) through one engine ({@link Authenticator}
 * on a {@link RedisKeyStore}), so each request is one atomic charge script in Redis. Two baselines in the same run, in
 * alternating rounds with the same callers: the cached {@code authenticate} of a key with no limit (no store call),
 * one Redis {@code PING} round trip on the store's connection, and the store's charge script called directly
 * ({@link RedisKeyStore#charge}, no engine: what the engine's hand-off and timeout add is the difference).
 * Goal: the charged request's p99 ≤ 1 ms.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.latchkey.bench.RateLimitStoreDriver
 * redis://127.0.0.1:PORT [requests per caller per round] [callers]} (default 500 requests, at most 10,000, in 4 rounds
 * after a warm-up round; 16 callers). Every request is bounded by the engine's store timeout (250 ms) and every round
 * by 60 s; traffic goes to the given Redis only, under a fresh key prefix.
 */
public final class RateLimitStoreDriver {

    private static final int DEFAULT_CALLERS = 16;
    private static final int ROUNDS = 4;

    private RateLimitStoreDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println(
                    "usage: RateLimitStoreDriver redis://HOST:PORT [requests per caller per round] [callers]");
            System.exit(2);
        }
        String url = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int callers = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_CALLERS;
        if (n < 1 || n > 10_000) {
            throw new IllegalArgumentException("requests per caller per round must be 1 to 10,000");
        }
        String prefix = "latchkey-bench-" + System.nanoTime() + ":";
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try (RedisKeyStore store = RedisKeyStore.builder().uri(url).keyPrefix(prefix).build();
                Authenticator engine = Authenticator.builder(store).build()) {
            KeyManager manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(),
                    Clock.systemUTC(), Runnable::run);
            var free = manager.create(Actor.ROOT, CreateKeyRequest.named("unlimited"));
            var charged = manager.create(Actor.ROOT, CreateKeyRequest.named("charged")
                    .withLimits(new RateLimitInput(RateLimit.MAX_LIMIT, 86_400L), null));
            var direct = manager.create(Actor.ROOT, CreateKeyRequest.named("charged directly")
                    .withLimits(new RateLimitInput(RateLimit.MAX_LIMIT, 86_400L), null));
            RateLimit bigLimit = new RateLimit(RateLimit.MAX_LIMIT, 86_400L);
            String directId = direct.key().id();
            AuthRequest freeRequest = BenchRequests.get(free.token(), "127.0.0.1");
            AuthRequest chargedRequest = BenchRequests.get(charged.token(), "127.0.0.1");
            LongSupplier unlimitedCall = () -> timed(engine, freeRequest);
            LongSupplier chargedCall = () -> timed(engine, chargedRequest);
            LongSupplier ping = () -> {
                long t0 = System.nanoTime();
                store.ping();
                return System.nanoTime() - t0;
            };
            LongSupplier script = () -> {
                long t0 = System.nanoTime();
                var r = store.charge(directId, Ids.next(), 1, bigLimit, null);
                long t = System.nanoTime() - t0;
                if (r.verdict() != ChargeResult.Verdict.ADMITTED) {
                    throw new IllegalStateException("a direct charge was not admitted: " + r.verdict());
                }
                return t;
            };
            int total = callers * n * ROUNDS;
            long[] unlimited = new long[total];
            long[] chargedLat = new long[total];
            long[] pings = new long[total];
            long[] scripts = new long[total];
            // Warm-up: every path once over, then alternating measured rounds (order reversed every other round).
            run(pool, callers, unlimitedCall, n, new long[callers * n], 0);
            run(pool, callers, chargedCall, n, new long[callers * n], 0);
            run(pool, callers, ping, n, new long[callers * n], 0);
            run(pool, callers, script, n, new long[callers * n], 0);
            for (int round = 0; round < ROUNDS; round++) {
                int at = round * callers * n;
                if (round % 2 == 0) {
                    run(pool, callers, unlimitedCall, n, unlimited, at);
                    run(pool, callers, chargedCall, n, chargedLat, at);
                    run(pool, callers, ping, n, pings, at);
                    run(pool, callers, script, n, scripts, at);
                } else {
                    run(pool, callers, script, n, scripts, at);
                    run(pool, callers, ping, n, pings, at);
                    run(pool, callers, chargedCall, n, chargedLat, at);
                    run(pool, callers, unlimitedCall, n, unlimited, at);
                }
            }
            Stats base = new Stats(unlimited, total);
            Stats rtt = new Stats(pings, total);
            Stats alone = new Stats(scripts, total);
            Stats with = new Stats(chargedLat, total);
            System.out.println("callers: " + callers + ", requests per path: " + total);
            System.out.println("baseline: cached authenticate, no limit      " + base.summary());
            System.out.println("baseline: one Redis PING                     " + rtt.summary());
            System.out.println("store charge alone (RedisKeyStore.charge)    " + alone.summary());
            System.out.println("charged request (authenticate + charge)      " + with.summary());
            System.out.printf(Locale.ROOT, "charged - unlimited: p50 %+.1f us, p99 %+.1f us%n",
                    with.percentileMicros(50) - base.percentileMicros(50),
                    with.percentileMicros(99) - base.percentileMicros(99));
            System.out.printf(Locale.ROOT, "ratio to PING: p50 = %.2f, p99 = %.2f; p99 %s 1 ms%n",
                    with.percentileMicros(50) / rtt.percentileMicros(50),
                    with.percentileMicros(99) / rtt.percentileMicros(99),
                    with.percentileMicros(99) <= 1_000 ? "<=" : ">");
            manager.delete(Actor.ROOT, free.key().id());
            manager.delete(Actor.ROOT, charged.key().id());
            manager.delete(Actor.ROOT, directId);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code n} calls on each of the callers at once, writing each call's latency from {@code offset}. */
    private static void run(ExecutorService pool, int callers, LongSupplier call, int n, long[] out, int offset)
            throws Exception {
        List<Future<?>> done = new java.util.ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int from = offset + c * n;
            done.add(pool.submit(() -> {
                for (int i = 0; i < n; i++) {
                    out[from + i] = call.getAsLong();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    private static long timed(Authenticator engine, AuthRequest request) {
        long t0 = System.nanoTime();
        Decision d = engine.authenticate(request);
        long t = System.nanoTime() - t0;
        if (!(d instanceof Allow)) {
            throw new IllegalStateException("a request was not allowed: " + d);
        }
        return t;
    }
}
