package dev.latchkey.gateway;

import dev.latchkey.core.KeyStore;
import dev.latchkey.server.ServiceLauncher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.util.Map;

/**
 * Runs the gateway service from the environment (API.md §11, read by {@link GatewaySettings}). Prints
 * {@code gateway listening on http://HOST:PORT} on standard output once it accepts requests; logs go to standard
 * error. SIGTERM stops it cleanly: in-flight asks finish, counted uses are flushed, the store is closed.
 *
 * @since 0.1
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    /** Starts the service; returns only when it is stopped. */
    public static void main(String[] args) throws InterruptedException {
        ServiceLauncher.runUntilStopped("gateway", "latchkey-gateway-logback.xml",
                () -> start(System.getenv(), System.out));
    }

    /** A started gateway and the store it owns. */
    record Running(GatewayServer server, KeyStore store) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } finally {
                store.close();
            }
        }
    }

    /**
     * Starts a gateway from an environment map, printing the listening line to {@code out}.
     *
     * @throws IllegalArgumentException when a setting is invalid
     */
    static Running start(Map<String, String> env, PrintStream out) {
        GatewaySettings settings = GatewaySettings.fromEnvironment(env);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KeyStore store = settings.openStore(registry);
        GatewayServer server;
        try {
            server = GatewayServer.start(settings, store, registry);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        out.println("gateway listening on http://" + settings.uriHost() + ":" + server.port());
        out.flush();
        return new Running(server, store);
    }
}
