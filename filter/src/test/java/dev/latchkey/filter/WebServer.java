package dev.latchkey.filter;

import jakarta.servlet.Filter;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An embedded servlet container running {@link EchoServlet} (and {@link DispatchServlet} at {@code /dispatch/*})
 * behind a filter mapped for every dispatcher type, on a loopback port.
 */
interface WebServer extends AutoCloseable {

    /** Starts a server with a filter instance, or (when {@code filter} is null) an {@link ApiKeyFilter} by class with init-params. */
    static WebServer jetty(@Nullable Filter filter, Map<String, String> initParams) throws Exception {
        return new JettyServer(filter, initParams, "");
    }

    static WebServer tomcat(@Nullable Filter filter, Map<String, String> initParams) throws Exception {
        return new TomcatServer(filter, initParams, "");
    }

    /** Starts Jetty with the app under a context path such as {@code /app} ({@code ""} is the root). */
    static WebServer jetty(@Nullable Filter filter, Map<String, String> initParams, String contextPath)
            throws Exception {
        return new JettyServer(filter, initParams, contextPath);
    }

    /** Starts Tomcat with the app under a context path such as {@code /app} ({@code ""} is the root). */
    static WebServer tomcat(@Nullable Filter filter, Map<String, String> initParams, String contextPath)
            throws Exception {
        return new TomcatServer(filter, initParams, contextPath);
    }

    int port();

    /** Returns the URI of a raw path on the server (include the context path yourself). */
    default URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** Stops the server; the container calls the filter's destroy. */
    @Override
    void close() throws Exception;
}
