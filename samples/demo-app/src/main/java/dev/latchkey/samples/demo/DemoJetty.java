package dev.latchkey.samples.demo;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The demo app on embedded Jetty 12 (ee10), as the quickstart and the Jetty sample run it: every demo route behind
 * the given Latchkey filter on {@code REQUEST} dispatches, and every answer of the server held to API.md §4.
 *
 * <ul>
 *   <li>Every answer carries {@code X-Content-Type-Options: nosniff}: the app's, the filter's and Jetty's own
 *       (API.md §4). The sample stamps it, not the filter, which owns only its denials.</li>
 *   <li>What Jetty answers itself is an RFC 9457 problem ({@link ProblemErrorHandler}), never its HTML page:
 *       a path it refuses before any filter runs (an encoded {@code /} or {@code \}, {@code //}, {@code %2e},
 *       {@code ..;}, bad percent-encoding), an unmapped path, a method a servlet does not implement. Jetty keeps
 *       its default URI compliance: it refuses such paths, and the filter behind it refuses or resolves them
 *       itself (docs/DECISIONS.md says why they are not let through).</li>
 *   <li>The header cache is case-sensitive: by default Jetty hands a keep-alive connection's second request the
 *       cached value of a header that differed only in letter case, and API keys are case-sensitive.</li>
 * </ul>
 *
 * <p>Needs {@code jetty-server} and {@code jetty-ee10-servlet} on the class path (optional dependencies of this
 * module).
 */
public final class DemoJetty {

    /** {@code X-Content-Type-Options: nosniff} (API.md §4). */
    static final HttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");

    private DemoJetty() {
    }

    /**
     * Builds (does not start) the server: the demo servlets ({@link DemoRoutes#servlets()}) behind {@code latchkey},
     * which is mapped to {@code /*} on {@code REQUEST} dispatches; in-flight requests may finish within
     * {@code stopTimeoutMillis} when it stops.
     *
     * @param port 0 for any free port
     */
    public static Server create(String host, int port, FilterHolder latchkey, long stopTimeoutMillis) {
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setHeaderCacheCaseSensitive(true);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        context.addFilter(latchkey, "/*", EnumSet.of(DispatcherType.REQUEST));
        for (Map.Entry<String, HttpServlet> route : DemoRoutes.servlets().entrySet()) {
            context.addServlet(new ServletHolder(route.getValue()), route.getKey());
        }
        ProblemErrorHandler problems = new ProblemErrorHandler();
        context.setErrorHandler(problems);
        server.setErrorHandler(problems);
        // Lets in-flight requests finish on stop, within the server's stop timeout.
        server.setHandler(new Nosniff(new GracefulHandler(context)));
        server.setStopTimeout(stopTimeoutMillis);
        return server;
    }

    /** Returns the port a started server listens on. */
    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Stamps {@code nosniff} on every answer before the filter or the app writes it. */
    private static final class Nosniff extends Handler.Wrapper {

        Nosniff(Handler next) {
            super(next);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            response.getHeaders().put(NOSNIFF);
            return super.handle(request, response, callback);
        }
    }
}
