package dev.latchkey.core;

import dev.latchkey.core.internal.Ids;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tests for {@link UsageRecorder}: exact counts under contention, retries with the same batch id, flush on close. */
class UsageRecorderTest {

    /** Records every batch it is given, and fails (before or after applying it) while told to. */
    private static final class FlakyStore extends ForwardingKeyStore {
        final Queue<UsageBatch> batches = new ConcurrentLinkedQueue<>();
        final AtomicInteger failBefore = new AtomicInteger();
        final AtomicInteger failAfter = new AtomicInteger();

        FlakyStore() {
            super(new InMemoryKeyStore());
        }

        @Override
        public void recordUsage(UsageBatch batch) {
            batches.add(batch);
            if (failBefore.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StoreUnavailableException("down before applying");
            }
            super.recordUsage(batch);
            if (failAfter.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StoreUnavailableException("timed out after applying");
            }
        }

        List<String> batchIds() {
            return batches.stream().map(UsageBatch::id).toList();
        }
    }

    private final FlakyStore store = new FlakyStore();
    private final Instant t0 = Instant.parse("2026-11-23T10:15:30Z");

    @AfterEach
    void closeStore() {
        store.close();
    }

    private String newKey() {
        ApiKey k = ApiKey.builder().id(Ids.next()).name("k").createdAt(t0)
                .current(new Credential(SecretHasher.sha256().hash(Ids.next()), "…", false)).build();
        store.create(k);
        return k.id();
    }

    private Usage usage(String id) {
        return store.find(id).orElseThrow().usage();
    }

    private UsageRecorder manual() {
        return UsageRecorder.builder(store).flushInterval(Duration.ZERO).build();
    }

    @Test
    void record_fromManyThreadsWhileFlushing_addsUpExactlyAfterClose() throws Exception {
        List<String> keys = List.of(newKey(), newKey(), newKey());
        int threads = 8;
        int perThread = 20_000;
        UsageRecorder recorder = UsageRecorder.builder(store).flushInterval(Duration.ofMillis(2)).build();
        AtomicBoolean recording = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            Future<?> flusher = pool.submit(() -> {
                start.await();
                while (recording.get()) {
                    recorder.flush();
                }
                return null;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        recorder.record(keys.get((thread + i) % keys.size()), t0.plusMillis(i), "203.0.113." + thread);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            recording.set(false);
            flusher.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        recorder.close();

        long total = keys.stream().mapToLong(k -> usage(k).count()).sum();
        assertThat(total).isEqualTo((long) threads * perThread);
        assertThat(recorder.pending()).isZero();
        for (String k : keys) {
            assertThat(usage(k).lastUsedAt()).isEqualTo(t0.plusMillis(perThread - 1));
        }
        assertThat(store.batches).allSatisfy(b -> assertThat(b.deltas())
                .allSatisfy(d -> assertThat(d.lastUsedAt()).isAfterOrEqualTo(t0)));
    }

    @Test
    void record_onCountersThatFlushesKeepRetiring_losesNoUseAndNoTime() throws Exception {
        Queue<UsageDelta> deltas = new ConcurrentLinkedQueue<>();
        KeyStore capturing = new ForwardingKeyStore(new InMemoryKeyStore()) {
            @Override
            public void recordUsage(UsageBatch batch) {
                deltas.addAll(batch.deltas());
            }
        };
        UsageRecorder recorder = UsageRecorder.builder(capturing).flushInterval(Duration.ZERO).build();
        int writers = 2;
        int perWriter = 400_000;
        AtomicBoolean recording = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            Future<?> flusher = pool.submit(() -> {
                while (recording.get()) {
                    recorder.flush();
                }
                return null;
            });
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        recorder.record("k" + (i % 5_000), t0, null); // many cold counters: each flush retires some
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            recording.set(false);
            flusher.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        recorder.close();

        assertThat(deltas.stream().mapToLong(UsageDelta::count).sum()).isEqualTo((long) writers * perWriter);
        // a flush that took a use before its time was written used to report 1970-01-01
        assertThat(deltas).allSatisfy(d -> assertThat(d.lastUsedAt()).isEqualTo(t0));
    }

    @Test
    void flush_whenStoreFails_keepsTheBatchAndRetriesItWithTheSameIdFirst() {
        String key = newKey();
        try (UsageRecorder recorder = manual()) {
            for (int i = 0; i < 5; i++) {
                recorder.record(key, t0.plusSeconds(i), "203.0.113.1");
            }
            store.failBefore.set(1);

            assertThat(recorder.flush()).isFalse();
            assertThat(recorder.pending()).isEqualTo(5);
            assertThat(usage(key).count()).isZero();

            recorder.record(key, t0.plusSeconds(10), "203.0.113.2");
            recorder.record(key, t0.plusSeconds(11), "203.0.113.3");
            assertThat(recorder.flush()).isTrue();

            List<String> ids = store.batchIds();
            assertThat(ids).hasSize(3);
            assertThat(ids.get(1)).isEqualTo(ids.get(0));
            assertThat(ids.get(2)).isNotEqualTo(ids.get(0));
            assertThat(recorder.pending()).isZero();
        }
        assertThat(usage(key)).isEqualTo(new Usage(7, t0.plusSeconds(11), "203.0.113.3"));
    }

    @Test
    void flush_afterATimeoutThatHadApplied_doesNotCountTwice() {
        String key = newKey();
        try (UsageRecorder recorder = manual()) {
            recorder.record(key, t0, null);
            recorder.record(key, t0, null);
            store.failAfter.set(1);

            assertThat(recorder.flush()).isFalse();
            assertThat(recorder.flush()).isTrue();
        }

        assertThat(store.batchIds()).hasSize(2).containsOnly(store.batchIds().get(0));
        assertThat(usage(key).count()).isEqualTo(2);
    }

    @Test
    void close_flushesWhatIsPending() {
        String a = newKey();
        String b = newKey();
        UsageRecorder recorder = manual();
        recorder.record(a, t0, "203.0.113.9");
        recorder.record(b, t0, null);
        recorder.record(b, t0.plusSeconds(1), null);
        assertThat(recorder.pending()).isEqualTo(3);
        assertThat(usage(a).count()).isZero();

        recorder.close();
        recorder.close();

        assertThat(usage(a)).isEqualTo(new Usage(1, t0, "203.0.113.9"));
        assertThat(usage(b)).isEqualTo(new Usage(2, t0.plusSeconds(1), null));
        assertThat(recorder.pending()).isZero();
        assertThat(store.batches).hasSize(1);
    }

    @Test
    void close_retriesAFailedBatch() {
        String key = newKey();
        UsageRecorder recorder = manual();
        recorder.record(key, t0, null);
        store.failBefore.set(1);
        assertThat(recorder.flush()).isFalse();

        recorder.close();

        assertThat(usage(key).count()).isEqualTo(1);
    }

    @Test
    void record_afterClose_isWrittenByALaterFlush() {
        String key = newKey();
        UsageRecorder recorder = manual();
        recorder.close();

        recorder.record(key, t0, null);
        assertThat(recorder.flush()).isTrue();

        assertThat(usage(key).count()).isEqualTo(1);
    }

    @Test
    void record_latestUseWins_evenWhenRecordedOutOfOrder() {
        String key = newKey();
        try (UsageRecorder recorder = manual()) {
            recorder.record(key, t0.plusSeconds(2), "203.0.113.2");
            recorder.record(key, t0.plusSeconds(1), "203.0.113.1");
        }

        assertThat(usage(key)).isEqualTo(new Usage(2, t0.plusSeconds(2), "203.0.113.2"));
    }

    @Test
    void schedule_flushesWithoutBeingAsked() throws Exception {
        String key = newKey();
        CountDownLatch flushed = new CountDownLatch(1);
        try (UsageRecorder recorder = UsageRecorder.builder(store).flushInterval(Duration.ofMillis(10))
                .listener((keys, uses, took, error) -> {
                    if (error == null && uses == 1) {
                        flushed.countDown();
                    }
                }).build()) {
            recorder.record(key, t0, null);

            assertThat(flushed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(usage(key).count()).isEqualTo(1);
        }
    }

    @Test
    void listener_seesEachAttemptWithItsSizeAndError() {
        String a = newKey();
        String b = newKey();
        List<String> seen = new ArrayList<>();
        try (UsageRecorder recorder = UsageRecorder.builder(store).flushInterval(Duration.ZERO)
                .listener((keys, uses, took, error) -> seen.add(keys + "/" + uses + "/" + (error == null ? "ok"
                        : error.getClass().getSimpleName()))).build()) {
            recorder.record(a, t0, null);
            recorder.record(b, t0, null);
            recorder.record(b, t0, null);
            store.failBefore.set(1);
            recorder.flush();
            recorder.flush();
            recorder.flush();
        }

        assertThat(seen).containsExactly("2/3/StoreUnavailableException", "2/3/ok");
    }

    @Test
    void flush_whileTheStoreIsDown_keepsOneBatch_andNewUsesWaitInTheirCounters() {
        String key = newKey();
        store.failBefore.set(Integer.MAX_VALUE);
        UsageRecorder recorder = manual();
        for (int i = 0; i < 50; i++) {
            recorder.record(key, t0.plusSeconds(i), null);
            assertThat(recorder.flush()).isFalse();
        }

        assertThat(recorder.pending()).isEqualTo(50);
        assertThat(store.batchIds()).hasSize(50).containsOnly(store.batchIds().get(0));
        store.failBefore.set(0);
        assertThat(recorder.flush()).isTrue();
        recorder.close();
        assertThat(usage(key)).isEqualTo(new Usage(50, t0.plusSeconds(49), null));
        assertThat(recorder.pending()).isZero();
    }

    @Test
    void flush_aBatchFailingLongerThanTheRetryWindow_isDropped_andLaterUsesStillArrive() {
        String key = newKey();
        AtomicLong nanos = new AtomicLong();
        UsageRecorder recorder = UsageRecorder.builder(store).flushInterval(Duration.ZERO)
                .maxRetryAge(Duration.ofMinutes(10)).nanoTime(nanos::get).build();
        recorder.record(key, t0, null);
        recorder.record(key, t0, null);
        store.failAfter.set(1); // applied, but the caller saw a timeout: retrying under a new id would count twice
        assertThat(recorder.flush()).isFalse();
        store.failBefore.set(Integer.MAX_VALUE);
        nanos.addAndGet(Duration.ofMinutes(9).toNanos());
        assertThat(recorder.flush()).isFalse();

        nanos.addAndGet(Duration.ofMinutes(2).toNanos());
        recorder.record(key, t0.plusSeconds(5), null);
        store.failBefore.set(0);
        assertThat(recorder.flush()).isTrue();
        recorder.close();

        assertThat(usage(key).count()).isEqualTo(3);
        assertThat(recorder.pending()).isZero();
    }

    @Test
    void historyCounts_fromRacingThreadsAcrossMinutes_withFlushesRacing_areEachCountedOnce() throws Exception {
        String id = newKey();
        UsageRecorder recorder = manual();
        int threads = 8;
        int perThread = 6_000;
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread flusher = new Thread(() -> {
            while (running.get()) {
                recorder.flush();
            }
        });
        flusher.start();
        List<Thread> workers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    long at = t0.toEpochMilli() + i * 37L;
                    switch (i % 3) {
                        case 0 -> recorder.record(id, Instant.ofEpochMilli(at), "198.51.100.7");
                        case 1 -> recorder.refused(id, at, UsageOutcome.DENIED);
                        default -> recorder.refused(id, at, UsageOutcome.RATE_LIMITED);
                    }
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        running.set(false);
        flusher.join();
        assertThat(recorder.flush()).isTrue();

        long[] sums = new long[3];
        java.util.Set<Long> minutes = new java.util.HashSet<>();
        for (UsageBatch b : store.batches) {
            for (UsageMinute m : b.minutes()) {
                sums[0] += m.valid();
                sums[1] += m.denied();
                sums[2] += m.rateLimited();
                minutes.add(m.minute());
            }
        }
        assertThat(sums).containsExactly(threads * perThread / 3, threads * perThread / 3, threads * perThread / 3);
        assertThat(usage(id).count()).isEqualTo(threads * perThread / 3);
        assertThat(minutes).hasSizeGreaterThan(3);
    }

    @Test
    void historyCounts_ofAFailedBatch_areRetriedUnderItsIdAndAppliedOnce() {
        String id = newKey();
        UsageRecorder recorder = manual();
        recorder.refused(id, t0.toEpochMilli(), UsageOutcome.DENIED);
        recorder.record(id, t0, null);
        store.failAfter.set(1);
        assertThat(recorder.flush()).isFalse();
        assertThat(recorder.flush()).isTrue();

        assertThat(store.batchIds()).hasSize(2).containsOnly(store.batchIds().get(0));
        assertThat(store.batches.peek().minutes()).containsExactly(
                new UsageMinute(id, t0.getEpochSecond() / 60, 1, 1, 0));
        assertThat(usage(id).count()).isEqualTo(1);
    }
}
