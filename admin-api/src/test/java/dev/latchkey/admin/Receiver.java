package dev.latchkey.admin;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver for tests: a real HTTP server on a loopback port (the JDK's) that records every request it
 * gets and answers the statuses it was told to, in order (200 once those run out), or never answers while hanging.
 */
final class Receiver implements AutoCloseable {

    /** One request as it arrived: headers with lowercase names, and the body. */
    record Request(Map<String, List<String>> headers, String body, String path) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private final HttpServer server;
    private final CopyOnWriteArrayList<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hanging;

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Map<String, List<String>> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT),
                        new ArrayList<>(v)));
                requests.add(new Request(headers, body, exchange.getRequestURI().getPath()));
                if (hanging) {
                    release.await(30, TimeUnit.SECONDS);
                }
                Integer status = statuses.poll();
                exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** Returns a receiver that holds every request open without answering until closed. */
    static Receiver hanging() {
        Receiver r = new Receiver();
        r.hanging = true;
        return r;
    }

    /** Answers the next requests with these statuses, in order. */
    Receiver answering(Integer... codes) {
        statuses.addAll(List.of(codes));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Returns the requests whose body has this event type. */
    List<Request> ofType(String type) {
        return requests.stream().filter(r -> r.body().contains("\"type\":\"" + type + "\"")).toList();
    }

    static Duration patience() {
        return Duration.ofSeconds(30);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
