package dev.latchkey.gateway;

import dev.latchkey.core.KeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

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
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "latchkey-gateway-logback.xml");
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Logger log = LoggerFactory.getLogger(GatewayMain.class);
        CountDownLatch stopped = new CountDownLatch(1);
        Running running;
        try {
            running = start(System.getenv(), System.out);
        } catch (RuntimeException e) {
            log.error("Latchkey gateway could not start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "latchkey-gateway-shutdown"));
        stopped.await();
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
