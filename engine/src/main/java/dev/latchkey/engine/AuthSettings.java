package dev.latchkey.engine;

import dev.latchkey.core.TokenCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The settings of an {@link Authenticator}, validated: every setting of API.md §5 (the filter's init-params, the
 * gateway's environment, the Spring Boot starter's properties all name the same settings). Made with
 * {@link #builder()}, whose setters check each value at once, or from text with {@link #fromProperties}, which parses
 * each {@code latchkey.*} name into the same builder, as {@code CaffeineSpec} does for Caffeine.
 *
 * @param storeUrl           the store to open when none is given in code ({@code latchkey.redis-url}), or null
 * @param pepper             the issuer's pepper ({@code latchkey.pepper}), or null for plain SHA-256
 * @param tokenPrefix        the prefix of generated tokens ({@code latchkey.token-prefix})
 * @param apiKeyHeader       the second header that may carry a token ({@code latchkey.api-key-header}), or null
 * @param rules              the route rules ({@code latchkey.scopes})
 * @param excludes           paths that need no key ({@code latchkey.exclude})
 * @param trustedProxies     hops whose forwarding headers are believed ({@code latchkey.trusted-proxies})
 * @param cacheMaxSize       the most keys cached ({@code latchkey.cache.max-size})
 * @param cacheTtl           the longest a key is served without a read or an event ({@code latchkey.cache.ttl})
 * @param negativeTtl        how long an unknown id is remembered ({@code latchkey.cache.negative-ttl})
 * @param staleIfError       how long a cached key is served while the store is down ({@code latchkey.cache.stale-if-error})
 * @param usageFlushInterval how often counted uses are written ({@code latchkey.usage.flush-interval})
 * @param realm              the realm of {@code WWW-Authenticate} ({@code latchkey.realm})
 * @param allowPreflight     whether a CORS preflight passes without a key ({@code latchkey.allow-preflight})
 * @param authFailureLimit   failed authentications allowed per client address per period, 0 = no limit
 *                           ({@code latchkey.auth-failure.limit})
 * @param authFailurePeriod  the period of that count ({@code latchkey.auth-failure.period})
 * @param rateLimitStoreTimeout how long a charge waits for the store before the fallback applies
 *                           ({@code latchkey.rate-limit.store-timeout})
 * @param rateLimitOnStoreError what a charge does when the store does not answer ({@code latchkey.rate-limit.on-store-error})
 * @since 0.1
 */
public record AuthSettings(
        @Nullable String storeUrl,
        @Nullable String pepper,
        String tokenPrefix,
        @Nullable String apiKeyHeader,
        RouteRules rules,
        List<PathPattern> excludes,
        ClientAddresses trustedProxies,
        long cacheMaxSize,
        Duration cacheTtl,
        Duration negativeTtl,
        Duration staleIfError,
        Duration usageFlushInterval,
        String realm,
        boolean allowPreflight,
        long authFailureLimit,
        Duration authFailurePeriod,
        Duration rateLimitStoreTimeout,
        OnStoreError rateLimitOnStoreError) {

    /** What a rate-limit or quota charge does when the store does not answer in time (API.md §8). */
    public enum OnStoreError {
        /** Each node enforces the rate limit alone from memory (N nodes may admit N × limit); quotas answer 503. */
        LOCAL,
        /** Admit. */
        OPEN,
        /** Answer 503. */
        CLOSED
    }

    /** {@code latchkey.redis-url}. */
    public static final String REDIS_URL = "latchkey.redis-url";
    /** {@code latchkey.pepper}. */
    public static final String PEPPER = "latchkey.pepper";
    /** {@code latchkey.token-prefix}. */
    public static final String TOKEN_PREFIX = "latchkey.token-prefix";
    /** {@code latchkey.api-key-header}. */
    public static final String API_KEY_HEADER = "latchkey.api-key-header";
    /** {@code latchkey.scopes}. */
    public static final String SCOPES = "latchkey.scopes";
    /** {@code latchkey.exclude}. */
    public static final String EXCLUDE = "latchkey.exclude";
    /** {@code latchkey.trusted-proxies}. */
    public static final String TRUSTED_PROXIES = "latchkey.trusted-proxies";
    /** {@code latchkey.cache.max-size}. */
    public static final String CACHE_MAX_SIZE = "latchkey.cache.max-size";
    /** {@code latchkey.cache.ttl}. */
    public static final String CACHE_TTL = "latchkey.cache.ttl";
    /** {@code latchkey.cache.negative-ttl}. */
    public static final String NEGATIVE_TTL = "latchkey.cache.negative-ttl";
    /** {@code latchkey.cache.stale-if-error}. */
    public static final String STALE_IF_ERROR = "latchkey.cache.stale-if-error";
    /** {@code latchkey.usage.flush-interval}. */
    public static final String FLUSH_INTERVAL = "latchkey.usage.flush-interval";
    /** {@code latchkey.realm}. */
    public static final String REALM = "latchkey.realm";
    /** {@code latchkey.allow-preflight}. */
    public static final String ALLOW_PREFLIGHT = "latchkey.allow-preflight";
    /** {@code latchkey.auth-failure.limit}. */
    public static final String AUTH_FAILURE_LIMIT = "latchkey.auth-failure.limit";
    /** {@code latchkey.auth-failure.period}. */
    public static final String AUTH_FAILURE_PERIOD = "latchkey.auth-failure.period";
    /** {@code latchkey.rate-limit.store-timeout}. */
    public static final String RATE_LIMIT_STORE_TIMEOUT = "latchkey.rate-limit.store-timeout";
    /** {@code latchkey.rate-limit.on-store-error}. */
    public static final String RATE_LIMIT_ON_STORE_ERROR = "latchkey.rate-limit.on-store-error";

    /** Every setting name, as {@link #fromProperties} reads them. */
    public static final Set<String> NAMES = Set.of(REDIS_URL, PEPPER, TOKEN_PREFIX, API_KEY_HEADER, SCOPES, EXCLUDE,
            TRUSTED_PROXIES, CACHE_MAX_SIZE, CACHE_TTL, NEGATIVE_TTL, STALE_IF_ERROR, FLUSH_INTERVAL, REALM,
            ALLOW_PREFLIGHT, AUTH_FAILURE_LIMIT, AUTH_FAILURE_PERIOD, RATE_LIMIT_STORE_TIMEOUT,
            RATE_LIMIT_ON_STORE_ERROR);

    /** The default {@code latchkey.api-key-header}. */
    public static final String DEFAULT_API_KEY_HEADER = "X-API-Key";
    /** The default {@code latchkey.cache.max-size}. */
    public static final long DEFAULT_CACHE_MAX_SIZE = KeyCache.DEFAULT_MAX_SIZE;
    /** The default {@code latchkey.realm}. */
    public static final String DEFAULT_REALM = "latchkey";
    /** The default {@code latchkey.auth-failure.limit}. */
    public static final long DEFAULT_AUTH_FAILURE_LIMIT = 1000;
    /** The default {@code latchkey.auth-failure.period}. */
    public static final Duration DEFAULT_AUTH_FAILURE_PERIOD = Duration.ofMinutes(1);
    /** The default {@code latchkey.rate-limit.store-timeout}. */
    public static final Duration DEFAULT_RATE_LIMIT_STORE_TIMEOUT = Duration.ofMillis(250);

    public AuthSettings {
        Objects.requireNonNull(tokenPrefix, "tokenPrefix");
        Objects.requireNonNull(rules, "rules");
        excludes = List.copyOf(excludes);
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        Objects.requireNonNull(negativeTtl, "negativeTtl");
        Objects.requireNonNull(staleIfError, "staleIfError");
        Objects.requireNonNull(usageFlushInterval, "usageFlushInterval");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(authFailurePeriod, "authFailurePeriod");
        Objects.requireNonNull(rateLimitStoreTimeout, "rateLimitStoreTimeout");
        Objects.requireNonNull(rateLimitOnStoreError, "rateLimitOnStoreError");
    }

    /** Returns the settings with every default. */
    public static AuthSettings defaults() {
        return builder().build();
    }

    /** Starts a builder with every default of API.md §5. */
    public static AuthSettingsBuilder builder() {
        return new AuthSettingsBuilder();
    }

    /** Returns a builder that starts from these settings. */
    public AuthSettingsBuilder toBuilder() {
        return new AuthSettingsBuilder(this);
    }

    /**
     * Parses settings from {@code latchkey.*} names and text values (init-params, properties), each value first
     * passed through {@code resolve} (for {@code ${NAME:default}} placeholders). Other names are ignored; an unknown
     * {@code latchkey.*} name is an error. An empty value means the default (so {@code ${NAME:}} leaves a setting at
     * its default), except for {@code latchkey.api-key-header}, where it disables the second header.
     *
     * @throws IllegalArgumentException whose message starts with the name of the first bad setting
     */
    public static AuthSettingsBuilder fromProperties(Map<String, String> properties, UnaryOperator<String> resolve) {
        AuthSettingsBuilder b = builder();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(properties).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("latchkey.")) {
                continue;
            }
            String value;
            try {
                value = resolve.apply(e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(name + ": " + ex.getMessage(), ex);
            }
            b.set(name, value);
        }
        return b;
    }

    /**
     * Parses settings from {@code latchkey.*} init-params whose values may hold {@code ${NAME}} or
     * {@code ${NAME:default}} placeholders, resolved from system properties, then the environment.
     *
     * @throws IllegalArgumentException whose message starts with the name of the first bad setting
     */
    public static AuthSettingsBuilder fromInitParams(Map<String, String> params) {
        return fromProperties(params, Placeholders.system()::resolve);
    }

    /**
     * Returns the environment variable of a setting by API.md §11's rule: {@code latchkey.a.b-c} is
     * {@code LATCHKEY_A_B_C}.
     */
    public static String environmentName(String setting) {
        return setting.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Parses the named settings (all of {@link #NAMES} when none are named) from environment variables named by
     * {@link #environmentName}; unset variables leave their defaults.
     *
     * @throws IllegalArgumentException whose message starts with the variable of the first bad setting
     */
    public static AuthSettingsBuilder fromEnvironment(Map<String, String> env, String... settings) {
        AuthSettingsBuilder b = builder();
        for (String name : settings.length == 0 ? new TreeSet<>(NAMES) : Set.of(settings)) {
            String variable = environmentName(name);
            String value = env.get(variable);
            if (value == null) {
                continue;
            }
            try {
                b.set(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(variable + e.getMessage().substring(name.length()), e);
            }
        }
        return b;
    }

    /** Returns the sorted list of known names, for messages. */
    static String knownNames() {
        return String.join(", ", new TreeSet<>(NAMES));
    }

    /** Returns the prefix's codec (validated at the setter, so this never fails). */
    TokenCodec codec() {
        return new TokenCodec(tokenPrefix);
    }
}
