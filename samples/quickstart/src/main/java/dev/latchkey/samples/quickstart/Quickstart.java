package dev.latchkey.samples.quickstart;

import dev.latchkey.admin.AdminServer;
import dev.latchkey.admin.AdminSettings;
import dev.latchkey.core.KeyStore;
import dev.latchkey.filter.ApiKeyFilter;
import dev.latchkey.filter.ApiKeyFilterBuilder;
import dev.latchkey.samples.demo.DemoJetty;
import dev.latchkey.samples.demo.DemoRoutes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.Server;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quickstart, running: the admin service ({@link AdminServer}) and the demo app on embedded Jetty behind an
 * {@link ApiKeyFilter}, both on one {@link KeyStore} (in memory, or Redis when {@code LATCHKEY_REDIS_URL} is set).
 * The filter shares the admin service's pepper and token prefix, so the keys the one issues the other accepts.
 *
 * <p>{@link #start} prints {@code listening on http://HOST:PORT} (the admin service, as API.md §1 says),
 * {@code app listening on http://HOST:PORT} and a curl walkthrough; {@link #close()} stops the app (in-flight
 * requests finish, counted uses are flushed), then the admin service, then the store.
 */
public final class Quickstart implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Quickstart.class);
    private static final long STOP_TIMEOUT_MILLIS = 10_000;

    private final KeyStore store;
    private final AdminServer admin;
    private final Server app;
    private final URI appUri;
    private boolean closed;

    private Quickstart(KeyStore store, AdminServer admin, Server app, URI appUri) {
        this.store = store;
        this.admin = admin;
        this.app = app;
        this.appUri = appUri;
    }

    /**
     * Starts both servers from environment variables (API.md §1 and §7) and prints the listening lines and the
     * walkthrough to {@code out}.
     *
     * @throws IllegalArgumentException when a setting is invalid
     * @throws IllegalStateException    when a server cannot start (a port in use, an unreachable Redis)
     */
    public static Quickstart start(Map<String, String> env, PrintStream out) {
        QuickstartSettings settings = QuickstartSettings.from(env);
        AdminSettings adminSettings = settings.admin();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KeyStore store = adminSettings.openStore(registry);
        AdminServer admin = null;
        Server app = null;
        try {
            admin = adminSettings.serverBuilder(store).registry(registry).build().start();
            out.println("listening on " + admin.baseUri());

            ApiKeyFilterBuilder filter = ApiKeyFilter.builder(store)
                    .pepper(adminSettings.pepper())
                    .tokenPrefix(adminSettings.tokenPrefix())
                    .scopes(DemoRoutes.SCOPE_RULES)
                    .exclude(DemoRoutes.EXCLUDE)
                    .authFailureLimit(adminSettings.authFailureLimit())
                    .authFailurePeriod(adminSettings.authFailurePeriod());
            if (settings.trustedProxies() != null) {
                filter.trustedProxies(settings.trustedProxies());
            }
            app = demoApp(adminSettings.host(), settings.appPort(), filter.build());
            app.start();
            int port = DemoJetty.port(app);
            URI appUri = URI.create("http://" + AdminSettings.uriHost(adminSettings.host()) + ":" + port);
            out.println("app listening on " + appUri);
            out.println();
            out.print(Walkthrough.render(admin.baseUri(), appUri,
                    admin.adminTokenGenerated() ? admin.adminToken() : null));
            out.flush();
            return new Quickstart(store, admin, app, appUri);
        } catch (Exception e) {
            stopQuietly(app);
            if (admin != null) {
                admin.close();
            }
            store.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the demo app could not start: " + e.getMessage(), e);
        }
    }

    /** Builds the demo app ({@link DemoJetty}): every demo route behind the filter, on REQUEST dispatches. */
    private static Server demoApp(String host, int port, ApiKeyFilter filter) {
        FilterHolder holder = new FilterHolder(filter);
        holder.setName("latchkey");
        return DemoJetty.create(host, port, holder, STOP_TIMEOUT_MILLIS);
    }

    /** Returns the admin service's base URI. */
    public URI adminUri() {
        return admin.baseUri();
    }

    /** Returns the demo app's base URI. */
    public URI appUri() {
        return appUri;
    }

    /** Returns the root admin token (given or generated). */
    public String adminToken() {
        return admin.adminToken();
    }

    /** Returns the store both servers use. */
    public KeyStore store() {
        return store;
    }

    /** Stops the demo app (flushing the filter's usage counts), then the admin service, then the store. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopQuietly(app);
            admin.close();
        } finally {
            store.close();
        }
        LOG.info("Latchkey quickstart stopped");
    }

    private static void stopQuietly(@Nullable Server server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("The demo app did not stop cleanly: {}", e.toString());
        }
    }
}
