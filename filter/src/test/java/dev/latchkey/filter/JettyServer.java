package dev.latchkey.filter;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/** Embedded Jetty 12 (ee10, Servlet 6.0) with its default URI compliance. */
final class JettyServer implements WebServer {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server, caseSensitiveHeaderCache());

    JettyServer(@Nullable Filter filter, Map<String, String> initParams, String contextPath) throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(contextPath.isEmpty() ? "/" : contextPath);
        FilterHolder holder = filter != null ? new FilterHolder(filter) : new FilterHolder(ApiKeyFilter.class);
        holder.setName("latchkey");
        holder.setAsyncSupported(true);
        initParams.forEach(holder::setInitParameter);
        // every dispatcher type: the filter itself must act on REQUEST only
        context.addFilter(holder, "/*", EnumSet.allOf(DispatcherType.class));
        context.addServlet(new ServletHolder(new EchoServlet()), "/*");
        ServletHolder dispatch = new ServletHolder(new DispatchServlet());
        dispatch.setAsyncSupported(true);
        context.addServlet(dispatch, "/dispatch/*");
        server.setHandler(context);
        server.start();
        if (!context.isAvailable() || !context.isStarted()) {
            server.stop();
            throw new IllegalStateException("Jetty did not start the filter");
        }
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
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
