package dev.latchkey.filter;

import jakarta.servlet.Filter;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An embedded servlet container running {@link EchoServlet} behind a filter, on a loopback port. */
interface WebServer extends AutoCloseable {

    /** Starts a server with a filter instance, or (when {@code filter} is null) an {@link ApiKeyFilter} by class with init-params. */
    static WebServer jetty(@Nullable Filter filter, Map<String, String> initParams) throws Exception {
        return new JettyServer(filter, initParams);
    }

    static WebServer tomcat(@Nullable Filter filter, Map<String, String> initParams) throws Exception {
        return new TomcatServer(filter, initParams);
    }

    int port();

    default URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** Stops the server; the container calls the filter's destroy. */
    @Override
    void close() throws Exception;
}
