package dev.latchkey.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.ServerConfiguration;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;

/**
 * Hardens a Grizzly {@link HttpServer} before it starts, the same way for every Latchkey service (the admin API on
 * Jersey, the gateway on plain Grizzly). {@link #apply} makes the server:
 *
 * <ul>
 *   <li>answer every error it produces itself as an RFC 9457 problem ({@code application/problem+json} with
 *       {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}, {@code code},
 *       {@code request_id}, {@code timestamp}): an unparsable or oversized request head or too many header fields
 *       (400 {@code invalid_request}), an undecodable request URI (400, before the application sees it), a body
 *       over the limit (413 {@code payload_too_large}), a failure escaping the application (500 {@code internal},
 *       logged, no stack trace in the body); Grizzly's HTML error page is never shown;</li>
 *   <li>refuse {@code TRACE} (405 {@code method_not_allowed}) before the application sees it, unless the server
 *       was set to pass {@code TRACE} on ({@link ServerConfiguration#setPassTraceRequest}, as Jersey's factory
 *       does);</li>
 *   <li>send every problem it writes itself with the status line of {@link GuardOptions#refusalRule()};</li>
 *   <li>send {@code X-Content-Type-Options: nosniff} on every answer, the application's included, and the
 *       {@code Content-Type} of every answer that has one, also to a request without an HTTP version (an HTTP/0.9
 *       request line, or one too long to read);</li>
 *   <li>ask the {@link BodyGate} (authentication) before reading any request body, then read the body without
 *       holding a worker thread, up to {@link GuardOptions#maxBodyBytes()} and within
 *       {@link GuardOptions#bodyTimeout()}, before the application runs;</li>
 *   <li>run the application on a fixed pool of {@link GuardOptions#workerThreads()} threads with a bounded queue,
 *       close keep-alive connections idle for {@link GuardOptions#keepAliveIdleTimeout()}, and bound every
 *       blocking read by the body timeout.</li>
 * </ul>
 *
 * {@snippet :
 * HttpServer http = GrizzlyHttpServerFactory.createHttpServer(uri, config, false);
 * HttpServerGuards.apply(http, GuardOptions.builder().bodyGate(myAuthentication).build());
 * http.start();
 * }
 *
 * <p>Call it once per server, after its listeners and handlers are added and before {@link HttpServer#start()}.
 * The application handler must answer synchronously (see {@link BodyGate} for what runs before it).
 */
public final class HttpServerGuards {

    private HttpServerGuards() {
    }

    /**
     * Applies the guards to every listener and handler of a server that has not started.
     *
     * @param server  the server, not yet started
     * @param options the bounds and hooks
     * @throws IllegalStateException when the server is already started
     */
    public static void apply(HttpServer server, GuardOptions options) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(options, "options");
        if (server.isStarted()) {
            throw new IllegalStateException("apply the guards before the server starts");
        }
        ServerConfiguration config = server.getServerConfiguration();
        ProblemErrorPages pages = new ProblemErrorPages(options);
        config.setDefaultErrorPageGenerator(pages);
        boolean refuseTrace = !config.isPassTraceRequest();
        config.setPassTraceRequest(true); // then GuardedHandler refuses it: Grizzly's own 405 has no body
        wrapHandlers(config, options, refuseTrace);
        for (NetworkListener listener : server.getListeners()) {
            listener.setMaxHttpHeaderSize(options.maxHeaderBytes());
            listener.setMaxRequestHeaders(options.maxRequestHeaders());
            listener.setDefaultErrorPageGenerator(pages);
            listener.getKeepAlive().setIdleTimeoutInSeconds((int) Math.max(1,
                    Math.min(Integer.MAX_VALUE, options.keepAliveIdleTimeout().toSeconds())));
            TCPNIOTransport transport = listener.getTransport();
            transport.setReadTimeout(options.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ThreadPoolConfig workers = transport.getWorkerThreadPoolConfig();
            if (workers == null) {
                workers = ThreadPoolConfig.defaultConfig();
            }
            transport.setWorkerThreadPoolConfig(workers.setCorePoolSize(options.workerThreads())
                    .setMaxPoolSize(options.workerThreads()).setQueueLimit(options.workerQueueLimit()));
            listener.registerAddOn(new CodecAddOn(options));
        }
    }

    private static void wrapHandlers(ServerConfiguration config, GuardOptions options, boolean refuseTrace) {
        Map<HttpHandler, HttpHandlerRegistration[]> handlers = config.getHttpHandlersWithMapping();
        List<Map.Entry<HttpHandler, HttpHandlerRegistration[]>> entries = new ArrayList<>(handlers.entrySet());
        for (Map.Entry<HttpHandler, HttpHandlerRegistration[]> e : entries) {
            if (e.getKey() instanceof GuardedHandler) {
                continue;
            }
            config.removeHttpHandler(e.getKey());
            config.addHttpHandler(new GuardedHandler(e.getKey(), options, refuseTrace), e.getValue());
        }
    }

    /** Puts {@link GuardedCodecFilter} in the place of Grizzly's HTTP codec when the listener's chain is built. */
    private static final class CodecAddOn implements AddOn {
        private final GuardOptions options;

        CodecAddOn(GuardOptions options) {
            this.options = options;
        }

        @Override
        public void setup(NetworkListener listener, FilterChainBuilder builder) {
            int at = builder.indexOfType(org.glassfish.grizzly.http.HttpServerFilter.class);
            if (at < 0) {
                throw new IllegalStateException("no HTTP codec in the filter chain of " + listener.getName());
            }
            var codec = (org.glassfish.grizzly.http.HttpServerFilter) builder.get(at);
            builder.set(at, new GuardedCodecFilter(codec, listener, options));
        }
    }
}
