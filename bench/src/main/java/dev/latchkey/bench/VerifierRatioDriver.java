package dev.latchkey.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.function.BooleanSupplier;

/**
 * {@link VerifierBenchmark}'s {@code verify_cached} against its {@code floor}, interleaved: each round runs the floor
 * and then the cached verification for a fixed number of calls on every thread at once, and the figure is the median
 * over rounds of the per-round ratio of thread CPU time per call. On a machine shared with other builds, JMH's runs
 * of the two come seconds apart, under different load; here each round's two halves share the same moment, so the
 * ratio holds where the absolute numbers do not.
 *
 * <p>Arguments: hashing ({@code sha256} or {@code hmac}), threads, rounds, calls per half-round.
 */
public final class VerifierRatioDriver {

    private VerifierRatioDriver() {
    }

    /** Runs the comparison and prints every round and the medians. */
    public static void main(String[] args) throws Exception {
        String hashing = args.length > 0 ? args[0] : "sha256";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        int calls = args.length > 3 ? Integer.parseInt(args[3]) : 200_000;
        VerifierBenchmark bench = new VerifierBenchmark();
        bench.hashing = hashing;
        bench.setUp();
        try {
            run(bench, threads, rounds / 4 + 1, calls, false); // warm-up, not reported
            List<double[]> results = run(bench, threads, rounds, calls, true);
            double[] floor = results.stream().mapToDouble(r -> r[0]).toArray();
            double[] cached = results.stream().mapToDouble(r -> r[1]).toArray();
            double[] ratio = results.stream().mapToDouble(r -> r[1] / r[0]).toArray();
            System.out.printf(Locale.ROOT, "hashing=%s threads=%d rounds=%d calls=%d%n", hashing, threads, rounds,
                    calls);
            System.out.printf(Locale.ROOT, "floor         CPU ns/call median %.0f (%.0f - %.0f)%n", median(floor),
                    min(floor), max(floor));
            System.out.printf(Locale.ROOT, "verify_cached CPU ns/call median %.0f (%.0f - %.0f)%n", median(cached),
                    min(cached), max(cached));
            System.out.printf(Locale.ROOT, "ratio verify_cached/floor median %.2f (%.2f - %.2f; quartiles %.2f - %.2f)%n",
                    median(ratio), min(ratio), max(ratio), quantile(ratio, 0.25), quantile(ratio, 0.75));
        } finally {
            bench.tearDown();
        }
    }

    private static List<double[]> run(VerifierBenchmark bench, int threads, int rounds, int calls, boolean keep)
            throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        CyclicBarrier barrier = new CyclicBarrier(threads);
        double[][] perThread = new double[threads][rounds * 2];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        barrier.await();
                        perThread[id][2 * r] = cpuPerCall(mx, bench::floor, calls);
                        barrier.await();
                        perThread[id][2 * r + 1] = cpuPerCall(mx, () -> bench.verify_cached().valid(), calls);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        List<double[]> out = new ArrayList<>();
        for (int r = 0; r < rounds && keep; r++) {
            double f = 0;
            double c = 0;
            for (int t = 0; t < threads; t++) {
                f += perThread[t][2 * r] / threads;
                c += perThread[t][2 * r + 1] / threads;
            }
            out.add(new double[] {f, c});
        }
        return out;
    }

    private static double cpuPerCall(ThreadMXBean mx, BooleanSupplier op, int calls) {
        long start = mx.getCurrentThreadCpuTime();
        int ok = 0;
        for (int i = 0; i < calls; i++) {
            if (op.getAsBoolean()) {
                ok++;
            }
        }
        long took = mx.getCurrentThreadCpuTime() - start;
        if (ok != calls) {
            throw new IllegalStateException("a check failed");
        }
        return (double) took / calls;
    }

    private static double median(double[] v) {
        return quantile(v, 0.5);
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
