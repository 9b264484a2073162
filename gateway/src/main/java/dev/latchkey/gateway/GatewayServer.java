package dev.latchkey.gateway;

import dev.latchkey.core.KeySource;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.server.BodyGate;
import dev.latchkey.server.GuardOptions;
import dev.latchkey.server.HttpServerGuards;
import dev.latchkey.server.Problem;
import dev.latchkey.server.RefusalRule;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway service as an embeddable server (API.md §11): one Grizzly listener whose one {@code HttpHandler}
 * answers every path, over an {@link Authenticator} built from the settings on a store that the caller owns. Every
 * Grizzly setting of the gateway is made here, in this one class, through the shared guards of every Latchkey server
 * ({@link HttpServerGuards}): transport errors (an undecodable path, an oversized head, too many header fields) are
 * §4 problems (on {@code /v1/authorize/nginx} sent as 403 with {@code X-Latchkey-Status}, as every denial there),
 * every answer carries {@code X-Content-Type-Options: nosniff}, workers are a bounded pool, reads are timed; the
 * gateway keeps its own keep-alive idle timeout and worker queue (see {@link #guardOptions}).
 *
 * <p>Thread-safe. {@link #close()} stops accepting, lets in-flight asks finish, then closes the engine (which
 * flushes counted uses); the store stays open.
 *
 * @since 0.1
 */
public final class GatewayServer implements AutoCloseable {

    /** The largest request head accepted (the shared default); beyond it the answer is a 400 problem. */
    static final int MAX_HEADER_BYTES = GuardOptions.DEFAULT_MAX_HEADER_BYTES;
    /** How long a kept-alive gateway connection may sit idle (longer than nginx's upstream default of 60 s). */
    static final Duration KEEP_ALIVE_IDLE = Duration.ofSeconds(75);
    /** How long one blocking write may take. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    /** Asks waiting for a worker beyond this are refused (the connection is closed), so memory stays bounded. */
    static final int QUEUE_LIMIT = 4096;
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** New request ids are this process's ULID and a sequence number: unique, and cheap on every allowed ask. */
    private static final String ID_PREFIX = Ids.next() + "-";
    private static final AtomicLong ID_SEQUENCE = new AtomicLong();
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final GatewaySettings settings;
    private final KeySource store;
    private final Authenticator engine;
    private final HttpServer http;
    private final int port;
    private boolean closed;

    private GatewayServer(GatewaySettings settings, KeySource store, Authenticator engine, HttpServer http, int port) {
        this.settings = settings;
        this.store = store;
        this.engine = engine;
        this.http = http;
        this.port = port;
    }

    /**
     * Starts a gateway: builds the engine (its meters on {@code registry}) and listens.
     *
     * @param store    the key store, owned by the caller
     * @param registry where the engine's meters go; {@code /metrics} renders it
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static GatewayServer start(GatewaySettings settings, KeySource store, PrometheusMeterRegistry registry) {
        return start(settings, store, registry, Clock.systemUTC());
    }

    /** Starts a gateway whose engine and problem timestamps read {@code clock} (for tests). */
    public static GatewayServer start(GatewaySettings settings, KeySource store, PrometheusMeterRegistry registry,
            Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(registry, "registry");
        Authenticator engine = Authenticator.builder(store).settings(settings.auth()).meterRegistry(registry)
                .clock(clock).build();
        try {
            GatewayAuthorizer authorizer = new GatewayAuthorizer(engine, settings.clients(), clock);
            HttpServer http = httpServer(settings, new GatewayHandler(authorizer, store, registry), clock);
            try {
                http.start();
            } catch (IOException e) {
                http.shutdownNow();
                throw new UncheckedIOException("cannot listen on " + settings.host() + ":" + settings.port(), e);
            }
            int port = http.getListeners().iterator().next().getPort();
            LOG.info("Latchkey gateway listening on http://{}:{} (store: {}, clients: {})", settings.uriHost(), port,
                    store.kind(), settings.clients());
            return new GatewayServer(settings, store, engine, http, port);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** Builds the Grizzly server: the one place where its limits are set. */
    private static HttpServer httpServer(GatewaySettings settings, GatewayHandler handler, Clock clock) {
        HttpServer http = new HttpServer();
        NetworkListener listener = new NetworkListener("latchkey-gateway", settings.host(), settings.port());
        listener.getKeepAlive().setMaxRequestsCount(-1); // gateways keep their upstream connections open
        TCPNIOTransport transport = listener.getTransport();
        transport.setWorkerThreadPoolConfig(ThreadPoolConfig.defaultConfig().setPoolName("latchkey-gateway"));
        transport.setWriteTimeout(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        http.addListener(listener);
        var config = http.getServerConfiguration();
        config.setJmxEnabled(false);
        config.setPassTraceRequest(false);
        // A body on GET (read and ignored) must not turn into Grizzly's own bare 400.
        config.setAllowPayloadForUndefinedHttpMethods(true);
        config.addHttpHandler(handler, "/");
        HttpServerGuards.apply(http, guardOptions(clock));
        return http;
    }

    /**
     * The shared guards as the gateway uses them: the shared head, header-count and body limits, body timeout and
     * worker count; a keep-alive idle timeout of 75 s (gateways keep connections to Latchkey open, nginx for 60 s)
     * and a worker queue of 4,096 (every ask is short and body-less; a burst from a busy gateway should wait, not be
     * refused). The body gate is open: no gateway sends a body with its ask (nginx's config turns it off, Caddy,
     * Traefik and the HAProxy action send none, Envoy only with {@code with_request_body}), and one that does gets
     * it read without a worker, up to 64 KiB, and ignored: refusing it would fail the client's request for nothing.
     */
    static GuardOptions guardOptions(Clock clock) {
        return GuardOptions.builder()
                .maxHeaderBytes(MAX_HEADER_BYTES)
                .keepAliveIdleTimeout(KEEP_ALIVE_IDLE)
                .workerQueueLimit(QUEUE_LIMIT)
                .bodyGate(BodyGate.OPEN)
                .refusalRule(GatewayServer::nginxRefusal)
                .requestIds(GatewayServer::requestId)
                .clock(clock)
                .build();
    }

    /**
     * The status line of the guards' own problems (an unreadable head, a body over the limit, {@code TRACE}) on
     * {@code /v1/authorize/nginx}: 403 with {@code X-Latchkey-Status}, as every denial there but 401 and 403
     * (API.md §11), since nginx turns any other status of its auth subrequest into a 500.
     */
    static RefusalRule.@Nullable Remap nginxRefusal(@Nullable String path, Problem problem) {
        if (!GatewayHandler.NGINX.equals(path) || !GatewayAuthorizer.remapsOnNginx(problem.status())) {
            return null;
        }
        return new RefusalRule.Remap(403, Map.of(GatewayAuthorizer.STATUS, Integer.toString(problem.status())));
    }

    /**
     * Returns a request's id (API.md §4): the caller's {@code X-Request-Id} when it is 1–128 of
     * {@code [A-Za-z0-9._:-]}, else a new one. Every ask gets one from the guards (problems written by the HTTP server
     * and by the authorizer carry the same id); allows do not send it back.
     */
    static String requestId(@Nullable String given) {
        return given != null && REQUEST_ID.matcher(given).matches() ? given
                : ID_PREFIX + Long.toString(ID_SEQUENCE.incrementAndGet(), 36);
    }

    /** Returns the bound port (the chosen one when the settings asked for 0). */
    public int port() {
        return port;
    }

    /** Returns the base URI, such as {@code http://127.0.0.1:8090}. */
    public URI baseUri() {
        return URI.create("http://" + settings.uriHost() + ":" + port);
    }

    /** Returns the engine (for diagnostics and tests). */
    public Authenticator engine() {
        return engine;
    }

    /** Returns the store the gateway reads. */
    public KeySource store() {
        return store;
    }

    /**
     * Stops the server: no new connections, in-flight asks finish (up to 10 s), then the engine closes and flushes
     * counted uses. The store stays open. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            http.shutdown(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    .get(SHUTDOWN_GRACE.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            http.shutdownNow();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("The gateway's HTTP server did not stop in time: {}", e.toString());
            http.shutdownNow();
        } finally {
            engine.close();
        }
        LOG.info("Latchkey gateway stopped");
    }
}
