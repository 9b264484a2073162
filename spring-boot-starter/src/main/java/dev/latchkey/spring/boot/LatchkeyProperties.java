package dev.latchkey.spring.boot;

import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.AuthSettingsBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The {@code latchkey.*} properties: one for each setting of API.md §5 (the filter's init-params), with the same
 * names and defaults, plus {@code latchkey.filter.*} for the servlet filter's registration. Durations may be written
 * as Spring Boot reads them ({@code PT60S}, {@code 60s}); every value is then checked by parsing it into the engine's
 * {@link AuthSettingsBuilder} ({@link #toSettings()}), so a bad value stops the application with a message that names
 * the property. Defaults are written as literals (so that the configuration metadata shows them); a test checks
 * that they are the engine's.
 *
 * @since 0.1
 */
@ConfigurationProperties(prefix = "latchkey")
public class LatchkeyProperties {

    /**
     * The key store: redis://, rediss://, redis-sentinel:// or a comma-separated node list for Redis Cluster. Unset:
     * an in-memory store, empty at every start (a warning is logged).
     */
    private @Nullable String redisUrl;

    /** HMAC key for hashing secrets; must match the admin service's LATCHKEY_PEPPER. Unset: plain SHA-256. */
    private @Nullable String pepper;

    /** The first part of generated tokens; must match the admin service's LATCHKEY_TOKEN_PREFIX. */
    private String tokenPrefix = "lk";

    /**
     * A second header that may carry the token (empty disables it); Authorization: Bearer and Token always work.
     */
    private String apiKeyHeader = "X-API-Key";

    /**
     * Route rules, ';'-separated: "METHOD /path/** scope [scope...]", e.g. "GET /reports/** reports:read; POST
     * /reports/** reports:write". Method '*' = any; HEAD counts as GET; the first match wins; unmatched paths need any
     * valid key.
     */
    private @Nullable String scopes;

    /** Path patterns that need no key, e.g. /actuator/health, /public/**. */
    private List<String> exclude = new ArrayList<>();

    /** CIDRs or addresses whose X-Forwarded-For / Forwarded is believed (Forwarded wins). None by default. */
    private List<String> trustedProxies = new ArrayList<>();

    /** The key cache. */
    private final Cache cache = new Cache();

    /** Usage counting. */
    private final Usage usage = new Usage();

    /** Realm in WWW-Authenticate. */
    private String realm = "latchkey";

    /** Whether a CORS preflight (OPTIONS without credentials) passes to the application without a key. */
    private boolean allowPreflight;

    /** The failed-authentication throttle. */
    private final AuthFailure authFailure = new AuthFailure();

    /** Rate limits and quotas when the store does not answer (API.md §8). */
    private final RateLimit rateLimit = new RateLimit();

    /** The servlet filter's registration (when Spring Security does not authenticate keys). */
    private final Filter filter = new Filter();

    /** The key cache settings ({@code latchkey.cache.*}). */
    public static class Cache {

        /** Cached keys at most. */
        private long maxSize = 100_000;

        /** The longest a node serves a key it was not told about. */
        private Duration ttl = Duration.ofSeconds(60);

        /** How long an unknown key id is remembered as unknown. */
        private Duration negativeTtl = Duration.ofSeconds(5);

        /** How long a cached key is still served while the store is unreachable. */
        private Duration staleIfError = Duration.ofMinutes(5);

        public long getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(long maxSize) {
            this.maxSize = maxSize;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Duration getNegativeTtl() {
            return negativeTtl;
        }

        public void setNegativeTtl(Duration negativeTtl) {
            this.negativeTtl = negativeTtl;
        }

        public Duration getStaleIfError() {
            return staleIfError;
        }

        public void setStaleIfError(Duration staleIfError) {
            this.staleIfError = staleIfError;
        }
    }

    /** Usage settings ({@code latchkey.usage.*}). */
    public static class Usage {

        /** How often counted uses are written to the store. */
        private Duration flushInterval = Duration.ofSeconds(1);

        public Duration getFlushInterval() {
            return flushInterval;
        }

        public void setFlushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
        }
    }

    /** The failed-authentication throttle ({@code latchkey.auth-failure.*}). */
    public static class AuthFailure {

        /**
         * Failed authentications (401) per client address per period; past it, tokens the cache cannot answer get 429
         * too_many_failures without a store read (0 disables).
         */
        private long limit = 1000;

        /** The period of that count. */
        private Duration period = Duration.ofMinutes(1);

        public long getLimit() {
            return limit;
        }

        public void setLimit(long limit) {
            this.limit = limit;
        }

        public Duration getPeriod() {
            return period;
        }

        public void setPeriod(Duration period) {
            this.period = period;
        }
    }

    /** What rate-limit and quota charges do when the store does not answer ({@code latchkey.rate-limit.*}). */
    public static class RateLimit {

        /** How long a rate-limit or quota charge waits for the store before on-store-error applies. */
        private Duration storeTimeout = Duration.ofMillis(250);

        /**
         * What a charge does when the store does not answer in time: local (each node enforces the rate limit alone
         * from memory, so N nodes may admit up to N x limit; a key with a quota answers 503), open (admit) or closed
         * (503).
         */
        private String onStoreError = "local";

        public Duration getStoreTimeout() {
            return storeTimeout;
        }

        public void setStoreTimeout(Duration storeTimeout) {
            this.storeTimeout = storeTimeout;
        }

        public String getOnStoreError() {
            return onStoreError;
        }

        public void setOnStoreError(String onStoreError) {
            this.onStoreError = onStoreError;
        }
    }

    /** The servlet filter's registration ({@code latchkey.filter.*}); not used under Spring Security. */
    public static class Filter {

        /** Whether the servlet filter is registered (when Spring Security is not on the class path). */
        private boolean enabled = true;

        /**
         * The filter's order: by default -100, after Spring Boot's character-encoding and observation filters (so
         * denials are observed and traced) and before the request-wrapping filters, where Spring Security's chain
         * would be.
         */
        private int order = -100;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getOrder() {
            return order;
        }

        public void setOrder(int order) {
            this.order = order;
        }
    }

    /**
     * Returns the engine settings, each value checked by the engine's builder under its §5 name.
     *
     * @throws InvalidConfigurationPropertyValueException naming the first bad property, its value and why
     */
    public AuthSettings toSettings() {
        AuthSettingsBuilder b = AuthSettings.builder();
        set(b, AuthSettings.REDIS_URL, redisUrl);
        set(b, AuthSettings.PEPPER, pepper);
        set(b, AuthSettings.TOKEN_PREFIX, tokenPrefix);
        set(b, AuthSettings.API_KEY_HEADER, apiKeyHeader);
        set(b, AuthSettings.SCOPES, scopes);
        set(b, AuthSettings.EXCLUDE, String.join(", ", exclude));
        set(b, AuthSettings.TRUSTED_PROXIES, String.join(", ", trustedProxies));
        set(b, AuthSettings.CACHE_MAX_SIZE, Long.toString(cache.maxSize));
        set(b, AuthSettings.CACHE_TTL, text(cache.ttl));
        set(b, AuthSettings.NEGATIVE_TTL, text(cache.negativeTtl));
        set(b, AuthSettings.STALE_IF_ERROR, text(cache.staleIfError));
        set(b, AuthSettings.FLUSH_INTERVAL, text(usage.flushInterval));
        set(b, AuthSettings.REALM, realm);
        set(b, AuthSettings.ALLOW_PREFLIGHT, Boolean.toString(allowPreflight));
        set(b, AuthSettings.AUTH_FAILURE_LIMIT, Long.toString(authFailure.limit));
        set(b, AuthSettings.AUTH_FAILURE_PERIOD, text(authFailure.period));
        set(b, AuthSettings.RATE_LIMIT_STORE_TIMEOUT, text(rateLimit.storeTimeout));
        set(b, AuthSettings.RATE_LIMIT_ON_STORE_ERROR, rateLimit.onStoreError);
        return b.build();
    }

    private static @Nullable String text(@Nullable Duration d) {
        return d == null ? null : d.toString();
    }

    private static void set(AuthSettingsBuilder b, String name, @Nullable String value) {
        try {
            b.set(name, value);
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            String reason = message.startsWith(name + ": ") ? message.substring(name.length() + 2) : message;
            throw new InvalidConfigurationPropertyValueException(name, value, reason);
        }
    }

    public @Nullable String getRedisUrl() {
        return redisUrl;
    }

    public void setRedisUrl(@Nullable String redisUrl) {
        this.redisUrl = redisUrl;
    }

    public @Nullable String getPepper() {
        return pepper;
    }

    public void setPepper(@Nullable String pepper) {
        this.pepper = pepper;
    }

    public String getTokenPrefix() {
        return tokenPrefix;
    }

    public void setTokenPrefix(String tokenPrefix) {
        this.tokenPrefix = tokenPrefix;
    }

    public String getApiKeyHeader() {
        return apiKeyHeader;
    }

    public void setApiKeyHeader(String apiKeyHeader) {
        this.apiKeyHeader = apiKeyHeader;
    }

    public @Nullable String getScopes() {
        return scopes;
    }

    public void setScopes(@Nullable String scopes) {
        this.scopes = scopes;
    }

    public List<String> getExclude() {
        return exclude;
    }

    public void setExclude(List<String> exclude) {
        this.exclude = exclude;
    }

    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public Cache getCache() {
        return cache;
    }

    public Usage getUsage() {
        return usage;
    }

    public String getRealm() {
        return realm;
    }

    public void setRealm(String realm) {
        this.realm = realm;
    }

    public boolean isAllowPreflight() {
        return allowPreflight;
    }

    public void setAllowPreflight(boolean allowPreflight) {
        this.allowPreflight = allowPreflight;
    }

    public AuthFailure getAuthFailure() {
        return authFailure;
    }

    public RateLimit getRateLimit() {
        return rateLimit;
    }

    public Filter getFilter() {
        return filter;
    }
}
