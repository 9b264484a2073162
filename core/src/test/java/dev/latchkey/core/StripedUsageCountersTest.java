package dev.latchkey.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Tests for {@link StripedUsageCounters}: stripes per thread, one exact batch per drain. */
class StripedUsageCountersTest {

    @Test
    void threadsCountingOneKey_whileADrainRuns_addUpExactly_inUsesAndInEveryMinute() throws Exception {
        StripedUsageCounters counters = new StripedUsageCounters(4);
        int threads = 6;
        int perThread = 50_000;
        long minute0 = 29_000_000L * 60_000L;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    long at = minute0 + (i * 3L); // 50,000 × 3 ms: three minutes
                    counters.use("k1", at, "203.0.113." + id);
                    if (i % 10 == 0) {
                        counters.outcome("k1", at, UsageOutcome.DENIED);
                    }
                }
            });
            w.start();
            writers.add(w);
        }
        List<UsageBatch> batches = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread drainer = new Thread(() -> {
            while (!done.get()) {
                UsageBatch b = counters.drain();
                if (b != null) {
                    synchronized (batches) {
                        batches.add(b);
                    }
                }
            }
        });
        drainer.start();
        start.countDown();
        for (Thread w : writers) {
            w.join();
        }
        done.set(true);
        drainer.join();
        UsageBatch last = counters.drain();
        if (last != null) {
            batches.add(last);
        }
        long uses = 0;
        long valid = 0;
        long denied = 0;
        long latest = 0;
        for (UsageBatch b : batches) {
            assertThat(b.deltas()).extracting(UsageDelta::keyId).doesNotHaveDuplicates();
            assertThat(b.minutes()).extracting(m -> m.keyId() + "@" + m.minute()).doesNotHaveDuplicates();
            for (UsageDelta d : b.deltas()) {
                uses += d.count();
                latest = Math.max(latest, d.lastUsedAt().toEpochMilli());
            }
            for (UsageMinute m : b.minutes()) {
                valid += m.valid();
                denied += m.denied();
            }
        }
        assertThat(uses).isEqualTo((long) threads * perThread);
        assertThat(valid).isEqualTo(uses);
        assertThat(denied).isEqualTo((long) threads * (perThread / 10));
        assertThat(latest).isEqualTo(minute0 + (perThread - 1) * 3L);
        assertThat(counters.pending()).isEqualTo(uses); // settled by the recorder, not by a drain
    }

    @Test
    void stripes_areAPowerOfTwo_boundedByTheMost() {
        assertThat(new StripedUsageCounters(1).stripes()).isEqualTo(1);
        assertThat(new StripedUsageCounters(3).stripes()).isEqualTo(4);
        assertThat(new StripedUsageCounters(1_000).stripes()).isEqualTo(StripedUsageCounters.MAX_STRIPES);
    }
}
