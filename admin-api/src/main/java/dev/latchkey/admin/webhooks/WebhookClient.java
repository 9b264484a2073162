package dev.latchkey.admin.webhooks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * Sends one webhook attempt with Jetty's {@link HttpClient}, whose {@link SocketAddressResolver} is ours: every
 * address a name resolves to is checked with {@link AddressPolicy#blocked} before Jetty may connect, so the address
 * connected to is always one that was vetted (a name that resolves to 127.0.0.1, or that changes its answer between
 * a check and the connect, cannot reach a private service). No redirects are followed, no proxy is used, and each
 * attempt ends within the timeout. Thread-safe; close to stop its threads.
 */
public final class WebhookClient implements AutoCloseable {

    /** The default timeout of one attempt, connect to last byte. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Resolves a host name (the JDK's {@link InetAddress#getAllByName} unless a test supplies its own). */
    @FunctionalInterface
    public interface HostLookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    /**
     * What an attempt came to.
     *
     * @param status the receiver's status, or {@code null} when none came
     * @param error  {@code blocked_address}, {@code timeout}, {@code unknown_host} or {@code connection_failed}, or
     *               {@code null} when a status came
     */
    public record Outcome(@Nullable Integer status, @Nullable String error) {
    }

    private static final class Blocked extends UnknownHostException {
        private static final long serialVersionUID = 1L;

        Blocked(String host) {
            super(host + " resolves only to addresses webhooks may not reach");
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    /**
     * Creates and starts a client.
     *
     * @param allowPrivate   whether private addresses may be reached ({@code LATCHKEY_WEBHOOK_ALLOW_PRIVATE})
     * @param timeout        the most one attempt may take
     * @param maxConnections the most connections open to one receiver
     * @param lookup         how host names are resolved
     */
    public WebhookClient(boolean allowPrivate, Duration timeout, int maxConnections, HostLookup lookup) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(lookup, "lookup");
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, maxConnections + 4), 2);
        threads.setName("latchkey-webhook-http");
        threads.setDaemon(true);
        HttpClient c = new HttpClient();
        c.setExecutor(threads);
        c.setFollowRedirects(false);
        c.setConnectTimeout(timeout.toMillis());
        c.setIdleTimeout(timeout.toMillis());
        c.setMaxConnectionsPerDestination(maxConnections);
        c.setMaxRequestsQueuedPerDestination(maxConnections * 64);
        c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Latchkey-Webhooks/1"));
        c.setSocketAddressResolver(vetting(allowPrivate, lookup));
        try {
            c.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the webhook HTTP client", e);
        }
        this.client = c;
    }

    private static SocketAddressResolver vetting(boolean allowPrivate, HostLookup lookup) {
        return (host, port, context, promise) -> {
            try {
                List<InetSocketAddress> allowed = new ArrayList<>();
                for (InetAddress a : lookup.lookup(host)) {
                    if (allowPrivate || !AddressPolicy.blocked(a)) {
                        allowed.add(new InetSocketAddress(a, port));
                    }
                }
                if (allowed.isEmpty()) {
                    throw new Blocked(host);
                }
                promise.succeeded(allowed);
            } catch (UnknownHostException e) {
                promise.failed(e);
            } catch (RuntimeException e) {
                promise.failed(e);
            }
        };
    }

    /** Posts {@code body} as JSON with {@code headers}; never throws for a receiver's failure. */
    public Outcome post(URI url, Map<String, String> headers, String body) {
        try {
            ContentResponse response = client.newRequest(url)
                    .method("POST")
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .headers(h -> headers.forEach(h::put))
                    .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8))
                    .send();
            return new Outcome(response.getStatus(), null);
        } catch (TimeoutException e) {
            return new Outcome(null, "timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted");
        } catch (ExecutionException e) {
            return new Outcome(null, classify(e.getCause()));
        } catch (RuntimeException e) {
            return new Outcome(null, "connection_failed");
        }
    }

    private static String classify(@Nullable Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof Blocked) {
                return AddressPolicy.BLOCKED;
            }
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return "timeout";
            }
            if (t instanceof UnknownHostException) {
                return "unknown_host";
            }
        }
        return "connection_failed";
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping threads: nothing useful to do
        }
    }
}
