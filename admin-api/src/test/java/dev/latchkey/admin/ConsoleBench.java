package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;

import dev.latchkey.redis.RedisKeyStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Measures the console (#22): how long the keys page takes to become interactive after sign-in, in Chromium, with
 * N keys on Redis, against the same with 100 keys in the same run (the baseline); and the console's files gzipped.
 * "Interactive" is the browser's own {@code performance.measure} from the sign-in submit to the keys table
 * rendered with its pager ({@code keys-interactive}), which includes the sign-in check, the admin's role look-up
 * and the list call.
 *
 * <pre>
 * redis-server --port 6392 --save '' --appendonly no --daemonize yes
 * mvn -B -q -pl admin-api -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * cd admin-api &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     dev.latchkey.admin.ConsoleBench redis://127.0.0.1:6392 100000
 * </pre>
 */
public final class ConsoleBench {

    private static final String ROOT = "console-bench-root-token";
    private static final int RUNS = 9;

    private ConsoleBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ConsoleBench redis://HOST:PORT [keys=100000] (on a throwaway Redis)");
            System.exit(2);
        }
        String uri = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        String run = "console-bench-" + System.currentTimeMillis();
        try (RedisKeyStore small = store(uri, run + "-small:"); RedisKeyStore big = store(uri, run + "-big:");
                AdminServer smallServer = server(small); AdminServer bigServer = server(big)) {
            fill(smallServer, 100);
            long t0 = System.nanoTime();
            fill(bigServer, n);
            System.out.printf("filled %,d keys in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            double base = median(smallServer);
            double measured = median(bigServer);
            System.out.printf("keys page interactive after sign-in: %,d keys %.0f ms (median of %d), "
                    + "100 keys %.0f ms; ratio %.2f%n", n, measured, RUNS, base, measured / base);
            sizes(bigServer.baseUri());
        }
    }

    private static RedisKeyStore store(String uri, String prefix) {
        return RedisKeyStore.builder().uri(uri).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(10)).build();
    }

    private static AdminServer server(RedisKeyStore store) {
        return AdminServer.builder(store).port(0).adminToken(ROOT).shutdownGrace(Duration.ofMillis(200)).build()
                .start();
    }

    private static void fill(AdminServer server, int n) throws Exception {
        Http http = new Http(server.baseUri());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < n; i += 8) {
                        Http.Res res = http.send("POST", "/v1/keys", ROOT, map("name", "bench " + i,
                                "tenant_id", "t" + (i % 100), "environment", i % 4 == 0 ? "test" : "live"));
                        if (res.status() != 201) {
                            throw new IllegalStateException(res.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static double median(AdminServer server) {
        List<Double> times = new ArrayList<>();
        try (ConsoleBrowser browser = new ConsoleBrowser(server.baseUri())) {
            for (int i = 0; i < RUNS + 2; i++) {
                browser.signIn(ROOT);
                double ms = ((Number) browser.js("return performance.measure('bench', 'signin-submit', "
                        + "'keys-interactive').duration")).doubleValue();
                if (i >= 2) { // two warm-ups: the first loads and compiles the modules
                    times.add(ms);
                }
            }
        }
        Collections.sort(times);
        System.out.println("  runs (ms): " + times);
        return times.get(times.size() / 2);
    }

    private static void sizes(URI base) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> files = new ArrayList<>();
        Path root = Path.of("target/classes/" + ConsoleHandler.ROOT);
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(p -> files.add(root.relativize(p).toString()));
        }
        String uplot = "vendor/uplot-" + ConsoleHandler.UPLOT_VERSION + "/";
        files.add(uplot + "uPlot.esm.js");
        files.add(uplot + "uPlot.min.css");
        long raw = 0;
        long gz = 0;
        long uplotGz = 0;
        for (String f : files) {
            URI u = base.resolve("/console/" + f);
            long plain = client.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofByteArray())
                    .body().length;
            long zipped = client.send(HttpRequest.newBuilder(u).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body().length;
            raw += plain;
            gz += zipped;
            if (f.startsWith(uplot)) {
                uplotGz += zipped;
            }
        }
        System.out.printf("console files: %d files, %,d bytes, %,d bytes gzipped (uPlot %,d of them)%n",
                files.size(), raw, gz, uplotGz);
    }
}
