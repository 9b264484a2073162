package dev.latchkey.samples.tomcat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: the Prometheus text format of the registry {@link PrometheusMetrics} installed, which holds
 * the filter's meters. {@code web.xml} excludes this path from the filter, as scrapers carry no API key; restrict it
 * at the network or with a security constraint in production.
 */
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!(getServletContext().getAttribute(PrometheusMetrics.ATTRIBUTE) instanceof PrometheusMeterRegistry registry)) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "metrics are not set up");
            return;
        }
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
