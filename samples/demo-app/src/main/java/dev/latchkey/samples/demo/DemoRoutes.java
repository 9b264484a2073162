package dev.latchkey.samples.demo;

import jakarta.servlet.http.HttpServlet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo app's routes and the filter settings that protect them, in one place so every sample installs the same
 * thing: {@link #servlets()} maps each path to its servlet, {@link #SCOPE_RULES} and {@link #EXCLUDE} are the
 * {@code latchkey.scopes} and {@code latchkey.exclude} settings (API.md §5).
 */
public final class DemoRoutes {

    /** The route rules ({@code latchkey.scopes}): reading reports needs {@code reports:read}, writing {@code reports:write}. */
    public static final String SCOPE_RULES = "GET /reports reports:read; POST /reports reports:write";

    /** The paths that need no key ({@code latchkey.exclude}). */
    public static final String EXCLUDE = "/health";

    private DemoRoutes() {
    }

    /**
     * Returns new servlets for every route, by path: {@code /health}, {@code /hello}, {@code /reports}. Each call
     * returns fresh instances (and an empty report book).
     */
    public static Map<String, HttpServlet> servlets() {
        Map<String, HttpServlet> routes = new LinkedHashMap<>();
        routes.put("/health", new HealthServlet());
        routes.put("/hello", new HelloServlet());
        routes.put("/reports", new ReportsServlet());
        return routes;
    }
}
