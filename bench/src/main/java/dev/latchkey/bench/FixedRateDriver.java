package dev.latchkey.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Offers the same fixed request rate to several paths of one server, in interleaved rounds, and reports each path's
 * p99 and the ratios of the p99s, round by round (#20). A saturating closed-loop client such as wrk measures latency
 * that mostly restates throughput (its connections divided by requests per second); the latency a filter adds to
 * the same traffic shows at a rate every variant can serve.
 *
 * <p>Open loop: each of the connections has its own schedule of send times ({@code connections / rate} apart,
 * staggered), and a request's latency is counted from the time it was due to be sent, not from when a slow earlier
 * answer let it go, so a stall is charged to every request it delayed (no coordinated omission). Each connection is a
 * {@link KeepAliveClient} on its own thread.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.FixedRateDriver http://127.0.0.1:8080 TOKEN \
 *     8000 10 7 32 /plain/x /floor/x /latchkey/x
 * </pre>
 * Arguments: base URL, bearer token, requests/s, seconds per round, rounds, connections, then the paths; the first
 * path is the baseline of the ratios.
 */
public final class FixedRateDriver {

    private FixedRateDriver() {
    }

    /** Runs the rounds; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: FixedRateDriver <base-url> <token> <req/s> <seconds> <rounds> <connections>"
                    + " <path> [<path>...]");
            System.exit(2);
        }
        URI base = URI.create(args[0]);
        String token = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        int connections = Integer.parseInt(args[5]);
        List<String> paths = List.of(args).subList(6, args.length);
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (String path : paths) {
            results.put(path, new ArrayList<>());
            round(base, token, path, rate, 2, connections); // warm-up: JIT on both sides, connections, caches
        }
        for (int r = 1; r <= rounds; r++) {
            StringBuilder line = new StringBuilder("round " + r + ":");
            for (int k = 0; k < paths.size(); k++) {
                String path = paths.get((k + r) % paths.size());
                double[] got = round(base, token, path, rate, seconds, connections);
                results.get(path).add(got);
                line.append(String.format(Locale.ROOT, "  %s %.0f req/s p50 %.0fus p99 %.0fus", path, got[0], got[1],
                        got[2]));
            }
            System.out.println(line);
        }
        String baseline = paths.get(0);
        for (String path : paths) {
            List<double[]> rs = results.get(path);
            System.out.printf(Locale.ROOT, "%-14s achieved %.0f req/s, p99 median %.2f ms (min %.2f, max %.2f)%n",
                    path, median(rs, 0), median(rs, 2) / 1000, min(rs, 2) / 1000, max(rs, 2) / 1000);
        }
        for (String path : paths.subList(1, paths.size())) {
            List<double[]> a = results.get(path);
            List<double[]> b = results.get(baseline);
            double[] perRound = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                perRound[i] = a.get(i)[2] / b.get(i)[2];
            }
            Arrays.sort(perRound);
            System.out.printf(Locale.ROOT,
                    "p99 %s / %s: ratio of medians %.2f; per round median %.2f (min %.2f, max %.2f)%n", path, baseline,
                    median(a, 2) / median(b, 2), perRound[rounds / 2], perRound[0], perRound[rounds - 1]);
        }
    }

    /** Returns {achieved req/s, p50 us, p99 us} of one round on one path. */
    private static double[] round(URI base, String token, String path, int rate, int seconds,
            int connections) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(connections) / rate;
        int perConnection = (int) (TimeUnit.SECONDS.toNanos(seconds) / interval);
        long[][] latencies = new long[connections][perConnection];
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int c = 0; c < connections; c++) {
            long[] mine = latencies[c];
            long first = start + interval * c / connections;
            Thread t = new Thread(() -> {
                try (KeepAliveClient client = new KeepAliveClient(base.getHost(), base.getPort())) {
                    for (int i = 0; i < mine.length; i++) {
                        long due = first + i * interval;
                        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                        int status = client.get(path, token);
                        mine[i] = System.nanoTime() - due;
                        if (status != 200) {
                            throw new IOException(path + " answered " + status);
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "fixed-rate-" + c);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        if (failure.get() != null) {
            throw failure.get();
        }
        long[] all = new long[connections * perConnection];
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies[c], 0, all, c * perConnection, perConnection);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Stats stats = new Stats(all, all.length);
        return new double[] {all.length / elapsed, stats.percentileMicros(50), stats.percentileMicros(99)};
    }

    private static double median(List<double[]> rs, int i) {
        double[] v = rs.stream().mapToDouble(r -> r[i]).sorted().toArray();
        return v[v.length / 2];
    }

    private static double min(List<double[]> rs, int i) {
        return rs.stream().mapToDouble(r -> r[i]).min().orElse(Double.NaN);
    }

    private static double max(List<double[]> rs, int i) {
        return rs.stream().mapToDouble(r -> r[i]).max().orElse(Double.NaN);
    }
}
