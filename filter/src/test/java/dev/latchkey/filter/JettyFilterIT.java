package dev.latchkey.filter;

import java.util.Map;

/** {@link AbstractFilterIT} on embedded Jetty 12 (ee10). */
class JettyFilterIT extends AbstractFilterIT {

    @Override
    WebServer start(ApiKeyFilter filter) throws Exception {
        return WebServer.jetty(filter, Map.of());
    }
}
