package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.CreditOp;
import dev.latchkey.core.CreditResult;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.internal.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exactness tests of {@link LimitsContract} (API.md §8 "Exactness"): {@value LimitsContract#NODES} store
 * instances × {@value LimitsContract#THREADS} threads charging one key.
 */
final class LimitsExactness {

    private static final int CALLERS = LimitsContract.NODES * LimitsContract.THREADS;

    private LimitsExactness() {
    }

    /** Per window: admitted ≤ limit and admitted ≥ min(demand, limit), over several windows. */
    static void rateLimitWindows(LimitsContract c) throws Exception {
        KeyStore store = c.limitsStore();
        ApiKey key = Keys.minimal(c.limitsClock().instant());
        store.create(key);
        boolean clocked = c.storeTimeFollowsClock();
        RateLimit rate = new RateLimit(40, clocked ? 60 : 1);
        int perCall = clocked ? 1 : 4;
        Map<Long, long[]> windows = new ConcurrentHashMap<>(); // window end -> {demand, admitted}
        List<KeyStore> nodes = open(c);
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (windows.size() < c.exactnessWindows() + (clocked ? 0 : 1) && System.nanoTime() < deadline) {
                List<Callable<Void>> calls = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    KeyStore node = nodes.get(i % nodes.size());
                    calls.add(() -> {
                        for (int n = 0; n < perCall; n++) {
                            ChargeResult r = node.charge(key.id(), Ids.next(), 1, rate, null);
                            long[] w = windows.computeIfAbsent(r.rate().windowEnd(), e -> new long[2]);
                            synchronized (w) {
                                w[0]++;
                                if (r.verdict().admitted()) {
                                    w[1]++;
                                }
                            }
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(calls)) {
                    f.get();
                }
                if (clocked) {
                    c.limitsClock().advance(Duration.ofSeconds(rate.periodSeconds()));
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            close(c, nodes);
        }
        assertThat(windows).as("windows covered").hasSizeGreaterThanOrEqualTo(c.exactnessWindows());
        for (Map.Entry<Long, long[]> e : new TreeMap<>(windows).entrySet()) {
            long demand = e.getValue()[0];
            long admitted = e.getValue()[1];
            assertThat(admitted).as("admitted in the window ending %s (demand %s)", e.getKey(), demand)
                    .isLessThanOrEqualTo(rate.limit())
                    .isGreaterThanOrEqualTo(Math.min(demand, rate.limit()));
        }
    }

    /**
     * Units spent + remaining = start + credit changes, exactly, while admins change the balance concurrently and
     * every client connection is dropped in the middle; every call that failed is retried with its own id.
     */
    static void quotaIdentity(LimitsContract c) throws Exception {
        KeyStore store = c.limitsStore();
        ApiKey key = Keys.minimal(c.limitsClock().instant());
        store.create(key);
        Quota quota = new Quota(3_000, QuotaPeriod.NONE);
        RateLimit rate = new RateLimit(1_000_000, 86_400);
        long start = store.quotaState(key.id(), quota).orElseThrow().remaining();
        int perCaller = 30;
        AtomicLong spent = new AtomicLong();
        AtomicLong credited = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean charging = new AtomicBoolean(true);
        AtomicInteger retried = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        List<KeyStore> nodes = open(c);
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS + 1);
        try {
            List<Callable<Void>> calls = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                KeyStore node = nodes.get(i % nodes.size());
                calls.add(() -> {
                    for (int n = 0; n < perCaller; n++) {
                        String requestId = Ids.next();
                        long cost = ThreadLocalRandom.current().nextLong(4);
                        ChargeResult r = LimitsContract.untilAnswered(
                                () -> node.charge(key.id(), requestId, cost, rate, quota), retried::incrementAndGet);
                        if (r.replayed()) {
                            replayed.incrementAndGet();
                        }
                        if (r.verdict().admitted()) {
                            spent.addAndGet(cost);
                        }
                        if (done.incrementAndGet() == CALLERS * perCaller / 2 && killed.compareAndSet(false, true)) {
                            c.killConnections();
                        }
                    }
                    return null;
                });
            }
            Future<?> admin = pool.submit(() -> {
                KeyStore node = nodes.get(0);
                while (charging.get()) {
                    String op = Ids.next();
                    CreditOp kind = CreditOp.values()[ThreadLocalRandom.current().nextInt(3)];
                    long amount = kind == CreditOp.SET ? ThreadLocalRandom.current().nextLong(200)
                            : 1 + ThreadLocalRandom.current().nextLong(100);
                    CreditResult r = LimitsContract.untilAnswered(
                            () -> node.credit(key.id(), op, kind, amount, quota, null));
                    if (r.status() == CreditResult.Status.APPLIED) {
                        credited.addAndGet(r.delta());
                    }
                }
                return null;
            });
            for (Future<Void> f : pool.invokeAll(calls)) {
                f.get();
            }
            charging.set(false);
            admin.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            close(c, nodes);
        }
        long remaining = LimitsContract.untilAnswered(() -> store.quotaState(key.id(), quota)).orElseThrow()
                .remaining();
        assertThat(killed).as("connections were dropped in the middle").isTrue();
        System.out.printf("quota identity: %d charges, %d retried after a dropped connection, %d answered as replays%n",
                CALLERS * perCaller, retried.get(), replayed.get());
        assertThat(spent.get() + remaining)
                .as("spent %s + remaining %s = start %s + credit changes %s (%s charges retried, %s replays)", spent,
                        remaining, start, credited, retried, replayed)
                .isEqualTo(start + credited.get());
    }

    private static List<KeyStore> open(LimitsContract c) {
        List<KeyStore> nodes = new ArrayList<>();
        nodes.add(c.limitsStore());
        while (nodes.size() < LimitsContract.NODES) {
            nodes.add(c.openNode());
        }
        return nodes;
    }

    private static void close(LimitsContract c, List<KeyStore> nodes) {
        for (KeyStore n : nodes) {
            if (n != c.limitsStore()) {
                c.closeNode(n);
            }
        }
    }
}
