package dev.latchkey.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.server.ServerConfiguration;

/**
 * Serves the admin console's static files at {@code /console/}: HTML, CSS and JavaScript modules from this jar's
 * {@value #ROOT} resources, and uPlot from its WebJar. The console has no endpoint of its own; it calls {@code /v1}.
 *
 * <p>Every answer carries a strict Content-Security-Policy (only this origin's scripts, styles and connections; no
 * inline script or style; no framing), {@code Referrer-Policy: no-referrer}, and {@code Cache-Control: no-store} on
 * the page itself; the modules are revalidated by ETag, and the versioned uPlot files are cached for good. Only a
 * fixed set of names is ever looked up (plain path segments, no {@code ..}, with a known extension), so no request can reach
 * another resource of the class path. Files are read once and kept in memory with their gzip form.
 */
final class ConsoleHandler extends HttpHandler {

    /** The class-path folder of the console's own files. */
    static final String ROOT = "latchkey-console/";

    /** The uPlot version the console loads (the WebJar pinned in the parent pom). */
    static final String UPLOT_VERSION = "1.6.30";

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private static final String UPLOT_PREFIX = "vendor/uplot-" + UPLOT_VERSION + "/";
    private static final String UPLOT_WEBJAR = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
    private static final Pattern NAME = Pattern.compile("(?:[A-Za-z0-9][A-Za-z0-9_.-]*/){0,3}[A-Za-z0-9][A-Za-z0-9_.-]*\\."
            + "(?:html|js|css|svg|png)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png");

    private final HttpHandler app;
    private final ClassLoader loader = ConsoleHandler.class.getClassLoader();
    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

    /** A file as served: bytes, gzipped bytes when smaller, type and strong ETag. */
    private record Asset(byte[] body, byte[] gzip, String type, String etag, boolean immutable) {
    }

    private ConsoleHandler(HttpHandler app) {
        super(app.getName());
        this.app = app;
        setAllowEncodedSlash(app.isAllowEncodedSlash());
        setRequestURIEncoding(app.getRequestURIEncoding());
    }

    /**
     * Puts the console in front of the server's one application handler (Jersey's): {@code /console} and
     * {@code /console/...} are served here, every other request goes to the application. One handler, not a second
     * mapping, so that Grizzly never has to decode a URI to choose between handlers (an undecodable URI stays the
     * guards' 400 problem).
     *
     * @throws IllegalStateException when the server has other than one handler
     */
    static void install(ServerConfiguration config) {
        Map<HttpHandler, HttpHandlerRegistration[]> handlers = config.getHttpHandlersWithMapping();
        if (handlers.size() != 1) {
            throw new IllegalStateException("expected one application handler, found " + handlers.size());
        }
        Map.Entry<HttpHandler, HttpHandlerRegistration[]> only = handlers.entrySet().iterator().next();
        config.removeHttpHandler(only.getKey());
        config.addHttpHandler(new ConsoleHandler(only.getKey()), only.getValue());
    }

    @Override
    public void start() {
        app.start();
    }

    @Override
    public void destroy() {
        app.destroy();
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        String uri = request.getRequestURI();
        if (!uri.equals("/console") && !uri.startsWith("/console/")) {
            app.service(request, response);
            return;
        }
        serve(request, response);
    }

    private void serve(Request request, Response response) throws IOException {
        setSecurityHeaders(response);
        Method method = request.getMethod();
        if (method != Method.GET && method != Method.HEAD) {
            response.setHeader("Allow", "GET, HEAD");
            problem(response, 405, "method_not_allowed", "the console's files are read with GET");
            return;
        }
        String path = request.getRequestURI();
        if (path.equals("/console")) {
            response.setStatus(301);
            response.setHeader("Location", "/console/");
            response.setHeader("Cache-Control", "no-store");
            return;
        }
        String name = path.substring("/console/".length());
        Optional<Asset> found = name.isEmpty() ? asset("index.html") : asset(name);
        if (found.isEmpty()) {
            problem(response, 404, "not_found", "no such console file");
            return;
        }
        Asset a = found.get();
        response.setHeader("Cache-Control", a.type.startsWith("text/html") ? "no-store"
                : a.immutable ? "public, max-age=31536000, immutable" : "no-cache");
        response.setHeader("ETag", a.etag);
        response.setHeader("Vary", "Accept-Encoding");
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.contains(a.etag) && !a.type.startsWith("text/html")) {
            response.setStatus(304);
            return;
        }
        response.setContentType(a.type);
        String accept = request.getHeader("Accept-Encoding");
        boolean gzip = a.gzip.length < a.body.length && accept != null && accept.contains("gzip");
        byte[] body = gzip ? a.gzip : a.body;
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(body.length);
        if (method == Method.GET) {
            response.getOutputStream().write(body);
        }
    }

    private static void setSecurityHeaders(Response response) {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    }

    private static void problem(Response response, int status, String code, String detail) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/problem+json");
        byte[] body = ("{\"type\":\"urn:latchkey:problem:" + code + "\",\"status\":" + status + ",\"code\":\"" + code
                + "\",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private Optional<Asset> asset(String name) {
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            return Optional.empty();
        }
        return assets.computeIfAbsent(name, this::load);
    }

    private Optional<Asset> load(String name) {
        String resource;
        boolean immutable = name.startsWith(UPLOT_PREFIX);
        if (immutable) {
            String file = name.substring(UPLOT_PREFIX.length());
            if (!file.equals("uPlot.esm.js") && !file.equals("uPlot.min.css")) {
                return Optional.empty();
            }
            resource = UPLOT_WEBJAR + file;
        } else {
            resource = ROOT + name;
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] body = in.readAllBytes();
            String ext = name.substring(name.lastIndexOf('.') + 1);
            return Optional.of(new Asset(body, gzip(body), TYPES.get(ext), etag(body), immutable));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        }
        return out.toByteArray();
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
