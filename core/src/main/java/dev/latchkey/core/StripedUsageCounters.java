package dev.latchkey.core;

import dev.latchkey.core.internal.Ids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * {@link UsageCounters} split into stripes chosen by the counting thread, so that request threads counting uses of
 * the same key do not bounce one counter's cache line between cores on every request (a compare-and-set on a shared
 * line costs more than the rest of a cached check). Each stripe keeps the whole lock-free protocol of
 * {@link UsageCounters} on its own; a drain takes every stripe and merges what they hold for the same key (uses
 * summed, the latest use kept) and the same minute into one batch. A key counted by several threads has a counter in
 * each of their stripes until a drain finds it idle, so the memory for busy keys grows with the stripes (at most
 * {@link #MAX_STRIPES}).
 */
final class StripedUsageCounters {

    /** The most stripes: enough to spread the request threads of a large machine. */
    static final int MAX_STRIPES = 16;

    /** Numbers threads in the order they first count, so that any two of the first threads never share a stripe. */
    private static final AtomicInteger NEXT_THREAD = new AtomicInteger();
    private static final ThreadLocal<Integer> THREAD_NUMBER = ThreadLocal.withInitial(NEXT_THREAD::getAndIncrement);

    private final UsageCounters[] stripes;
    private final int mask;
    /** Uses counted and not yet settled, in every stripe: one adder, so its cells are padded apart. */
    private final LongAdder pendingUses = new LongAdder();

    /** Makes {@code count} stripes (rounded up to a power of two, at most {@link #MAX_STRIPES}). */
    StripedUsageCounters(int count) {
        int n = 1;
        while (n < count && n < MAX_STRIPES) {
            n <<= 1;
        }
        this.stripes = new UsageCounters[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new UsageCounters(pendingUses);
        }
        this.mask = n - 1;
    }

    /** Two stripes per processor: threads of one core rarely meet in a stripe. */
    static int defaultStripes() {
        return 2 * Runtime.getRuntime().availableProcessors();
    }

    /** Returns how many stripes there are. */
    int stripes() {
        return stripes.length;
    }

    private UsageCounters mine() {
        return stripes[THREAD_NUMBER.get() & mask];
    }

    /** Counts one use of {@code keyId}, as {@link UsageCounters#use} does, in this thread's stripe. */
    void use(String keyId, long millis, @Nullable String clientIp) {
        mine().use(keyId, millis, clientIp);
    }

    /** Counts a request for usage history only, as {@link UsageCounters#outcome} does, in this thread's stripe. */
    void outcome(String keyId, long epochMillis, UsageOutcome outcome) {
        mine().outcome(keyId, epochMillis, outcome);
    }

    /** Returns the uses counted in every stripe and not yet {@linkplain #settle settled}. */
    long pending() {
        return pendingUses.sum();
    }

    /** Takes {@code uses} off {@link #pending()}: their batch was written, or dropped for good. */
    void settle(long uses) {
        pendingUses.add(-uses);
    }

    /** Takes everything counted in every stripe into one new batch, or returns {@code null} when nothing was. */
    @Nullable UsageBatch drain() {
        Map<String, UsageDelta> deltas = new LinkedHashMap<>();
        List<UsageMinute> minutes = new ArrayList<>();
        for (UsageCounters s : stripes) {
            UsageBatch b = s.drain();
            if (b == null) {
                continue;
            }
            for (UsageDelta d : b.deltas()) {
                deltas.merge(d.keyId(), d, StripedUsageCounters::sum);
            }
            minutes.addAll(b.minutes());
        }
        if (deltas.isEmpty() && minutes.isEmpty()) {
            return null;
        }
        return new UsageBatch(Ids.next(), new ArrayList<>(deltas.values()),
                stripes.length == 1 ? minutes : UsageCounters.merge(minutes));
    }

    /** Two stripes' uses of one key: counts added, the later use (and its address) kept. */
    private static UsageDelta sum(UsageDelta a, UsageDelta b) {
        UsageDelta last = b.lastUsedAt().isAfter(a.lastUsedAt()) ? b : a;
        return new UsageDelta(a.keyId(), a.count() + b.count(), last.lastUsedAt(), last.lastUsedIp());
    }
}
