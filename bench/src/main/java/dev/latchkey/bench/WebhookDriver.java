package dev.latchkey.bench;

import com.sun.net.httpserver.HttpServer;
import dev.latchkey.admin.AdminServer;
import dev.latchkey.admin.webhooks.WebhookSettings;
import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.events.OutboxEvent;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.redis.RedisKeyStore;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhook delivery figures (#15), in one run of one embedded admin node: (1) events delivered per second to a
 * loopback receiver that answers 204 at once, and (2) the admin API's latency ({@code POST /v1/keys}, each raising a
 * {@code key.created}) while its events go to that fast receiver, and while they go to a receiver that never
 * answers (every attempt then holds a sender thread for the 10 s timeout).
 *
 * <p>Usage: {@code WebhookDriver [events=5000] [calls=500] [redis-url]} (no URL: the in-memory store).
 */
public final class WebhookDriver {

    private WebhookDriver() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        KeyStore store = args.length > 2 ? RedisKeyStore.builder().uri(args[2]).keyPrefix("bench-" + Ids.next() + ":")
                .build() : new InMemoryKeyStore();
        AtomicInteger received = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(events);
        HttpServer fast = receiver(false, received, all);
        HttpServer hanging = receiver(true, new AtomicInteger(), new CountDownLatch(0));
        try (store; AdminServer server = AdminServer.builder(store).port(0).adminToken("bench")
                .webhooks(WebhookSettings.defaults().withAllowPrivate(true)).build().start()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = server.baseUri().toString();
            String fastConfig = config(http, base, "fast", fast);
            String hangingConfig = config(http, base, "hang", hanging);

            // (1) throughput: events raised straight into the store's log, routed to the fast receiver.
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                String id = Ids.next();
                store.events().raiseOnce(new OutboxEvent(id, "key.created", Ids.next(), "fast", Instant.now(),
                        fastConfig, "{\"type\":\"key.created\",\"n\":" + i + "}"));
            }
            all.await(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("delivered %d events in %.2f s: %.0f events/s%n", received.get(), seconds,
                    received.get() / seconds);

            // (2) admin latency with each receiver, same run.
            System.out.println("admin POST /v1/keys, events to the fast receiver:    " + latency(http, base, "fast",
                    calls));
            System.out.println("admin POST /v1/keys, events to the hanging receiver: " + latency(http, base, "hang",
                    calls));
            System.out.println("(configs " + fastConfig + ", " + hangingConfig + ")");
        } finally {
            fast.stop(0);
            hanging.stop(0);
        }
    }

    private static HttpServer receiver(boolean hang, AtomicInteger count, CountDownLatch latch) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        s.setExecutor(Executors.newFixedThreadPool(hang ? 64 : 8));
        s.createContext("/", ex -> {
            try (ex; InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
                if (hang) {
                    Thread.sleep(60_000);
                }
                count.incrementAndGet();
                latch.countDown();
                ex.sendResponseHeaders(204, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.start();
        return s;
    }

    private static String send(HttpClient http, String method, String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer bench")
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String config(HttpClient http, String base, String tenant, HttpServer receiver) throws Exception {
        String body = send(http, "POST", base + "/v1/webhook-configs", "{\"tenant_id\":\"" + tenant
                + "\",\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}");
        String id = body.replaceAll(".*\"id\":\"([0-9A-Z]{26})\".*", "$1");
        send(http, "PUT", base + "/v1/tenants/" + tenant + "/defaults",
                "{\"rate_limit\":null,\"quota\":null,\"webhook_config\":\"" + id + "\",\"storage_config\":null}");
        return id;
    }

    private static String latency(HttpClient http, String base, String tenant, int calls) throws Exception {
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            send(http, "POST", base + "/v1/keys", "{\"name\":\"bench " + i + "\",\"tenant_id\":\"" + tenant + "\"}");
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d calls)", nanos[calls / 2] / 1e6,
                nanos[(int) Math.ceil(calls * 0.99) - 1] / 1e6, nanos[calls - 1] / 1e6, calls);
    }
}
