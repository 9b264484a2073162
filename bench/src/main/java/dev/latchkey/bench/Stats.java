package dev.latchkey.bench;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles of a set of latencies in nanoseconds, printed in microseconds. */
final class Stats {

    private final long[] sorted;

    Stats(long[] samples, int count) {
        this.sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    double percentileMicros(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100.0 * sorted.length) - 1));
        return sorted[i] / 1_000.0;
    }

    String summary() {
        return String.format(Locale.ROOT, "n=%d p50=%.1fus p99=%.1fus max=%.1fus", count(), percentileMicros(50),
                percentileMicros(99), percentileMicros(100));
    }
}
