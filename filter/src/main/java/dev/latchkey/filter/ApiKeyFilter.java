package dev.latchkey.filter;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.latchkey.cache.KeyCache;
import dev.latchkey.cache.LatchkeyMetrics;
import dev.latchkey.core.IpAddresses;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreProvider;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.UsageRecorder;
import dev.latchkey.core.Verification;
import dev.latchkey.core.Verifier;
import inet.ipaddr.IPAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
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
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop-in API-key filter (API.md §5): it reads a token from {@code Authorization: Bearer|Token} or the
 * {@code X-API-Key} header, verifies it through the shared {@link KeyCache} and core's {@link Verifier} (form and
 * checksum, key, secret in constant time, status, expiry, client address, route scopes), counts the use, and hands
 * the application an {@link ApiKeyPrincipal}. Denials are RFC 9457 problem bodies with RFC 6750
 * {@code WWW-Authenticate}.
 *
 * <p>Two ways to set it up:
 * <ul>
 *   <li>in code, {@code ApiKeyFilter.builder(keyStore)…build()}, then registered with the container (the caller owns
 *       the store and closes it);</li>
 *   <li>by init-params in {@code web.xml} or {@code FilterRegistration} on an instance made with the public
 *       no-argument constructor; {@code latchkey.redis-url} then names the store, which the filter opens through
 *       {@link KeyStoreProvider} (the {@code latchkey-redis} jar must be on the class path), owns and closes. Values
 *       may be written {@code ${NAME}} or {@code ${NAME:default}} (system property, else environment variable,
 *       else default). A filter built in code ignores init-params.</li>
 * </ul>
 * Invalid settings fail {@link #init} with a message naming the setting. The filter acts on {@code REQUEST}
 * dispatches only. {@link #destroy()} flushes counted uses, stops the threads the filter started, closes a store it
 * opened and removes its meters. Without a registry in code it registers on {@link Metrics#globalRegistry}.
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
    private static final int MAX_CREDENTIAL_HEADERS = 64;

    /** What the filter builds at init and releases at destroy. */
    private record Runtime(FilterSettings settings, KeyStore store, boolean ownsStore, KeyCache cache,
            UsageRecorder recorder, LatchkeyMetrics metrics, Verifier verifier) {
    }

    private final @Nullable KeyStore givenStore;
    private final @Nullable FilterSettings codeSettings;
    private final @Nullable MeterRegistry givenRegistry;
    private final Tags meterTags;
    private final Clock clock;
    private final Ticker ticker;
    private volatile @Nullable Runtime runtime;

    /** Creates a filter configured by init-params at {@link #init} (for {@code web.xml} and similar). */
    public ApiKeyFilter() {
        this.givenStore = null;
        this.codeSettings = null;
        this.givenRegistry = null;
        this.meterTags = Tags.empty();
        this.clock = Clock.systemUTC();
        this.ticker = Ticker.systemTicker();
    }

    private ApiKeyFilter(Builder b, FilterSettings settings) {
        this.givenStore = b.store;
        this.codeSettings = settings;
        this.givenRegistry = b.registry;
        this.meterTags = b.tags;
        this.clock = b.clock;
        this.ticker = b.ticker;
    }

    /**
     * Starts a filter configured in code, on a store the caller owns.
     *
     * @throws NullPointerException when {@code store} is null
     */
    public static Builder builder(KeyStore store) {
        return new Builder(Objects.requireNonNull(store, "store"));
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        FilterSettings settings;
        try {
            settings = codeSettings != null ? codeSettings
                    : FilterSettings.fromInitParams(initParams(config), Placeholders.system()::resolve).validate();
        } catch (IllegalArgumentException e) {
            throw new ServletException("Latchkey filter '" + config.getFilterName() + "': " + e.getMessage());
        }
        String name = config.getFilterName();
        runtime = start(settings, name == null || name.isBlank() ? "latchkey" : name);
        LOG.info("Latchkey filter '{}' ready on a {} store ({} route rules, {} excludes, {} trusted proxies)",
                config.getFilterName(), runtime.store().kind(), settings.rules().rules().size(),
                settings.excludes().size(), settings.proxies().trustsAny() ? "with" : "no");
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

    private Runtime start(FilterSettings settings, String filterName) throws ServletException {
        KeyStore store = givenStore;
        boolean owns = false;
        if (store == null) {
            String url = settings.redisUrl();
            if (url == null) {
                throw new ServletException("Latchkey filter: " + FilterSettings.REDIS_URL
                        + " is required when no KeyStore is given in code");
            }
            try {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                store = KeyStoreProvider.openFirst(url, loader != null ? loader : ApiKeyFilter.class.getClassLoader());
            } catch (IllegalArgumentException | StoreUnavailableException e) {
                throw new ServletException("Latchkey filter: " + FilterSettings.REDIS_URL + ": " + e.getMessage());
            }
            owns = true;
        }
        MeterRegistry registry = givenRegistry != null ? givenRegistry : Metrics.globalRegistry;
        LatchkeyMetrics metrics = null;
        UsageRecorder recorder = null;
        KeyCache cache = null;
        try {
            SecretHasher hasher = SecretHasher.forPepper(settings.pepper());
            TokenCodec codec = new TokenCodec(settings.tokenPrefix());
            checkIssuer(store, hasher, codec);
            metrics = LatchkeyMetrics.createDistinct(registry, meterTags, "filter", filterName);
            if (!metrics.tags().equals(meterTags)) {
                LOG.warn("Latchkey filter '{}': another Latchkey filter already reports on this meter registry;"
                        + " this one tags its meters {} so the two never share counters. Give each filter its own"
                        + " meterTags (a Prometheus registry exports only one set of tag keys per name).",
                        filterName, metrics.tags());
            }
            recorder = UsageRecorder.builder(store)
                    .flushInterval(settings.flushInterval())
                    .listener(metrics.flushListener())
                    .build();
            metrics.bindUsage(recorder);
            cache = KeyCache.builder(store)
                    .maxSize(settings.cacheMaxSize())
                    .ttl(settings.cacheTtl())
                    .negativeTtl(settings.negativeTtl())
                    .staleIfError(settings.staleIfError())
                    .ticker(ticker)
                    .meterRegistry(registry)
                    .tags(metrics.tags())
                    .build();
            Verifier verifier = new Verifier(cache, codec, hasher, clock, recorder);
            return new Runtime(settings, store, owns, cache, recorder, metrics, verifier);
        } catch (RuntimeException e) {
            closeQuietly(cache);
            closeQuietly(recorder);
            closeQuietly(metrics);
            if (owns) {
                closeQuietly(store);
            }
            throw new ServletException("Latchkey filter could not start: " + e.getMessage(), e);
        }
    }

    private static void checkIssuer(KeyStore store, SecretHasher hasher, TokenCodec codec) {
        try {
            String check = store.setting(KeyStore.HASHER_CHECK);
            if (check != null && !check.equals(hasher.checkValue())) {
                LOG.warn("{} differs from the pepper the admin service issued this store's keys with ({}):"
                        + " every token will be rejected. Set it to the admin service's LATCHKEY_PEPPER.",
                        FilterSettings.PEPPER, hasher.peppered() ? "a different pepper" : "the filter has none");
            }
            String prefix = store.setting(KeyStore.TOKEN_PREFIX);
            if (prefix != null && !prefix.equals(codec.prefix())) {
                LOG.warn("{} is '{}' but this store's keys were issued with prefix '{}': every generated token will be"
                        + " rejected. Set it to the admin service's LATCHKEY_TOKEN_PREFIX.",
                        FilterSettings.TOKEN_PREFIX, codec.prefix(), prefix);
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
            Problems.write(request, response, clock, 503, "store_unavailable", "Store unavailable",
                    "The API-key filter is not running", null);
            return;
        }
        long start = System.nanoTime();
        Decision decision;
        try {
            decision = authenticate(rt, request, response, start);
        } catch (RuntimeException e) {
            LOG.error("API-key check failed unexpectedly for {} {}", request.getMethod(), request.getRequestURI(), e);
            if (!response.isCommitted()) {
                Problems.write(request, response, clock, 500, "internal", "Internal error",
                        "The API key could not be checked", null);
            }
            return;
        }
        ApiKeyPrincipal principal = decision.principal();
        if (principal != null) {
            AuthenticatedRequest wrapped = new AuthenticatedRequest(request, principal);
            wrapped.setAttribute(KEY_ATTRIBUTE, principal);
            chain.doFilter(wrapped, response);
        } else if (decision.proceed()) {
            chain.doFilter(request, response);
        }
    }

    /** What to do with a request: pass it on (with a principal, or unauthenticated), or stop (denial written). */
    private record Decision(boolean proceed, @Nullable ApiKeyPrincipal principal) {
        static final Decision PASS = new Decision(true, null);
        static final Decision DENIED = new Decision(false, null);
    }

    /**
     * Decides one request; a denial is written here.
     */
    private Decision authenticate(Runtime rt, HttpServletRequest request,
            HttpServletResponse response, long start) throws IOException {
        FilterSettings s = rt.settings();
        String path = RequestPaths.applicationPath(request.getRequestURI(), request.getContextPath());
        if (path == null) {
            rt.metrics().recorded(LatchkeyMetrics.Outcome.INVALID_REQUEST, System.nanoTime() - start);
            Problems.write(request, response, clock, 400, "invalid_request", "Invalid request",
                    "The request path is refused: an encoded '/' or '\\', a control character, invalid"
                            + " percent-encoding, or '..' above the root", null);
            return Decision.DENIED;
        }
        for (PathPattern p : s.excludes()) {
            if (p.matches(path)) {
                return Decision.PASS;
            }
        }
        String token = null;
        boolean conflict = false;
        int seen = 0;
        for (Enumeration<String> e = request.getHeaders("Authorization"); e != null && e.hasMoreElements(); ) {
            String value = credentialOf(e.nextElement());
            if (value != null) {
                if (++seen > MAX_CREDENTIAL_HEADERS) {
                    conflict = true;
                    break;
                }
                if (token == null) {
                    token = value;
                } else if (!token.equals(value)) {
                    conflict = true;
                }
            }
        }
        if (s.apiKeyHeader() != null) {
            for (Enumeration<String> e = request.getHeaders(s.apiKeyHeader()); e != null && e.hasMoreElements(); ) {
                String value = e.nextElement().strip();
                if (value.isEmpty()) {
                    continue;
                }
                if (++seen > MAX_CREDENTIAL_HEADERS) {
                    conflict = true;
                    break;
                }
                if (token == null) {
                    token = value;
                } else if (!token.equals(value)) {
                    conflict = true;
                }
            }
        }
        if (conflict) {
            rt.metrics().recorded(LatchkeyMetrics.Outcome.INVALID_REQUEST, System.nanoTime() - start);
            Problems.write(request, response, clock, 400, "invalid_request", "Invalid request",
                    "The request carries more than one different API key", s.invalidRequestChallenge());
            return Decision.DENIED;
        }
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (token == null) {
            if (s.allowPreflight() && method.equals("OPTIONS")) {
                return Decision.PASS;
            }
            rt.metrics().recorded(LatchkeyMetrics.Outcome.MISSING, System.nanoTime() - start);
            Problems.write(request, response, clock, 401, "unauthenticated", "Unauthenticated",
                    "missing: send an API key in Authorization: Bearer"
                            + (s.apiKeyHeader() == null ? "" : " or " + s.apiKeyHeader()), s.challenge());
            return Decision.DENIED;
        }
        List<String> required = s.rules().required(method, path);
        IPAddress client = s.proxies().trustsAny()
                ? s.proxies().clientOf(request.getRemoteAddr(), request.getHeaders("Forwarded"),
                        request.getHeaders("X-Forwarded-For"))
                : ClientAddresses.parseHost(request.getRemoteAddr());
        Verification v;
        try {
            v = rt.verifier().verify(token, client, required);
        } catch (StoreUnavailableException e) {
            rt.metrics().recorded(LatchkeyMetrics.Outcome.STORE_UNAVAILABLE, System.nanoTime() - start);
            LOG.debug("Key store unavailable: {}", e.getMessage());
            response.setHeader("Retry-After", "1");
            Problems.write(request, response, clock, 503, "store_unavailable", "Store unavailable",
                    "The key store cannot be reached; try again shortly", null);
            return Decision.DENIED;
        }
        rt.metrics().recorded(v.code(), System.nanoTime() - start);
        String invalid = s.invalidTokenChallenge();
        switch (v.code()) {
            case VALID -> {
                if (v.previousSecret()) {
                    rt.metrics().previousTokenUsed();
                }
                return new Decision(true, new ApiKeyPrincipal(Objects.requireNonNull(v.key()),
                        client == null ? null : IpAddresses.canonical(client)));
            }
            case MALFORMED -> Problems.write(request, response, clock, 401, "unauthenticated", "Unauthenticated",
                    "malformed: the API key is not a valid token", invalid);
            case NOT_FOUND -> Problems.write(request, response, clock, 401, "unauthenticated", "Unauthenticated",
                    "not_found: the API key is not known", invalid);
            case INACTIVE -> Problems.write(request, response, clock, 401, "unauthenticated", "Unauthenticated",
                    "inactive: the API key is inactive", invalid);
            case BLOCKED -> Problems.write(request, response, clock, 401, "unauthenticated", "Unauthenticated",
                    "blocked: the API key is blocked", invalid);
            case EXPIRED -> Problems.write(request, response, clock, 401, "unauthenticated", "Unauthenticated",
                    "expired: the API key has expired", invalid);
            case IP_NOT_ALLOWED -> Problems.write(request, response, clock, 403, "ip_not_allowed",
                    "IP address not allowed", "ip_not_allowed: the key may not be used from this address", null);
            case INSUFFICIENT_SCOPE -> Problems.write(request, response, clock, 403, "insufficient_scope",
                    "Insufficient scope", "insufficient_scope: this request needs " + String.join(" ", required),
                    s.challenge() + ", error=\"insufficient_scope\", scope=\"" + String.join(" ", required) + "\"");
            case RATE_LIMITED -> {
                response.setHeader("Retry-After", "1");
                Problems.write(request, response, clock, 429, "rate_limited", "Rate limited",
                        "rate_limited: too many requests for this key", null, 1L);
            }
        }
        return Decision.DENIED;
    }

    /** Returns the credential of an {@code Authorization} value with the Bearer or Token scheme, else null. */
    private static @Nullable String credentialOf(@Nullable String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        int sp = 0;
        while (sp < h.length() && h.charAt(sp) != ' ' && h.charAt(sp) != '\t') {
            sp++;
        }
        String scheme = h.substring(0, sp);
        if (!scheme.equalsIgnoreCase("Bearer") && !scheme.equalsIgnoreCase("Token")) {
            return null;
        }
        return h.substring(sp).strip();
    }

    /**
     * Flushes counted uses, stops the usage thread, stops listening to the store, removes the filter's meters, and
     * closes the store if the filter opened it.
     */
    @Override
    public void destroy() {
        Runtime rt = runtime;
        runtime = null;
        if (rt == null) {
            return;
        }
        closeQuietly(rt.recorder());
        closeQuietly(rt.cache());
        closeQuietly(rt.metrics());
        if (rt.ownsStore()) {
            closeQuietly(rt.store());
        }
    }

    /** Returns the running filter's metrics (for tests); {@code null} before init and after destroy. */
    @Nullable LatchkeyMetrics metrics() {
        Runtime rt = runtime;
        return rt == null ? null : rt.metrics();
    }

    /** Returns the running filter's key cache (for tests); {@code null} before init and after destroy. */
    @Nullable KeyCache cache() {
        Runtime rt = runtime;
        return rt == null ? null : rt.cache();
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

    /**
     * Configures an {@link ApiKeyFilter} in code, with every setting of API.md §5 (the store replaces
     * {@code latchkey.redis-url}). Unset settings take their documented defaults. {@link #build()} validates them and
     * throws {@link IllegalArgumentException} naming the first bad one.
     */
    public static final class Builder {
        private final KeyStore store;
        private final FilterSettings.Raw raw = new FilterSettings.Raw();
        private @Nullable MeterRegistry registry;
        private Tags tags = Tags.empty();
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.systemTicker();

        private Builder(KeyStore store) {
            this.store = store;
        }

        /** Sets the pepper the admin service uses ({@code latchkey.pepper}); {@code null} or empty means none. */
        public Builder pepper(@Nullable String pepper) {
            raw.pepper = pepper;
            return this;
        }

        /** Sets the prefix of generated tokens ({@code latchkey.token-prefix}, default {@code lk}). */
        public Builder tokenPrefix(String prefix) {
            raw.tokenPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** Sets the second header that may carry the token (default {@code X-API-Key}); empty disables it. */
        public Builder apiKeyHeader(String header) {
            raw.apiKeyHeader = Objects.requireNonNull(header, "header");
            return this;
        }

        /** Sets the route rules ({@code latchkey.scopes}), e.g. {@code GET /reports/** reports:read; POST /reports/** reports:write}. */
        public Builder scopes(String rules) {
            raw.scopes = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /** Sets the path patterns that need no key ({@code latchkey.exclude}), e.g. {@code /health}, {@code /public/**}. */
        public Builder exclude(String... patterns) {
            raw.exclude = String.join(",", patterns);
            return this;
        }

        /** Sets the proxies whose {@code Forwarded}/{@code X-Forwarded-For} is believed (CIDRs or addresses). */
        public Builder trustedProxies(String... cidrs) {
            raw.trustedProxies = String.join(",", cidrs);
            return this;
        }

        /** Sets the most keys cached ({@code latchkey.cache.max-size}, default 100000). */
        public Builder cacheMaxSize(long maxSize) {
            raw.cacheMaxSize = Long.toString(maxSize);
            return this;
        }

        /** Sets how long a key is served without a read or an event ({@code latchkey.cache.ttl}, default PT60S). */
        public Builder cacheTtl(Duration ttl) {
            raw.cacheTtl = ttl.toString();
            return this;
        }

        /** Sets how long an unknown key id is remembered ({@code latchkey.cache.negative-ttl}, default PT5S). */
        public Builder negativeTtl(Duration ttl) {
            raw.negativeTtl = ttl.toString();
            return this;
        }

        /** Sets how long a cached key is served while the store is unreachable (default PT5M). */
        public Builder staleIfError(Duration window) {
            raw.staleIfError = window.toString();
            return this;
        }

        /** Sets how often counted uses are written ({@code latchkey.usage.flush-interval}, default PT1S). */
        public Builder usageFlushInterval(Duration interval) {
            raw.flushInterval = interval.toString();
            return this;
        }

        /** Sets the realm in {@code WWW-Authenticate} (default {@code latchkey}). */
        public Builder realm(String realm) {
            raw.realm = Objects.requireNonNull(realm, "realm");
            return this;
        }

        /** Passes CORS preflight ({@code OPTIONS} without credentials) to the application (default false). */
        public Builder allowPreflight(boolean allow) {
            raw.allowPreflight = Boolean.toString(allow);
            return this;
        }

        /** Sets the registry for the filter's meters (default {@link Metrics#globalRegistry}). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Adds bounded tags to every meter of this filter, to keep two filters on one registry apart. */
        public Builder meterTags(Iterable<Tag> tags) {
            this.tags = Tags.of(tags);
            return this;
        }

        /** Sets the clock for expiry and grace windows (default the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets the ticker of the cache's expiry (default the system ticker); tests pass a fake one. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Validates the settings and builds the filter; the container then calls {@code init}.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public ApiKeyFilter build() {
            return new ApiKeyFilter(this, raw.validate());
        }
    }
}
