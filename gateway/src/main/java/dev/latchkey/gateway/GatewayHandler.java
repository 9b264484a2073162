package dev.latchkey.gateway;

import dev.latchkey.core.KeySource;
import dev.latchkey.engine.Denial;
import dev.latchkey.engine.ProblemJson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Grizzly side of the gateway service: routes {@code /v1/authorize}, {@code /v1/authorize/nginx},
 * {@code /v1/authorize/envoy/**}, {@code /health} and {@code /metrics}, hands the authorize paths to the
 * {@link GatewayAuthorizer} and writes its {@link Answer}. No Jersey, no servlet: one handler on the hot path.
 */
final class GatewayHandler extends HttpHandler {

    static final String AUTHORIZE = "/v1/authorize";
    static final String NGINX = "/v1/authorize/nginx";
    static final String ENVOY = "/v1/authorize/envoy";
    static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final GatewayAuthorizer authorizer;
    private final KeySource store;
    private final PrometheusMeterRegistry registry;

    GatewayHandler(GatewayAuthorizer authorizer, KeySource store, PrometheusMeterRegistry registry) {
        this.authorizer = authorizer;
        this.store = store;
        this.registry = registry;
    }

    @Override
    public void service(Request request, Response response) throws IOException {
        String path = request.getRequestURI();
        String method = request.getMethod().getMethodString();
        GatewayAuthorizer.Headers headers = name -> headersOf(request, name);
        Answer answer;
        try {
            answer = route(path, method, headers, request.getRemoteAddr());
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure answering {} {}", method, path, e);
            answer = authorizer.problem(GatewayAuthorizer.Door.FORWARD, new Denial(500, "internal", "internal",
                    "Internal error", "The request could not be answered", null, null, Map.of()), path, headers);
        }
        write(answer, response);
    }

    private Answer route(String path, String method, GatewayAuthorizer.Headers headers, @Nullable String remote) {
        if (path.equals(AUTHORIZE)) {
            return authorizer.authorize(GatewayAuthorizer.Door.FORWARD, method, path, headers, remote);
        }
        if (path.equals(NGINX)) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return notAllowed(GatewayAuthorizer.Door.NGINX, path, headers, "GET, HEAD");
            }
            return authorizer.authorize(GatewayAuthorizer.Door.NGINX, method, path, headers, remote);
        }
        if (path.startsWith(ENVOY) && (path.length() == ENVOY.length() || path.charAt(ENVOY.length()) == '/')) {
            String original = path.length() == ENVOY.length() ? "/" : path.substring(ENVOY.length());
            return authorizer.authorize(GatewayAuthorizer.Door.ENVOY, method, original, headers, remote);
        }
        if (path.equals("/health")) {
            return method.equals("GET") || method.equals("HEAD") ? health()
                    : notAllowed(GatewayAuthorizer.Door.FORWARD, path, headers, "GET, HEAD");
        }
        if (path.equals("/metrics")) {
            return method.equals("GET") || method.equals("HEAD")
                    ? new Answer(200, new String[] {"Cache-Control", "no-store", "X-Content-Type-Options", "nosniff"},
                            METRICS_TYPE, registry.scrape())
                    : notAllowed(GatewayAuthorizer.Door.FORWARD, path, headers, "GET, HEAD");
        }
        return authorizer.problem(GatewayAuthorizer.Door.FORWARD, new Denial(404, "not_found", "not_found",
                "Not found", "no such endpoint: the gateway serves /v1/authorize, /v1/authorize/nginx, "
                        + "/v1/authorize/envoy/**, /health and /metrics", null, null, Map.of()), path, headers);
    }

    private Answer notAllowed(GatewayAuthorizer.Door door, String path, GatewayAuthorizer.Headers headers,
            String allow) {
        Denial d = new Denial(405, "method_not_allowed", "method_not_allowed", "Method not allowed",
                "this endpoint answers " + allow, null, null, Map.of("Allow", allow));
        return authorizer.problem(door, d, path, headers);
    }

    /** {@code /health} as the admin service's: plain JSON, never a problem body. */
    private Answer health() {
        String kind = store.kind();
        String[] h = {"Cache-Control", "no-store", "X-Content-Type-Options", "nosniff"};
        StringBuilder sb = new StringBuilder(64);
        try {
            store.ping();
            sb.append("{\"status\":\"up\",\"store\":");
            ProblemJson.string(sb, kind);
            return new Answer(200, h, "application/json", sb.append('}').toString());
        } catch (RuntimeException e) {
            LOG.warn("Health check: the {} store does not answer: {}", kind, e.toString());
            sb.append("{\"status\":\"down\",\"store\":");
            ProblemJson.string(sb, kind);
            sb.append(",\"detail\":\"the store cannot be reached\"}");
            return new Answer(503, h, "application/json", sb.toString());
        }
    }

    private static Iterator<String> headersOf(Request request, String name) {
        Iterable<String> values = request.getHeaders(name);
        return values == null ? Collections.emptyIterator() : values.iterator();
    }

    private static void write(Answer answer, Response response) throws IOException {
        response.setStatus(answer.status());
        for (int i = 0, n = answer.headerCount(); i < n; i++) {
            response.setHeader(answer.headerName(i), answer.headerValue(i));
        }
        byte[] body = answer.bodyBytes();
        String type = answer.contentType();
        if (type != null) {
            response.setContentType(type);
        }
        response.setContentLength(body.length);
        if (body.length > 0) {
            OutputStream out = response.getOutputStream();
            out.write(body);
        }
    }
}
