package dev.latchkey.filter;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.latchkey.core.KeySource;
import dev.latchkey.core.KeyStoreProvider;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.engine.Allow;
import dev.latchkey.engine.ApiKeyPrincipal;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.engine.Decision;
import dev.latchkey.engine.Denial;
import dev.latchkey.engine.KeyCache;
import dev.latchkey.engine.LatchkeyMetrics;
import dev.latchkey.engine.Pass;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop-in API-key filter (API.md §5): it hands each request to the engine's {@link Authenticator} (token,
 * route rules, client address, key cache, verification, usage, metrics) and translates the {@link Decision}: a
 * grant passes the request on as an {@link ApiKeyPrincipal}; a denial is answered as an RFC 9457 problem with RFC
 * 6750 {@code WWW-Authenticate}.
 *
 * <p>Three ways to set it up:
 * <ul>
 *   <li>in code, {@code ApiKeyFilter.builder(keyStore)…build()}, then registered with the container (the caller owns
 *       the store and closes it);</li>
 *   <li>in code on an engine the caller owns, {@code ApiKeyFilter.builder(authenticator).build()}: the filter neither
 *       builds nor closes the engine, so another door of the same application (a health check, the application's own
 *       code) shares its key cache, usage recorder and meters; the Spring Boot starter registers it this way;</li>
 *   <li>by init-params in {@code web.xml} or {@code FilterRegistration} on an instance made with the public
 *       no-argument constructor; {@code latchkey.redis-url} then names the store, which the filter opens through
 *       {@link KeyStoreProvider} (the {@code latchkey-redis} jar must be on the class path), owns and closes. Values
 *       may be written {@code ${NAME}} or {@code ${NAME:default}} (system property, else environment variable,
 *       else default). A filter built in code ignores init-params.</li>
 * </ul>
 * Invalid settings fail {@link #init} with a message naming the setting. The filter acts on {@code REQUEST}
 * dispatches only. {@link #destroy()} flushes counted uses, stops the threads the filter started, closes a store it
 * opened and removes its meters (an engine given in code is left to its owner). Without a registry in code it
 * registers on {@link Metrics#globalRegistry}.
 *
 * <p>Other servlet doors on an engine reuse its parts: {@link ServletAuthRequest} (the request in),
 * {@link ServletProblems} (a denial out) and {@link AuthenticatedRequest} (the request the application sees).
 *
 * <p>Thread-safe once initialized.
 *
 * @since 0.1
 */
public final class ApiKeyFilter implements Filter {

    /** The request attribute that holds the {@link ApiKeyPrincipal} of an authenticated request. */
    public static final String KEY_ATTRIBUTE = "latchkey.key";
    /** What {@code getAuthType()} answers for an authenticated request. */
    public static final String AUTH_TYPE = "API_KEY";

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyFilter.class);

    /** What the filter runs on between init and destroy, and which parts of it the filter releases. */
    private record Runtime(Authenticator engine, boolean ownsEngine, @Nullable KeySource ownedStore) {
    }

    private final @Nullable KeySource givenStore;
    private final @Nullable Authenticator givenEngine;
    private final @Nullable AuthSettings codeSettings;
    private final @Nullable MeterRegistry givenRegistry;
    private final Tags meterTags;
    private final Clock clock;
    private final Ticker ticker;
    private volatile @Nullable Runtime runtime;

    /** Creates a filter configured by init-params at {@link #init} (for {@code web.xml} and similar). */
    public ApiKeyFilter() {
        this.givenStore = null;
        this.givenEngine = null;
        this.codeSettings = null;
        this.givenRegistry = null;
        this.meterTags = Tags.empty();
        this.clock = Clock.systemUTC();
        this.ticker = Ticker.systemTicker();
    }

    ApiKeyFilter(ApiKeyFilterBuilder b) {
        this.givenStore = b.store;
        this.givenEngine = null;
        this.codeSettings = b.settings.build();
        this.givenRegistry = b.registry;
        this.meterTags = b.tags;
        this.clock = b.clock;
        this.ticker = b.ticker;
    }

    ApiKeyFilter(Authenticator engine, Clock clock) {
        this.givenStore = null;
        this.givenEngine = engine;
        this.codeSettings = engine.settings();
        this.givenRegistry = null;
        this.meterTags = Tags.empty();
        this.clock = clock;
        this.ticker = Ticker.systemTicker();
    }

    /**
     * Starts a filter configured in code, on a store the caller owns.
     *
     * @throws NullPointerException when {@code store} is null
     */
    public static ApiKeyFilterBuilder builder(KeySource store) {
        return new ApiKeyFilterBuilder(store);
    }

    /**
     * Starts a filter on an engine the caller owns: its settings, store, cache and meters are the engine's; the filter
     * neither builds nor closes it, and answers 503 {@code store_unavailable} once it is closed.
     *
     * @throws NullPointerException when {@code engine} is null
     */
    public static EngineFilterBuilder builder(Authenticator engine) {
        return new EngineFilterBuilder(engine);
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        AuthSettings settings;
        try {
            settings = codeSettings != null ? codeSettings : AuthSettings.fromInitParams(initParams(config)).build();
        } catch (IllegalArgumentException e) {
            throw new ServletException("Latchkey filter '" + config.getFilterName() + "': " + e.getMessage());
        }
        String name = config.getFilterName();
        Runtime rt;
        if (givenEngine != null) {
            checkIssuer(givenEngine.store(), settings);
            rt = new Runtime(givenEngine, false, null);
        } else {
            rt = start(settings, name == null || name.isBlank() ? "latchkey" : name);
        }
        runtime = rt;
        LOG.info("Latchkey filter '{}' ready on a {} store ({} route rules, {} excludes, {} trusted proxies)",
                config.getFilterName(), rt.engine().store().kind(), settings.rules().rules().size(),
                settings.excludes().size(), settings.trustedProxies().trustsAny() ? "with" : "no");
    }

    private static Map<String, String> initParams(FilterConfig config) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : Collections.list(config.getInitParameterNames())) {
            String v = config.getInitParameter(name);
            if (v != null) {
                params.put(name, v);
            }
        }
        return params;
    }

    private Runtime start(AuthSettings settings, String filterName) throws ServletException {
        KeySource store = givenStore;
        boolean owns = false;
        if (store == null) {
            String url = settings.storeUrl();
            if (url == null) {
                throw new ServletException("Latchkey filter: " + AuthSettings.REDIS_URL
                        + " is required when no KeySource is given in code");
            }
            try {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                store = KeyStoreProvider.openFirst(url, loader != null ? loader : ApiKeyFilter.class.getClassLoader());
            } catch (IllegalArgumentException | StoreUnavailableException e) {
                throw new ServletException("Latchkey filter: " + AuthSettings.REDIS_URL + ": " + e.getMessage());
            }
            owns = true;
        }
        try {
            checkIssuer(store, settings);
            Authenticator engine = Authenticator.builder(store)
                    .settings(settings)
                    .meterRegistry(givenRegistry != null ? givenRegistry : Metrics.globalRegistry)
                    .meterTags(meterTags)
                    .distinctMeters("filter", filterName)
                    .storeMeters(!owns) // a store opened here: its meters would outlive a redeployed WAR
                    .clock(clock)
                    .ticker(ticker)
                    .build();
            LatchkeyMetrics m = engine.metrics();
            if (m != null && !m.tags().equals(meterTags)) {
                LOG.warn("Latchkey filter '{}': another Latchkey filter already reports on this meter registry;"
                        + " this one tags its meters {} so the two never share counters. Give each filter its own"
                        + " meterTags (a Prometheus registry exports only one set of tag keys per name).",
                        filterName, m.tags());
            }
            return new Runtime(engine, true, owns ? store : null);
        } catch (RuntimeException e) {
            if (owns) {
                closeQuietly(store);
            }
            throw new ServletException("Latchkey filter could not start: " + e.getMessage(), e);
        }
    }

    private static void checkIssuer(KeySource store, AuthSettings settings) {
        try {
            String check = store.setting(KeySource.HASHER_CHECK);
            SecretHasher hasher = SecretHasher.forPepper(settings.pepper());
            if (check != null && !check.equals(hasher.checkValue())) {
                LOG.warn("{} differs from the pepper the admin service issued this store's keys with ({}):"
                        + " every token will be rejected. Set it to the admin service's LATCHKEY_PEPPER.",
                        AuthSettings.PEPPER, hasher.peppered() ? "a different pepper" : "the filter has none");
            }
            String prefix = store.setting(KeySource.TOKEN_PREFIX);
            if (prefix != null && !prefix.equals(settings.tokenPrefix())) {
                LOG.warn("{} is '{}' but this store's keys were issued with prefix '{}': every generated token will be"
                        + " rejected. Set it to the admin service's LATCHKEY_TOKEN_PREFIX.",
                        AuthSettings.TOKEN_PREFIX, settings.tokenPrefix(), prefix);
            }
        } catch (StoreUnavailableException e) {
            LOG.warn("Could not read the issuer's pepper and prefix checks from the store: {}", e.getMessage());
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        if (req.getDispatcherType() != DispatcherType.REQUEST) {
            // Forwards, includes, error pages and async re-dispatches are never checked or counted again, but the
            // app must still see the principal: an async dispatch, for one, runs on the container's own request.
            if (request.getAttribute(KEY_ATTRIBUTE) instanceof ApiKeyPrincipal p && request.getUserPrincipal() != p) {
                chain.doFilter(new AuthenticatedRequest(request, p), res);
            } else {
                chain.doFilter(req, res);
            }
            return;
        }
        Runtime rt = runtime;
        if (rt == null) {
            notRunning(request, response);
            return;
        }
        Decision decision;
        try {
            decision = rt.engine().authenticate(new ServletAuthRequest(request));
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException && !rt.ownsEngine()) {
                // The owner closed its engine (the application is shutting down).
                notRunning(request, response);
                return;
            }
            LOG.error("API-key check failed unexpectedly for {} {}", request.getMethod(), request.getRequestURI(), e);
            if (!response.isCommitted()) {
                ServletProblems.write(request, response, clock, 500, "internal", "Internal error",
                        "The API key could not be checked");
            }
            return;
        }
        if (decision instanceof Allow allow) {
            for (Map.Entry<String, String> h : allow.headers().entrySet()) {
                response.setHeader(h.getKey(), h.getValue());
            }
            AuthenticatedRequest wrapped = new AuthenticatedRequest(request, allow.principal());
            wrapped.setAttribute(KEY_ATTRIBUTE, allow.principal());
            chain.doFilter(wrapped, response);
        } else if (decision instanceof Denial denial) {
            ServletProblems.write(request, response, clock, denial);
        } else if (decision instanceof Pass) {
            chain.doFilter(request, response);
        }
    }

    private void notRunning(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletProblems.write(request, response, clock, 503, "store_unavailable", "Store unavailable",
                "The API-key filter is not running");
    }

    /**
     * Flushes counted uses, stops the usage thread, stops listening to the store, removes the filter's meters, and
     * closes the store if the filter opened it; an engine given in code is left open for its owner.
     */
    @Override
    public void destroy() {
        Runtime rt = runtime;
        runtime = null;
        if (rt == null) {
            return;
        }
        if (rt.ownsEngine()) {
            closeQuietly(rt.engine());
        }
        closeQuietly(rt.ownedStore());
    }

    /** Returns the running filter's engine (for tests); {@code null} before init and after destroy. */
    @Nullable Authenticator engine() {
        Runtime rt = runtime;
        return rt == null ? null : rt.engine();
    }

    /** Returns the running filter's metrics (for tests); {@code null} before init and after destroy. */
    @Nullable LatchkeyMetrics metrics() {
        Authenticator e = engine();
        return e == null ? null : e.metrics();
    }

    /** Returns the running filter's key cache (for tests); {@code null} before init and after destroy. */
    @Nullable KeyCache cache() {
        Authenticator e = engine();
        return e == null ? null : e.cache();
    }

    private static void closeQuietly(@Nullable AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Could not close {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
