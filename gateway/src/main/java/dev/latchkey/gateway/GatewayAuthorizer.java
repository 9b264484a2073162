package dev.latchkey.gateway;

import dev.latchkey.core.internal.Ids;
import dev.latchkey.engine.Allow;
import dev.latchkey.engine.ApiKeyPrincipal;
import dev.latchkey.engine.AuthRequest;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.engine.Decision;
import dev.latchkey.engine.Denial;
import dev.latchkey.engine.Pass;
import dev.latchkey.engine.ProblemJson;
import dev.latchkey.engine.TraceContext;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's hot path without the HTTP server (API.md §11): reads the original request out of what a gateway
 * forwards, asks the {@link Authenticator} and turns its {@link Decision} into an {@link Answer}. An allow is exactly
 * {@code 200} with an empty body and all five identity headers; a denial is a §4 problem body with its
 * {@code WWW-Authenticate}, {@code Retry-After} and {@code X-Request-Id}; every answer carries
 * {@code Cache-Control: no-store} and {@code X-Content-Type-Options: nosniff}. Thread-safe.
 *
 * @since 0.1
 */
public final class GatewayAuthorizer {

    /** The forms in which gateways ask. */
    public enum Door {
        /** {@code /v1/authorize}: Traefik, Caddy, HAProxy; original method and URI in {@code X-Forwarded-*}. */
        FORWARD("X-Forwarded-Method", "X-Forwarded-Uri"),
        /** {@code GET /v1/authorize/nginx}: nginx {@code auth_request}; {@code X-Original-Method} and {@code -URI}. */
        NGINX("X-Original-Method", "X-Original-URI"),
        /** {@code /v1/authorize/envoy/**}: Envoy {@code ext_authz}; the own method and the path after the prefix. */
        ENVOY(null, null);

        final @Nullable String methodHeader;
        final @Nullable String uriHeader;

        Door(@Nullable String methodHeader, @Nullable String uriHeader) {
            this.methodHeader = methodHeader;
            this.uriHeader = uriHeader;
        }
    }

    /** The headers of the request a gateway sent. */
    @FunctionalInterface
    public interface Headers {
        /** Returns every value of a header (case-insensitive name), in order. */
        Iterator<String> values(String name);
    }

    /** The identity headers of API.md §11, always all five on an allow. */
    public static final String KEY_ID = "X-Latchkey-Key-Id";
    /** The key's tenant. */
    public static final String TENANT = "X-Latchkey-Tenant";
    /** The key's owner, or empty. */
    public static final String OWNER = "X-Latchkey-Owner";
    /** {@code live} or {@code test}. */
    public static final String ENVIRONMENT = "X-Latchkey-Environment";
    /** The key's scopes in stored order, space-separated. */
    public static final String SCOPES = "X-Latchkey-Scopes";
    /** On {@code /v1/authorize/nginx}: the real status of a denial answered as 403. */
    public static final String STATUS = "X-Latchkey-Status";

    private static final Logger LOG = LoggerFactory.getLogger(GatewayAuthorizer.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String NO_STORE = "no-store";
    private static final String NOSNIFF = "nosniff";
    private static final Answer NO_KEY_NEEDED = new Answer(200, new String[] {
            KEY_ID, "", TENANT, "", OWNER, "", ENVIRONMENT, "", SCOPES, "",
            "Cache-Control", NO_STORE, "X-Content-Type-Options", NOSNIFF}, null, null);

    private final Authenticator engine;
    private final AddressBlocks clients;
    private final Clock clock;

    /**
     * Creates the hot path over an engine that the caller owns.
     *
     * @param clients the socket addresses allowed to ask ({@code LATCHKEY_GATEWAY_CLIENTS})
     * @param clock   the clock of problem timestamps
     */
    public GatewayAuthorizer(Authenticator engine, AddressBlocks clients, Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Decides one ask.
     *
     * @param door      which form the gateway used
     * @param method    the method of the request the gateway sent
     * @param ownPath   the raw path of the request the gateway sent, without the query (for {@link Door#ENVOY}: the
     *                  original path, already taken from behind the prefix)
     * @param headers   the headers the gateway sent (the client's own, plus the forwarding ones)
     * @param remote    the socket address of the gateway
     */
    public Answer authorize(Door door, String method, String ownPath, Headers headers, @Nullable String remote) {
        if (!clients.contains(remote)) {
            return problem(door, new Denial(403, "gateway_client_forbidden", "gateway_client_forbidden",
                    "Gateway client forbidden", "this address may not ask the gateway service "
                            + "(LATCHKEY_GATEWAY_CLIENTS)", null, null, Map.of()), ownPath, headers);
        }
        String originalMethod = method;
        String originalUri = ownPath;
        if (door.methodHeader != null) {
            String m = first(headers, door.methodHeader);
            if (m != null && !m.isBlank()) {
                originalMethod = m.strip();
            } else if (door == Door.NGINX) {
                return problem(door, invalid(door.methodHeader + " is required: the nginx config must set it to "
                        + "$request_method"), ownPath, headers);
            }
            if (!isMethod(originalMethod)) {
                return problem(door, invalid(door.methodHeader + " is not an HTTP method"), ownPath, headers);
            }
            String u = first(headers, Objects.requireNonNull(door.uriHeader));
            if (u == null || u.isBlank()) {
                return problem(door, invalid(door.uriHeader + " is required: the gateway must send the original "
                        + "request URI"), ownPath, headers);
            }
            originalUri = pathOf(u.strip());
        }
        if (originalUri.isEmpty() || originalUri.charAt(0) != '/') {
            return problem(door, engine.denials().badPath(), "/", headers);
        }
        Decision decision;
        try {
            decision = engine.authenticate(new Forwarded(originalMethod, originalUri, headers, remote));
        } catch (RuntimeException e) {
            LOG.error("API-key check failed unexpectedly for {} {}", originalMethod, originalUri, e);
            return problem(door, new Denial(500, "internal", "internal", "Internal error",
                    "The API key could not be checked", null, null, Map.of()), originalUri, headers);
        }
        if (decision instanceof Allow allow) {
            return allowed(allow);
        }
        if (decision instanceof Denial denial) {
            return problem(door, denial, originalUri, headers);
        }
        return NO_KEY_NEEDED; // Pass: an excluded path or an allowed preflight
    }

    private static Answer allowed(Allow allow) {
        ApiKeyPrincipal p = allow.principal();
        Map<String, String> extra = allow.headers();
        String[] h = new String[14 + 2 * extra.size()];
        h[0] = KEY_ID;
        h[1] = p.keyId();
        h[2] = TENANT;
        h[3] = p.tenantId();
        h[4] = OWNER;
        String owner = p.ownerId();
        h[5] = owner == null ? "" : owner;
        h[6] = ENVIRONMENT;
        h[7] = p.environment();
        h[8] = SCOPES;
        h[9] = p.scopes().isEmpty() ? "" : String.join(" ", p.scopes());
        h[10] = "Cache-Control";
        h[11] = NO_STORE;
        h[12] = "X-Content-Type-Options";
        h[13] = NOSNIFF;
        int i = 14;
        for (Map.Entry<String, String> e : extra.entrySet()) {
            h[i++] = e.getKey();
            h[i++] = e.getValue();
        }
        return new Answer(200, h, null, null);
    }

    /**
     * Answers a denial as a problem body (API.md §4). On the nginx door every status but 401 and 403 becomes a 403
     * with {@code X-Latchkey-Status}, because nginx turns any other status of an auth subrequest into a 500.
     */
    Answer problem(Door door, Denial denial, String instance, Headers headers) {
        String requestId = first(headers, "X-Request-Id");
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            requestId = Ids.next();
        }
        String body = ProblemJson.body(denial, instance, requestId,
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
                TraceContext.traceId(first(headers, "traceparent")));
        int status = denial.status();
        boolean remap = door == Door.NGINX && remapsOnNginx(status);
        String[] h = new String[2 * (3 + (denial.challenge() == null ? 0 : 1)
                + (denial.retryAfterSeconds() == null ? 0 : 1) + (remap ? 1 : 0) + denial.headers().size())];
        int i = 0;
        h[i++] = "Cache-Control";
        h[i++] = NO_STORE;
        h[i++] = "X-Content-Type-Options";
        h[i++] = NOSNIFF;
        h[i++] = "X-Request-Id";
        h[i++] = requestId;
        if (denial.challenge() != null) {
            h[i++] = "WWW-Authenticate";
            h[i++] = denial.challenge();
        }
        if (denial.retryAfterSeconds() != null) {
            h[i++] = "Retry-After";
            h[i++] = Long.toString(denial.retryAfterSeconds());
        }
        if (remap) {
            h[i++] = STATUS;
            h[i++] = Integer.toString(status);
        }
        for (Map.Entry<String, String> e : denial.headers().entrySet()) {
            h[i++] = e.getKey();
            h[i++] = e.getValue();
        }
        return new Answer(remap ? 403 : status, h, ProblemJson.CONTENT_TYPE, body);
    }

    /**
     * Returns whether a denial of this status is answered on {@code /v1/authorize/nginx} as 403 with
     * {@link #STATUS}: every status but 401 and 403, which nginx passes on (API.md §11).
     */
    static boolean remapsOnNginx(int status) {
        return status != 401 && status != 403;
    }

    /** Returns whether {@code s} is an RFC 9110 token of 1 to 32 characters, as a method must be. */
    static boolean isMethod(String s) {
        int n = s.length();
        if (n == 0 || n > 32) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+.^_`|~-".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Denial invalid(String detail) {
        return new Denial(400, "invalid_request", "invalid_request", "Invalid request", detail, null, null, Map.of());
    }

    /**
     * Returns the path of a forwarded URI: the query and fragment cut off (a token is never read from a query), and
     * an absolute-form URI ({@code http://host/path}) reduced to its path.
     */
    static String pathOf(String uri) {
        String u = uri;
        int scheme = u.indexOf("://");
        if (scheme > 0 && scheme < 8 && u.regionMatches(true, 0, "http", 0, 4)) {
            int slash = u.indexOf('/', scheme + 3);
            int query = u.indexOf('?', scheme + 3);
            u = slash < 0 || (query >= 0 && query < slash) ? "/" + (query < 0 ? "" : u.substring(query))
                    : u.substring(slash);
        }
        int cut = u.length();
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            if (c == '?' || c == '#') {
                cut = i;
                break;
            }
        }
        return u.substring(0, cut);
    }

    private static @Nullable String first(Headers headers, String name) {
        Iterator<String> it = headers.values(name);
        return it.hasNext() ? it.next() : null;
    }

    /** The original request, as the engine reads it. */
    private record Forwarded(String method, String requestUri, Headers h, @Nullable String remoteAddress)
            implements AuthRequest {
        @Override
        public Iterator<String> headers(String name) {
            return h.values(name);
        }
    }
}
