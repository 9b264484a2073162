package dev.latchkey.engine;

import dev.latchkey.core.TokenCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link AuthSettings}. Every setter checks its value at once and throws {@link IllegalArgumentException}
 * whose message starts with the setter's name ({@code cacheTtl: must be positive}); {@link #set(String, String)}
 * parses the text form of a setting into the same setters and names the setting instead
 * ({@code latchkey.cache.ttl: must be positive}). Not thread-safe; {@link #build()} may be called more than once.
 *
 * @since 0.1
 */
public final class AuthSettingsBuilder {

    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
    private static final Pattern REALM_TEXT = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]{1,64}");

    /** A bad value, with the problem apart from the name of the setter that found it. */
    private static final class BadSetting extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String problem;

        BadSetting(String method, String problem, @Nullable Throwable cause) {
            super(method + ": " + problem, cause);
            this.problem = problem;
        }
    }

    private @Nullable String storeUrl;
    private @Nullable String pepper;
    private String tokenPrefix = TokenCodec.DEFAULT_PREFIX;
    private @Nullable String apiKeyHeader = AuthSettings.DEFAULT_API_KEY_HEADER;
    private final List<RouteRules.Rule> rules = new ArrayList<>();
    private final List<PathPattern> excludes = new ArrayList<>();
    private ClientAddresses trustedProxies = ClientAddresses.NONE;
    private long cacheMaxSize = AuthSettings.DEFAULT_CACHE_MAX_SIZE;
    private Duration cacheTtl = KeyCache.DEFAULT_TTL;
    private Duration negativeTtl = KeyCache.DEFAULT_NEGATIVE_TTL;
    private Duration staleIfError = KeyCache.DEFAULT_STALE_IF_ERROR;
    private Duration usageFlushInterval = Duration.ofSeconds(1);
    private String realm = AuthSettings.DEFAULT_REALM;
    private boolean allowPreflight;
    private long authFailureLimit = AuthSettings.DEFAULT_AUTH_FAILURE_LIMIT;
    private Duration authFailurePeriod = AuthSettings.DEFAULT_AUTH_FAILURE_PERIOD;
    private Duration rateLimitStoreTimeout = AuthSettings.DEFAULT_RATE_LIMIT_STORE_TIMEOUT;
    private AuthSettings.OnStoreError rateLimitOnStoreError = AuthSettings.OnStoreError.LOCAL;

    AuthSettingsBuilder() {
    }

    AuthSettingsBuilder(AuthSettings s) {
        this.storeUrl = s.storeUrl();
        this.pepper = s.pepper();
        this.tokenPrefix = s.tokenPrefix();
        this.apiKeyHeader = s.apiKeyHeader();
        this.rules.addAll(s.rules().rules());
        this.excludes.addAll(s.excludes());
        this.trustedProxies = s.trustedProxies();
        this.cacheMaxSize = s.cacheMaxSize();
        this.cacheTtl = s.cacheTtl();
        this.negativeTtl = s.negativeTtl();
        this.staleIfError = s.staleIfError();
        this.usageFlushInterval = s.usageFlushInterval();
        this.realm = s.realm();
        this.allowPreflight = s.allowPreflight();
        this.authFailureLimit = s.authFailureLimit();
        this.authFailurePeriod = s.authFailurePeriod();
        this.rateLimitStoreTimeout = s.rateLimitStoreTimeout();
        this.rateLimitOnStoreError = s.rateLimitOnStoreError();
    }

    /** Sets the store URL to open when none is given in code; {@code null} or blank clears it. */
    public AuthSettingsBuilder storeUrl(@Nullable String url) {
        this.storeUrl = url == null || url.isBlank() ? null : url.strip();
        return this;
    }

    /** Sets the issuer's pepper; {@code null} or empty means none (plain SHA-256). */
    public AuthSettingsBuilder pepper(@Nullable String pepper) {
        this.pepper = pepper == null || pepper.isEmpty() ? null : pepper;
        return this;
    }

    /**
     * Sets the prefix of generated tokens (default {@code lk}).
     *
     * @throws IllegalArgumentException when not 1 to 16 ASCII letters or digits
     */
    public AuthSettingsBuilder tokenPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        check("tokenPrefix", () -> new TokenCodec(prefix));
        this.tokenPrefix = prefix;
        return this;
    }

    /**
     * Sets the second header that may carry a token (default {@code X-API-Key}); {@code null} or empty disables it.
     *
     * @throws IllegalArgumentException when not a header name, or {@code Authorization}
     */
    public AuthSettingsBuilder apiKeyHeader(@Nullable String header) {
        String h = header == null ? "" : header.strip();
        if (!h.isEmpty() && !HEADER_NAME.matcher(h).matches()) {
            throw new BadSetting("apiKeyHeader", "'" + h + "' is not a header name", null);
        }
        if (h.equalsIgnoreCase("Authorization")) {
            throw new BadSetting("apiKeyHeader", "Authorization is always read; name another header", null);
        }
        this.apiKeyHeader = h.isEmpty() ? null : h;
        return this;
    }

    /**
     * Replaces the route rules with those of the text grammar: {@code GET /reports/** reports:read; POST /reports/**
     * reports:write cost=5}.
     *
     * @throws IllegalArgumentException naming the bad rule
     */
    public AuthSettingsBuilder scopes(String rules) {
        Objects.requireNonNull(rules, "rules");
        RouteRules parsed = check("scopes", () -> RouteRules.parse(rules));
        this.rules.clear();
        this.rules.addAll(parsed.rules());
        return this;
    }

    /**
     * Adds a route rule after those already set: requests with {@code method} ({@code *} = any; {@code HEAD} counts
     * as {@code GET}) whose path matches {@code pattern} need every scope given.
     *
     * @throws IllegalArgumentException when the method, pattern or a scope is invalid
     */
    public AuthSettingsBuilder rule(String method, String pattern, String... scopes) {
        rules.add(check("rule", () -> RouteRules.Rule.of(method, pattern, 1, List.of(scopes))));
        return this;
    }

    /**
     * Adds a route rule with a cost per request (0 to 1,000,000 units of the key's rate limit and quota).
     *
     * @throws IllegalArgumentException when the method, pattern, cost or a scope is invalid
     */
    public AuthSettingsBuilder rule(String method, String pattern, long cost, String... scopes) {
        rules.add(check("rule", () -> RouteRules.Rule.of(method, pattern, cost, List.of(scopes))));
        return this;
    }

    /**
     * Sets the path patterns that need no key, such as {@code /health} or {@code /public/**} (replacing earlier ones).
     *
     * @throws IllegalArgumentException when a pattern is invalid
     */
    public AuthSettingsBuilder exclude(String... patterns) {
        List<PathPattern> parsed = new ArrayList<>();
        for (String text : patterns) {
            for (String p : Objects.requireNonNull(text, "pattern").split("[,\\s]+")) {
                if (!p.isEmpty()) {
                    parsed.add(check("exclude", () -> PathPattern.parse(p)));
                }
            }
        }
        excludes.clear();
        excludes.addAll(parsed);
        return this;
    }

    /**
     * Sets the hops whose {@code Forwarded} / {@code X-Forwarded-For} are believed: addresses or CIDRs (no host bits).
     *
     * @throws IllegalArgumentException when one is not an address or CIDR
     */
    public AuthSettingsBuilder trustedProxies(String... cidrs) {
        String text = String.join(",", cidrs);
        this.trustedProxies = text.isBlank() ? ClientAddresses.NONE
                : check("trustedProxies", () -> ClientAddresses.parse(text));
        return this;
    }

    /**
     * Sets the most keys cached (default 100,000).
     *
     * @throws IllegalArgumentException when not positive
     */
    public AuthSettingsBuilder cacheMaxSize(long maxSize) {
        if (maxSize <= 0) {
            throw new BadSetting("cacheMaxSize", "must be positive", null);
        }
        this.cacheMaxSize = maxSize;
        return this;
    }

    /**
     * Sets the longest a node serves a key it was not told about (default 60 s).
     *
     * @throws IllegalArgumentException when not positive
     */
    public AuthSettingsBuilder cacheTtl(Duration ttl) {
        this.cacheTtl = duration("cacheTtl", ttl, false);
        return this;
    }

    /**
     * Sets how long an unknown key id is remembered as unknown (default 5 s; zero disables).
     *
     * @throws IllegalArgumentException when negative
     */
    public AuthSettingsBuilder negativeTtl(Duration ttl) {
        this.negativeTtl = duration("negativeTtl", ttl, true);
        return this;
    }

    /**
     * Sets how long a cached key is still served while the store is unreachable (default 5 min; zero disables).
     *
     * @throws IllegalArgumentException when negative
     */
    public AuthSettingsBuilder staleIfError(Duration window) {
        this.staleIfError = duration("staleIfError", window, true);
        return this;
    }

    /**
     * Sets how often counted uses are written to the store (default 1 s; zero = only on close).
     *
     * @throws IllegalArgumentException when negative
     */
    public AuthSettingsBuilder usageFlushInterval(Duration interval) {
        this.usageFlushInterval = duration("usageFlushInterval", interval, true);
        return this;
    }

    /**
     * Sets the realm of {@code WWW-Authenticate} (default {@code latchkey}).
     *
     * @throws IllegalArgumentException when not 1 to 64 printable ASCII characters without {@code "} or {@code \}
     */
    public AuthSettingsBuilder realm(String realm) {
        String r = Objects.requireNonNull(realm, "realm").strip();
        if (!REALM_TEXT.matcher(r).matches()) {
            throw new BadSetting("realm", "must be 1 to 64 printable ASCII characters without \" or \\", null);
        }
        this.realm = r;
        return this;
    }

    /** Sets whether a CORS preflight ({@code OPTIONS} without credentials) passes without a key (default false). */
    public AuthSettingsBuilder allowPreflight(boolean allow) {
        this.allowPreflight = allow;
        return this;
    }

    /**
     * Sets how many failed authentications one client address may make per period (default 1000; 0 = no limit).
     *
     * @throws IllegalArgumentException when negative
     */
    public AuthSettingsBuilder authFailureLimit(long limit) {
        if (limit < 0) {
            throw new BadSetting("authFailureLimit", "must be zero or more", null);
        }
        this.authFailureLimit = limit;
        return this;
    }

    /**
     * Sets the period of the failed-authentication count (default 1 min).
     *
     * @throws IllegalArgumentException when not at least one second
     */
    public AuthSettingsBuilder authFailurePeriod(Duration period) {
        Duration p = duration("authFailurePeriod", period, false);
        if (p.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new BadSetting("authFailurePeriod", "must be at least one second", null);
        }
        this.authFailurePeriod = p;
        return this;
    }

    /**
     * Sets how long a rate-limit or quota charge waits for the store before {@link #rateLimitOnStoreError} applies
     * (default 250 ms).
     *
     * @throws IllegalArgumentException when not positive
     */
    public AuthSettingsBuilder rateLimitStoreTimeout(Duration timeout) {
        this.rateLimitStoreTimeout = duration("rateLimitStoreTimeout", timeout, false);
        return this;
    }

    /** Sets what a charge does when the store does not answer in time (default {@code LOCAL}). */
    public AuthSettingsBuilder rateLimitOnStoreError(AuthSettings.OnStoreError mode) {
        this.rateLimitOnStoreError = Objects.requireNonNull(mode, "rateLimitOnStoreError");
        return this;
    }

    /**
     * Sets one setting from its text form, by its name in API.md §5 ({@code latchkey.cache.ttl}: ISO-8601
     * durations, whole numbers, {@code true}/{@code false}). An empty value restores the default, except for
     * {@code latchkey.api-key-header}, where it disables the header.
     *
     * @throws IllegalArgumentException whose message starts with {@code name}, for an unknown name or a bad value
     */
    public AuthSettingsBuilder set(String name, @Nullable String value) {
        Objects.requireNonNull(name, "name");
        String v = value == null ? "" : value.strip();
        boolean blank = v.isEmpty();
        try {
            switch (name) {
                case AuthSettings.REDIS_URL -> storeUrl(v);
                case AuthSettings.PEPPER -> pepper(value);
                case AuthSettings.TOKEN_PREFIX -> tokenPrefix(blank ? TokenCodec.DEFAULT_PREFIX : v);
                case AuthSettings.API_KEY_HEADER -> apiKeyHeader(value == null ? AuthSettings.DEFAULT_API_KEY_HEADER : v);
                case AuthSettings.SCOPES -> scopes(v);
                case AuthSettings.EXCLUDE -> exclude(v);
                case AuthSettings.TRUSTED_PROXIES -> trustedProxies(v);
                case AuthSettings.CACHE_MAX_SIZE -> cacheMaxSize(blank ? AuthSettings.DEFAULT_CACHE_MAX_SIZE : SettingValues.number(v));
                case AuthSettings.CACHE_TTL -> cacheTtl(blank ? KeyCache.DEFAULT_TTL : SettingValues.parseDuration(v));
                case AuthSettings.NEGATIVE_TTL -> negativeTtl(blank ? KeyCache.DEFAULT_NEGATIVE_TTL : SettingValues.parseDuration(v));
                case AuthSettings.STALE_IF_ERROR ->
                        staleIfError(blank ? KeyCache.DEFAULT_STALE_IF_ERROR : SettingValues.parseDuration(v));
                case AuthSettings.FLUSH_INTERVAL -> usageFlushInterval(blank ? Duration.ofSeconds(1) : SettingValues.parseDuration(v));
                case AuthSettings.REALM -> realm(blank ? AuthSettings.DEFAULT_REALM : v);
                case AuthSettings.ALLOW_PREFLIGHT -> allowPreflight(!blank && SettingValues.bool(v));
                case AuthSettings.AUTH_FAILURE_LIMIT ->
                        authFailureLimit(blank ? AuthSettings.DEFAULT_AUTH_FAILURE_LIMIT : SettingValues.number(v));
                case AuthSettings.AUTH_FAILURE_PERIOD ->
                        authFailurePeriod(blank ? AuthSettings.DEFAULT_AUTH_FAILURE_PERIOD : SettingValues.parseDuration(v));
                case AuthSettings.RATE_LIMIT_STORE_TIMEOUT -> rateLimitStoreTimeout(
                        blank ? AuthSettings.DEFAULT_RATE_LIMIT_STORE_TIMEOUT : SettingValues.parseDuration(v));
                case AuthSettings.RATE_LIMIT_ON_STORE_ERROR -> rateLimitOnStoreError(blank
                        ? AuthSettings.OnStoreError.LOCAL : SettingValues.onStoreError(v));
                default -> throw new IllegalArgumentException("unknown setting (known: " + AuthSettings.knownNames()
                        + ")");
            }
        } catch (BadSetting e) {
            throw new IllegalArgumentException(name + ": " + e.problem, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Returns the settings. */
    public AuthSettings build() {
        return new AuthSettings(storeUrl, pepper, tokenPrefix, apiKeyHeader, RouteRules.of(rules), excludes,
                trustedProxies, cacheMaxSize, cacheTtl, negativeTtl, staleIfError, usageFlushInterval, realm,
                allowPreflight, authFailureLimit, authFailurePeriod, rateLimitStoreTimeout, rateLimitOnStoreError);
    }

    private static Duration duration(String method, Duration d, boolean zeroOk) {
        Objects.requireNonNull(d, method);
        if (d.isNegative() || (!zeroOk && d.isZero())) {
            throw new BadSetting(method, zeroOk ? "must be zero or more" : "must be positive", null);
        }
        return d;
    }

    private static <T> T check(String method, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new BadSetting(method, String.valueOf(e.getMessage()), e);
        }
    }
}
