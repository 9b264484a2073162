package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.QuotaInput;
import dev.latchkey.core.admin.RateLimitInput;
import dev.latchkey.redis.RedisKeyStore;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The engine's limits are exact across nodes (API.md §8): 8 engines, each with its own Redis connection, key cache
 * and memory verdicts, × 16 threads on one key. Bounded in time (a few seconds of load per test).
 */
@WithRedis
@Tag("load")
class RateLimitExactnessIT {

    private static final int ENGINES = 8;
    private static final int THREADS = 16;

    private final RedisServer redis;
    private final String prefix;
    private final List<AutoCloseable> open = new ArrayList<>();

    RateLimitExactnessIT(RedisServer redis) {
        this.redis = redis;
        this.prefix = redis.uniqueKeyPrefix();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private RedisKeyStore store() {
        RedisKeyStore s = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix)
                .commandTimeout(Duration.ofSeconds(10)).build(); // exactness, not latency: room for a loaded machine
        open.add(s);
        return s;
    }

    private List<Authenticator> engines(AuthSettings settings) {
        List<Authenticator> engines = new ArrayList<>();
        for (int i = 0; i < ENGINES; i++) {
            Authenticator a = Authenticator.builder(store()).settings(settings).build();
            open.add(a);
            engines.add(a);
        }
        return engines;
    }

    private IssuedKey key(RateLimitInput rate, QuotaInput quota) {
        KeyManager manager = new KeyManager(store(), TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                Runnable::run);
        return manager.create(Actor.ROOT, CreateKeyRequest.named("exact").withLimits(rate, quota));
    }

    /** Runs every thread of every engine until the deadline, handing each decision to {@code onDecision}. */
    private static void hammer(List<Authenticator> engines, String token, long nanos,
            java.util.function.Consumer<Decision> onDecision) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(ENGINES * THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        long[] deadline = new long[1];
        for (Authenticator engine : engines) {
            for (int t = 0; t < THREADS; t++) {
                running.add(pool.submit(() -> {
                    start.await();
                    while (System.nanoTime() - deadline[0] < 0) {
                        onDecision.accept(engine.authenticate(AuthenticatorTestRequests.get("/x", token)));
                    }
                    return null;
                }));
            }
        }
        deadline[0] = System.nanoTime() + nanos;
        start.countDown();
        for (Future<?> f : running) {
            f.get(nanos / 1_000_000 + 30_000, TimeUnit.MILLISECONDS);
        }
        pool.shutdown();
    }

    @Test
    void rateLimit_eightEnginesTimesSixteenThreads_admitExactlyTheLimitInEveryWindow() throws Exception {
        long limit = 25;
        IssuedKey k = key(new RateLimitInput(limit, 1L), null);
        // closed, with room for a loaded machine: every admission is the store's
        List<Authenticator> engines = engines(AuthSettings.builder().rateLimitStoreTimeout(Duration.ofSeconds(5))
                .rateLimitOnStoreError(AuthSettings.OnStoreError.CLOSED).build());
        Map<Long, LongAdder> admittedByWindow = new ConcurrentHashMap<>();
        AtomicLong denied = new AtomicLong();
        hammer(engines, k.token(), TimeUnit.MILLISECONDS.toNanos(5_500), d -> {
            if (d instanceof Allow a) {
                admittedByWindow.computeIfAbsent(a.charge().rate().windowEnd(), w -> new LongAdder()).increment();
            } else if (d instanceof Denial den && den.code().equals("rate_limited")) {
                denied.incrementAndGet();
            } else {
                throw new AssertionError("unexpected " + d);
            }
        });
        List<Long> windows = new ArrayList<>(admittedByWindow.keySet());
        windows.sort(null);
        assertThat(windows).hasSizeGreaterThanOrEqualTo(5);
        for (int i = 0; i < windows.size(); i++) {
            long admitted = admittedByWindow.get(windows.get(i)).sum();
            assertThat(admitted).as("window ending %d", windows.get(i)).isLessThanOrEqualTo(limit);
            if (i > 0 && i < windows.size() - 1) { // whole windows: demand far above the limit throughout
                assertThat(admitted).as("window ending %d", windows.get(i)).isEqualTo(limit);
            }
        }
        assertThat(denied.get()).isPositive();
    }

    @Test
    void prepaidQuota_withConcurrentCredits_andKilledConnections_neverAdmitsMoreThanTheBalance() throws Exception {
        IssuedKey k = key(null, new QuotaInput(400L, "none", null));
        List<Authenticator> engines = engines(AuthSettings.builder()
                .rateLimitOnStoreError(AuthSettings.OnStoreError.CLOSED).build());
        KeyManager admin = new KeyManager(store(), TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                Runnable::run);
        LongAdder admitted = new LongAdder();
        LongAdder unavailable = new LongAdder();
        LongAdder credited = new LongAdder();
        Thread credits = new Thread(() -> {
            for (int i = 0; i < 5; i++) {
                try {
                    admin.limits().credits(Actor.ROOT, k.key().id(), "increment", 20L);
                    credited.add(20);
                } catch (dev.latchkey.core.StoreUnavailableException e) {
                    // the connection was killed under it: whether it applied is unknown, the bounds below allow both
                    unavailable.add(20);
                }
                if (i == 2) {
                    redis.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
                }
            }
        });
        credits.start();
        hammer(engines, k.token(), TimeUnit.MILLISECONDS.toNanos(3_000), d -> {
            if (d instanceof Allow) {
                admitted.increment();
            } else if (d instanceof Denial den && den.status() == 503) {
                unavailable.increment();
            }
        });
        credits.join(30_000);
        long balance = admin.limits().limitsOf(admin.get(Actor.ROOT, k.key().id())).balance().remaining();
        // spent + remaining = start + credits; a charge that timed out on its way may have been spent without an
        // admission, never the other way round.
        long credit = credited.sum();
        assertThat(admitted.sum() + balance).isLessThanOrEqualTo(400 + 100);
        assertThat(admitted.sum() + balance + unavailable.sum()).isGreaterThanOrEqualTo(400 + credit);
        assertThat(balance).isZero();
    }

    @Test
    void aNodeAnsweringFromMemory_hearsACreditTopUpAndADefaultsChange_madeOnAnotherNode() {
        Authenticator node = Authenticator.builder(store()).build();
        open.add(node);
        KeyManager admin = new KeyManager(store(), TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                Runnable::run);
        IssuedKey prepaid = key(null, new QuotaInput(1L, "none", null));
        assertThat(node.authenticate(AuthenticatorTestRequests.get("/x", prepaid.token()))).isInstanceOf(Allow.class);
        assertThat(((Denial) node.authenticate(AuthenticatorTestRequests.get("/x", prepaid.token()))).code())
                .isEqualTo("quota_exhausted"); // from now on from memory

        admin.limits().credits(Actor.ROOT, prepaid.key().id(), "increment", 1L);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                node.authenticate(AuthenticatorTestRequests.get("/x", prepaid.token())) instanceof Allow);

        String tenant = "t" + Long.toHexString(System.nanoTime());
        IssuedKey inherits = admin.create(Actor.ROOT, CreateKeyRequest.named("inherits").withTenant(tenant));
        admin.limits().putDefaults(Actor.ROOT, tenant,
                new dev.latchkey.core.admin.DefaultsInput(new RateLimitInput(1L, 3600L), null, null, null), null);
        assertThat(node.authenticate(AuthenticatorTestRequests.get("/x", inherits.token()))).isInstanceOf(Allow.class);
        assertThat(((Denial) node.authenticate(AuthenticatorTestRequests.get("/x", inherits.token()))).code())
                .isEqualTo("rate_limited");

        admin.limits().putDefaults(Actor.ROOT, tenant, new dev.latchkey.core.admin.DefaultsInput(null, null, null, null),
                null);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                node.authenticate(AuthenticatorTestRequests.get("/x", inherits.token())) instanceof Allow);
    }
}
