package dev.latchkey.bench;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreProvider;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.filter.ApiKeyFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load benchmark of the filter in a real servlet container over loopback HTTP: the same servlet behind
 * {@link ApiKeyFilter} ({@code /api/*}) and without it ({@code /open/*}, the baseline), measured in alternating
 * rounds in one run, so the ratio protected/baseline says what the filter adds to a real request.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.latchkey.bench.FilterLoadDriver [seconds-per-round]
 * [client-threads] [rounds] [redis-url]}. Defaults: 5 s, 4 threads, 3 rounds, in-memory store. Every loop is bounded
 * by time; traffic goes to 127.0.0.1 only.
 */
public final class FilterLoadDriver {

    private FilterLoadDriver() {
    }

    /** A servlet that answers a few bytes, like a cheap API endpoint. */
    static final class OkServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().write("ok");
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String redisUrl = args.length > 3 ? args[3] : null;

        KeyStore store = redisUrl == null ? new InMemoryKeyStore()
                : KeyStoreProvider.openFirst(redisUrl, FilterLoadDriver.class.getClassLoader());
        KeyManager manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                Runnable::run);
        String token = manager.create(Actor.ROOT, CreateKeyRequest.named("load")
                .withScopes(List.of("reports:read"))).token();

        ApiKeyFilter filter = ApiKeyFilter.builder(store)
                .scopes("GET /api/** reports:read")
                .meterRegistry(new SimpleMeterRegistry())
                .build();
        LoopbackJetty server = LoopbackJetty.start(filter);
        int port = server.port();
        System.out.printf(Locale.ROOT, "store=%s threads=%d seconds/round=%d rounds=%d%n", store.kind(), threads,
                seconds, rounds);
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI open = URI.create("http://127.0.0.1:" + port + "/open/reports");
            URI api = URI.create("http://127.0.0.1:" + port + "/api/reports");
            run(client, open, token, threads, seconds); // warm-up, as long as a round
            run(client, api, token, threads, seconds);
            List<Double> ratios = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                Result base = run(client, open, token, threads, seconds);
                Result prot = run(client, api, token, threads, seconds);
                double ratio = base.throughput() / prot.throughput();
                ratios.add(ratio);
                System.out.printf(Locale.ROOT, "round %d baseline  %8.0f req/s %s%n", r, base.throughput(),
                        base.stats().summary());
                System.out.printf(Locale.ROOT, "round %d filtered  %8.0f req/s %s%n", r, prot.throughput(),
                        prot.stats().summary());
                System.out.printf(Locale.ROOT, "round %d cost ratio (baseline throughput / filtered throughput) = %.3f%n",
                        r, ratio);
            }
            ratios.sort(Double::compare);
            System.out.printf(Locale.ROOT, "median cost ratio over %d rounds = %.3f%n", rounds,
                    ratios.get(ratios.size() / 2));
        } finally {
            server.stop();
            filter.destroy();
            store.close();
        }
    }

    record Result(long requests, Duration elapsed, Stats stats) {
        double throughput() {
            return requests / (elapsed.toNanos() / 1e9);
        }
    }

    static Result run(HttpClient client, URI uri, String token, int threads, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        int cap = 2_000_000;
        long[][] samples = new long[threads][cap / threads];
        int[] counts = new int[threads];
        AtomicLong failures = new AtomicLong();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).GET().build();
        Thread[] workers = new Thread[threads];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                long[] mine = samples[id];
                int n = 0;
                while (System.nanoTime() < deadline && n < mine.length) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> res = client.send(request, HttpResponse.BodyHandlers.discarding());
                        if (res.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    mine[n++] = System.nanoTime() - t0;
                }
                counts[id] = n;
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " requests to " + uri + " failed");
        }
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(samples[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        return new Result(total, elapsed, new Stats(all, total));
    }
}
