package dev.latchkey.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The steady load of the fault soak and what it saw, per phase: per request class ({@code cached@A},
 * {@code miss@B}, {@code admin}, …) the answers by status and problem code, the slowest 503, and the last failure;
 * per key the uses answered 200, to compare with the stored {@code usage_count} afterwards.
 */
final class FaultLoad implements AutoCloseable {

    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"");

    /** One key and its token. */
    record Key(String id, String token) {
    }

    /** What one request class saw in one phase. */
    static final class ClassStats {
        final ConcurrentHashMap<String, LongAdder> answers = new ConcurrentHashMap<>();
        final AtomicLong slowest503Nanos = new AtomicLong();
        final AtomicLong lastFailureNanos = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong firstFailureNanos = new AtomicLong(Long.MAX_VALUE);
        /** The first few failures: when (nanoTime) and what, for the report. */
        final java.util.concurrent.ConcurrentLinkedQueue<String> samples = new java.util.concurrent.ConcurrentLinkedQueue<>();

        long count(String prefix) {
            return answers.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToLong(e -> e.getValue().sum()).sum();
        }
    }

    /** One phase: a fault (or none) and everything the load saw while it ran. */
    static final class Phase {
        final String name;
        final Map<String, ClassStats> classes = new ConcurrentHashMap<>();
        final List<Key> cached;
        volatile long redisBackNanos = Long.MIN_VALUE;
        volatile long faultNanos = Long.MIN_VALUE;

        Phase(String name, List<Key> cached) {
            this.name = name;
            this.cached = List.copyOf(cached);
        }

        ClassStats stats(String requestClass) {
            return classes.computeIfAbsent(requestClass, k -> new ClassStats());
        }

        /** Seconds from Redis being back to the last failed request of any class, at least 0. */
        double recoverySeconds() {
            long last = classes.values().stream().mapToLong(c -> c.lastFailureNanos.get()).max().orElse(0);
            if (redisBackNanos == Long.MIN_VALUE || last <= redisBackNanos) {
                return 0;
            }
            return (last - redisBackNanos) / 1e9;
        }

        String describe() {
            StringBuilder out = new StringBuilder();
            for (Map.Entry<String, ClassStats> e : new TreeMap<>(classes).entrySet()) {
                Map<String, Long> answers = new TreeMap<>();
                ClassStats c = e.getValue();
                c.answers.forEach((k, v) -> answers.put(k, v.sum()));
                out.append(String.format(Locale.ROOT, "    %-9s %s%s%n", e.getKey(), answers,
                        c.slowest503Nanos.get() == 0 ? "" : String.format(Locale.ROOT,
                                " slowest 503 %d ms; failures from %+.2f s to %+.2f s after the fault began",
                                c.slowest503Nanos.get() / 1_000_000, (c.firstFailureNanos.get() - faultNanos) / 1e9,
                                (c.lastFailureNanos.get() - faultNanos) / 1e9)));
                if (e.getKey().startsWith("cached")) {
                    c.samples.forEach(x -> out.append("        ").append(x).append('\n'));
                }
            }
            return out.toString();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile Phase phase;
    /** Uses answered 200, per key id, over the whole run. */
    final ConcurrentHashMap<String, LongAdder> servedUses = new ConcurrentHashMap<>();
    /** The phase each key belongs to: its cached set's, or the one it was first used in. */
    final ConcurrentHashMap<String, String> home = new ConcurrentHashMap<>();

    FaultLoad(Phase first) {
        phase(first);
    }

    void phase(Phase next) {
        next.cached.forEach(k -> home.put(k.id(), next.name));
        this.phase = next;
    }

    /** Requests with the current phase's cached keys, round robin, as fast as answers come. */
    void cached(String requestClass, String url, int threadCount) {
        for (int t = 0; t < threadCount; t++) {
            int offset = t;
            start(requestClass, () -> {
                AtomicInteger i = new AtomicInteger(offset);
                return () -> {
                    List<Key> keys = phase.cached;
                    Key key = keys.get(Math.floorMod(i.getAndIncrement(), keys.size()));
                    return send(requestClass, get(url, key.token()), key.id());
                };
            });
        }
    }

    /** Requests, one every {@code pause}, each with a key no node has seen ({@code nextKey}). */
    void misses(String requestClass, String url, IntFunction<Key> nextKey, AtomicInteger cursor, Duration pause) {
        start(requestClass, () -> () -> {
            Key key = nextKey.apply(cursor.getAndIncrement());
            boolean ok = send(requestClass, get(url, key.token()), key.id());
            LockSupport.parkNanos(pause.toNanos());
            return ok;
        });
    }

    /** Admin calls, one every {@code pause}: create a key, then read it back. */
    void admin(String base, String rootToken, Duration pause) {
        start("admin", () -> () -> {
            HttpRequest create = HttpRequest.newBuilder(URI.create(base + "/v1/keys"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + rootToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"soak\",\"scopes\":[\"reports:read\"]}"))
                    .build();
            boolean ok = send("admin", create, null);
            LockSupport.parkNanos(pause.toNanos());
            return ok;
        });
    }

    private interface Step {
        boolean run();
    }

    private void start(String requestClass, java.util.function.Supplier<Step> factory) {
        Step step = factory.get();
        Thread t = new Thread(() -> {
            while (running.get()) {
                step.run();
            }
        }, "soak-" + requestClass + "-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
    }

    /** Sends, records the answer in the current phase, and counts a 200 as one use of {@code keyId}. */
    private boolean send(String requestClass, HttpRequest request, String keyId) {
        Phase p = phase;
        ClassStats stats = p.stats(requestClass);
        long start = System.nanoTime();
        String label;
        String detail = "";
        int status = 0;
        try {
            HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
            status = res.statusCode();
            label = Integer.toString(status);
            if (status >= 400) {
                Matcher m = CODE.matcher(res.body());
                label += m.find() ? " " + m.group(1) : "";
                detail = res.body().length() > 300 ? res.body().substring(0, 300) : res.body();
            }
        } catch (IOException e) {
            label = "io " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        long took = System.nanoTime() - start;
        stats.answers.computeIfAbsent(label, k -> new LongAdder()).increment();
        boolean ok = status == 200 || status == 201;
        if (keyId != null) {
            home.putIfAbsent(keyId, p.name);
            if (status == 200) {
                servedUses.computeIfAbsent(keyId, k -> new LongAdder()).increment();
            }
        }
        if (!ok) {
            long now = System.nanoTime();
            stats.lastFailureNanos.accumulateAndGet(now, Math::max);
            stats.firstFailureNanos.accumulateAndGet(now, Math::min);
            if (stats.samples.size() < 5) {
                stats.samples.add(String.format(Locale.ROOT, "%+.3f s after the fault began (%d ms): %s %s",
                        (now - p.faultNanos) / 1e9, took / 1_000_000, label, detail));
            }
        }
        if (status == 503) {
            stats.slowest503Nanos.accumulateAndGet(took, Math::max);
        }
        return ok;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(15_000);
        }
    }
}
