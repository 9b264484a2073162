package dev.latchkey.bench;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The one web server the load drivers measure: embedded Jetty on a free loopback port serving the same tiny servlet
 * ({@link FilterLoadDriver.OkServlet}) at {@code /open/*} with no filter (the baseline) and at {@code /api/*} behind
 * the given filter.
 *
 * @param server the running server
 * @param port   its port on 127.0.0.1
 */
record LoopbackJetty(Server server, int port) {

    /** Starts a server with {@code filter} in front of {@code /api/*}. */
    static LoopbackJetty start(Filter filter) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, caseSensitiveHeaderCache());
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new FilterLoadDriver.OkServlet()), "/open/*");
        context.addServlet(new ServletHolder(new FilterLoadDriver.OkServlet()), "/api/*");
        context.addFilter(new FilterHolder(filter), "/api/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        return new LoopbackJetty(server, connector.getLocalPort());
    }

    void stop() throws Exception {
        server.stop();
    }

    /**
     * Jetty's per-connection header cache matches values ignoring case by default, so a second request on a
     * connection whose Authorization differs from the first one's only in letter case was handed the first one's
     * value: a valid token read as a mistyped one sent before it. API keys are case-sensitive.
     */
    private static HttpConnectionFactory caseSensitiveHeaderCache() {
        HttpConfiguration config = new HttpConfiguration();
        config.setHeaderCacheCaseSensitive(true);
        return new HttpConnectionFactory(config);
    }
}
