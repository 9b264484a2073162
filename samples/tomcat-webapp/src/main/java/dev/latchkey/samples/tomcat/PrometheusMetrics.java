package dev.latchkey.samples.tomcat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Adds a {@link PrometheusMeterRegistry} to {@link Metrics#globalRegistry} while the application runs, and keeps it
 * in a context attribute for {@link MetricsServlet}. A filter declared in {@code web.xml} gets no registry in code,
 * so it registers its meters (API.md §6) on the global registry, and this one renders them.
 *
 * <p>Micrometer lives in {@code WEB-INF/lib}, so the global registry is this application's alone.
 */
public class PrometheusMetrics implements ServletContextListener {

    /** The context attribute that holds the registry. */
    public static final String ATTRIBUTE = PrometheusMeterRegistry.class.getName();

    @Override
    public void contextInitialized(ServletContextEvent event) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.addRegistry(registry);
        event.getServletContext().setAttribute(ATTRIBUTE, registry);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (event.getServletContext().getAttribute(ATTRIBUTE) instanceof PrometheusMeterRegistry registry) {
            event.getServletContext().removeAttribute(ATTRIBUTE);
            Metrics.removeRegistry(registry);
            registry.close();
        }
    }
}
