package dev.latchkey.admin;

import dev.latchkey.admin.cli.LatchkeyCli;
import dev.latchkey.core.KeyStore;
import dev.latchkey.server.ServiceLauncher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.util.Map;

/**
 * Runs the admin service from the environment (API.md §1): {@code LATCHKEY_HOST}, {@code LATCHKEY_PORT},
 * {@code LATCHKEY_REDIS_URL}, {@code LATCHKEY_ADMIN_TOKEN}, {@code LATCHKEY_PEPPER}, {@code LATCHKEY_TOKEN_PREFIX}.
 * A generated root token is printed once to standard output (never through the logger), then
 * {@code listening on http://HOST:PORT} once requests are accepted. SIGTERM stops it cleanly: in-flight requests
 * finish, usage is flushed, the store is closed.
 */
public final class AdminMain {

    private AdminMain() {
    }

    /**
     * With no arguments (or just {@code serve}) starts the service and returns only when it is stopped; otherwise
     * runs the {@code latchkey} command line ({@link LatchkeyCli}) and exits with its code.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0 || (args.length == 1 && args[0].equals("serve"))) {
            serve();
        } else {
            System.exit(LatchkeyCli.execute(args));
        }
    }

    /** Starts the service from the environment; returns only when it is stopped. */
    public static void serve() throws InterruptedException {
        ServiceLauncher.runUntilStopped("admin API", "latchkey-admin-logback.xml",
                () -> start(System.getenv(), System.out));
    }

    /** A started server and the store it owns. */
    record Running(AdminServer server, KeyStore store) implements AutoCloseable {
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
     * Starts a server from an environment map, printing the generated token (if any) and the listening line to
     * {@code out}.
     *
     * @throws IllegalArgumentException when a setting is invalid
     */
    static Running start(Map<String, String> env, PrintStream out) {
        AdminSettings settings = AdminSettings.fromEnvironment(env);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KeyStore store = settings.openStore(registry);
        AdminServer server;
        try {
            server = settings.serverBuilder(store).registry(registry).build();
            if (server.adminTokenGenerated()) {
                out.println("LATCHKEY_ADMIN_TOKEN is not set; the root admin token for this run is:");
                out.println("  " + server.adminToken());
                out.flush();
            }
            server.start();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        out.println("listening on http://" + AdminSettings.uriHost(settings.host()) + ":" + server.port());
        out.flush();
        return new Running(server, store);
    }

}
