package dev.latchkey.filter;

import java.util.Map;

/** {@link AbstractFilterIT} on embedded Tomcat 10.1. */
class TomcatFilterIT extends AbstractFilterIT {

    @Override
    WebServer start(ApiKeyFilter filter) throws Exception {
        return WebServer.tomcat(filter, Map.of());
    }
}
