package dev.latchkey.samples.jetty;

import dev.latchkey.filter.ApiKeyFilter;
import dev.latchkey.samples.demo.DemoJetty;
import dev.latchkey.samples.demo.DemoRoutes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo routes on embedded Jetty, protected by an {@link ApiKeyFilter} that Jetty creates and configures from
 * init-params, exactly as a {@code web.xml} {@code <filter>} would. The filter opens the Redis store named by
 * {@code latchkey.redis-url} itself, so this application holds no {@code KeyStore}: keys are managed by the admin
 * service on the same Redis.
 *
 * <p>{@code java -jar latchkey-jetty-sample.jar} reads {@code LATCHKEY_REDIS_URL} (required),
 * {@code LATCHKEY_PEPPER}, {@code LATCHKEY_TOKEN_PREFIX} and {@code LATCHKEY_TRUSTED_PROXIES} through the filter's
 * {@code ${NAME}} placeholders, and {@code LATCHKEY_HOST} / {@code LATCHKEY_APP_PORT} for where to listen.
 */
public final class JettyWebapp {

    private static final Logger LOG = LoggerFactory.getLogger(JettyWebapp.class);

    private JettyWebapp() {
    }

    /**
     * Returns the filter's init-params (API.md §5): the store and secrets from {@code ${…}} placeholders, so the same
     * code runs against any Redis, and the demo's scope rules and excludes.
     */
    public static Map<String, String> filterInitParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("latchkey.redis-url", "${LATCHKEY_REDIS_URL}");
        params.put("latchkey.pepper", "${LATCHKEY_PEPPER:}");
        params.put("latchkey.token-prefix", "${LATCHKEY_TOKEN_PREFIX:lk}");
        params.put("latchkey.trusted-proxies", "${LATCHKEY_TRUSTED_PROXIES:}");
        params.put("latchkey.scopes", DemoRoutes.SCOPE_RULES);
        params.put("latchkey.exclude", DemoRoutes.EXCLUDE);
        return params;
    }

    /**
     * Builds (does not start) the server: the demo servlets, and in front of them an {@link ApiKeyFilter} created by
     * Jetty from its class name and configured by {@code initParams} on {@code REQUEST} dispatches.
     *
     * @param port 0 for any free port
     */
    public static Server create(String host, int port, Map<String, String> initParams) {
        FilterHolder latchkey = new FilterHolder(ApiKeyFilter.class);
        latchkey.setName("latchkey");
        latchkey.setInitParameters(initParams);
        return DemoJetty.create(host, port, latchkey, 10_000);
    }

    /** Returns the port a started server listens on. */
    public static int port(Server server) {
        return DemoJetty.port(server);
    }

    /** Runs the app until SIGTERM (or Ctrl-C), then stops it: in-flight requests finish, counted uses are flushed. */
    public static void main(String[] args) throws Exception {
        String host = env("LATCHKEY_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("LATCHKEY_APP_PORT", "8081"));
        Server server = create(host, port, filterInitParams());
        try {
            server.start();
        } catch (Exception e) {
            LOG.error("The Jetty sample could not start: {}", e.getMessage() != null ? e.getMessage() : e.toString());
            server.stop();
            System.exit(1);
        }
        System.out.println("app listening on http://" + host + ":" + port(server));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("The Jetty sample did not stop cleanly: {}", e.toString());
            }
            stopped.countDown();
        }, "jetty-sample-shutdown"));
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }
}
