package dev.latchkey.filter;

import jakarta.servlet.Filter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.jspecify.annotations.Nullable;

/** Embedded Tomcat 10.1 (Servlet 6.0) with its default connector settings. */
final class TomcatServer implements WebServer {

    private final Tomcat tomcat = new Tomcat();
    private final Path base;

    TomcatServer(@Nullable Filter filter, Map<String, String> initParams, String contextPath) throws Exception {
        base = Files.createTempDirectory("latchkey-tomcat");
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext(contextPath, base.toString());
        Tomcat.addServlet(context, "echo", new EchoServlet());
        context.addServletMappingDecoded("/*", "echo");
        Tomcat.addServlet(context, "dispatch", new DispatchServlet()).setAsyncSupported(true);
        context.addServletMappingDecoded("/dispatch/*", "dispatch");
        FilterDef def = new FilterDef();
        def.setFilterName("latchkey");
        if (filter != null) {
            def.setFilter(filter);
        }
        def.setFilterClass(ApiKeyFilter.class.getName());
        def.setAsyncSupported("true");
        initParams.forEach(def::addInitParameter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("latchkey");
        map.addURLPattern("/*");
        // every dispatcher type: the filter itself must act on REQUEST only
        for (String type : new String[] {"REQUEST", "FORWARD", "INCLUDE", "ERROR", "ASYNC"}) {
            map.setDispatcher(type);
        }
        context.addFilterMap(map);
        tomcat.start();
        if (context.getState() != LifecycleState.STARTED) {
            close();
            throw new IllegalStateException("Tomcat did not start the filter");
        }
    }

    @Override
    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    public void close() throws Exception {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            deleteTree(base);
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
