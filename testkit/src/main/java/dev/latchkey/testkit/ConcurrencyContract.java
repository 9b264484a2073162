package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Usage;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.OperationException;
import dev.latchkey.core.internal.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The store contract, topic by topic. Concurrency: racing writers of one version, rotations and toggles, and usage
 * batches lose nothing. Part of {@link KeyStoreContract}, which every store's test extends.
 */
@Tag("contract")
public interface ConcurrencyContract extends StoreFixture {

    @Test
    default void replace_concurrentWritersOfOneVersion_exactlyOneWins() throws Exception {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ApiKey mine = k.toBuilder().name("writer " + t).version(2).build();
                results.add(pool.submit(() -> {
                    start.await();
                    return store().replace(mine, 1);
                }));
            }
            start.countDown();
            List<String> winners = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                if (results.get(t).get(30, TimeUnit.SECONDS)) {
                    winners.add("writer " + t);
                }
            }
            assertThat(winners).hasSize(1);
            ApiKey found = stored(k.id());
            assertThat(found.version()).isEqualTo(2);
            assertThat(found.name()).isEqualTo(winners.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Tag("concurrency")
    default void concurrentRotationsAndToggles_loseNoUpdate_andLeaveAtMostTwoValidSecrets() throws Exception {
        IssuedKey k = create("contended");
        String id = k.key().id();
        int threads = 8;
        int rounds = concurrencyRounds();
        Queue<String> tokens = new ConcurrentLinkedQueue<>();
        tokens.add(k.token());
        AtomicInteger successes = new AtomicInteger();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        try {
                            if ((thread + i) % 2 == 0) {
                                tokens.add(manager().rotate(Actor.ROOT, id, false, HOUR).token());
                            } else {
                                manager().setStatus(Actor.ROOT, id, i % 4 < 2 ? "inactive" : "active", null, null);
                            }
                            successes.incrementAndGet();
                        } catch (OperationException e) {
                            if (e.reason() != OperationException.Reason.CONFLICT) {
                                unexpected.add(e);
                            }
                        } catch (RuntimeException e) {
                            unexpected.add(e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(unexpected).isEmpty();
        assertThat(successes.get()).isPositive();
        assertThat(stored(id).version()).isEqualTo(1L + successes.get());
        long matching = tokens.stream().filter(t -> verifier().verify(t, null).key() != null).count();
        long current = tokens.stream().filter(t -> stored(id).current().hash().matches(Keys.HASHER.hash(t))).count();
        assertThat(matching).isBetween(1L, 2L);
        assertThat(current).isEqualTo(1);
    }

    @Test
    @Tag("concurrency")
    default void concurrentUsageBatches_addUpExactly() throws Exception {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        int threads = 8;
        int rounds = concurrencyRounds() * 2;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        store().recordUsage(batch(Ids.next(),
                                new UsageDelta(k.id(), 3, now().plusMillis(thread * 1000L + i), null)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Usage usage = stored(k.id()).usage();
        assertThat(usage.count()).isEqualTo(3L * threads * rounds);
        assertThat(usage.lastUsedAt()).isEqualTo(now().plusMillis((threads - 1) * 1000L + rounds - 1));
        assertThat(stored(k.id()).version()).isEqualTo(1);
    }
}
