package dev.latchkey.filter;

import dev.latchkey.core.TokenCodec;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The filter's settings, validated: from {@link ApiKeyFilter.Builder} or from init-params (API.md §5). Every
 * invalid value is an {@link IllegalArgumentException} whose message starts with the setting's name.
 */
record FilterSettings(
        @Nullable String redisUrl,
        @Nullable String pepper,
        String tokenPrefix,
        @Nullable String apiKeyHeader,
        RouteRules rules,
        List<PathPattern> excludes,
        ClientAddresses proxies,
        long cacheMaxSize,
        Duration cacheTtl,
        Duration negativeTtl,
        Duration staleIfError,
        Duration flushInterval,
        String realm,
        boolean allowPreflight) {

    /** Returns the {@code WWW-Authenticate} value without an error: {@code Bearer realm="..."}. */
    String challenge() {
        return "Bearer realm=\"" + realm + "\"";
    }

    /** Returns the {@code WWW-Authenticate} value of a rejected token (built on denials only, never on a grant). */
    String invalidTokenChallenge() {
        return challenge() + ", error=\"invalid_token\"";
    }

    /** Returns the {@code WWW-Authenticate} value of a request with two different tokens. */
    String invalidRequestChallenge() {
        return challenge() + ", error=\"invalid_request\"";
    }

    static final String REDIS_URL = "latchkey.redis-url";
    static final String PEPPER = "latchkey.pepper";
    static final String TOKEN_PREFIX = "latchkey.token-prefix";
    static final String API_KEY_HEADER = "latchkey.api-key-header";
    static final String SCOPES = "latchkey.scopes";
    static final String EXCLUDE = "latchkey.exclude";
    static final String TRUSTED_PROXIES = "latchkey.trusted-proxies";
    static final String CACHE_MAX_SIZE = "latchkey.cache.max-size";
    static final String CACHE_TTL = "latchkey.cache.ttl";
    static final String NEGATIVE_TTL = "latchkey.cache.negative-ttl";
    static final String STALE_IF_ERROR = "latchkey.cache.stale-if-error";
    static final String FLUSH_INTERVAL = "latchkey.usage.flush-interval";
    static final String REALM = "latchkey.realm";
    static final String ALLOW_PREFLIGHT = "latchkey.allow-preflight";

    static final Set<String> NAMES = Set.of(REDIS_URL, PEPPER, TOKEN_PREFIX, API_KEY_HEADER, SCOPES, EXCLUDE,
            TRUSTED_PROXIES, CACHE_MAX_SIZE, CACHE_TTL, NEGATIVE_TTL, STALE_IF_ERROR, FLUSH_INTERVAL, REALM,
            ALLOW_PREFLIGHT);

    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
    private static final Pattern REALM_TEXT = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]{1,64}");

    /** The raw values, as strings, before validation; {@code null} means "the default". */
    static final class Raw {
        @Nullable String redisUrl;
        @Nullable String pepper;
        @Nullable String tokenPrefix;
        @Nullable String apiKeyHeader;
        @Nullable String scopes;
        @Nullable String exclude;
        @Nullable String trustedProxies;
        @Nullable String cacheMaxSize;
        @Nullable String cacheTtl;
        @Nullable String negativeTtl;
        @Nullable String staleIfError;
        @Nullable String flushInterval;
        @Nullable String realm;
        @Nullable String allowPreflight;

        void set(String name, @Nullable String value) {
            switch (name) {
                case REDIS_URL -> redisUrl = value;
                case PEPPER -> pepper = value;
                case TOKEN_PREFIX -> tokenPrefix = value;
                case API_KEY_HEADER -> apiKeyHeader = value;
                case SCOPES -> scopes = value;
                case EXCLUDE -> exclude = value;
                case TRUSTED_PROXIES -> trustedProxies = value;
                case CACHE_MAX_SIZE -> cacheMaxSize = value;
                case CACHE_TTL -> cacheTtl = value;
                case NEGATIVE_TTL -> negativeTtl = value;
                case STALE_IF_ERROR -> staleIfError = value;
                case FLUSH_INTERVAL -> flushInterval = value;
                case REALM -> realm = value;
                case ALLOW_PREFLIGHT -> allowPreflight = value;
                default -> throw new IllegalArgumentException(name + ": unknown setting (known: "
                        + String.join(", ", new java.util.TreeSet<>(NAMES)) + ")");
            }
        }

        /** Validates everything and returns the settings. */
        FilterSettings validate() {
            String prefix = tokenPrefix == null || tokenPrefix.isBlank() ? TokenCodec.DEFAULT_PREFIX : tokenPrefix.strip();
            check(TOKEN_PREFIX, () -> new TokenCodec(prefix));
            String header = apiKeyHeader == null ? "X-API-Key" : apiKeyHeader.strip();
            if (!header.isEmpty() && !HEADER_NAME.matcher(header).matches()) {
                throw new IllegalArgumentException(API_KEY_HEADER + ": '" + header + "' is not a header name");
            }
            if (header.equalsIgnoreCase("Authorization")) {
                throw new IllegalArgumentException(API_KEY_HEADER + ": Authorization is always read; name another header");
            }
            RouteRules rules = scopes == null || scopes.isBlank() ? RouteRules.NONE
                    : check(SCOPES, () -> RouteRules.parse(scopes));
            List<PathPattern> excludes = new ArrayList<>();
            if (exclude != null) {
                for (String p : exclude.split("[,\\s]+")) {
                    if (!p.isEmpty()) {
                        excludes.add(check(EXCLUDE, () -> PathPattern.parse(p)));
                    }
                }
            }
            ClientAddresses proxies = blank(trustedProxies) ? new ClientAddresses(List.of())
                    : check(TRUSTED_PROXIES, () -> ClientAddresses.parse(trustedProxies));
            long maxSize = blank(cacheMaxSize) ? 100_000 : check(CACHE_MAX_SIZE, () -> Long.parseLong(cacheMaxSize.strip()));
            if (maxSize <= 0) {
                throw new IllegalArgumentException(CACHE_MAX_SIZE + ": must be positive");
            }
            Duration ttl = duration(CACHE_TTL, cacheTtl, Duration.ofSeconds(60), false);
            Duration neg = duration(NEGATIVE_TTL, negativeTtl, Duration.ofSeconds(5), true);
            Duration stale = duration(STALE_IF_ERROR, staleIfError, Duration.ofMinutes(5), true);
            Duration flush = duration(FLUSH_INTERVAL, flushInterval, Duration.ofSeconds(1), true);
            String r = blank(realm) ? "latchkey" : realm.strip();
            if (!REALM_TEXT.matcher(r).matches()) {
                throw new IllegalArgumentException(REALM + ": must be 1 to 64 printable ASCII characters without \" or \\");
            }
            boolean preflight = false;
            if (!blank(allowPreflight)) {
                String v = allowPreflight.strip();
                if (v.equalsIgnoreCase("true")) {
                    preflight = true;
                } else if (!v.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException(ALLOW_PREFLIGHT + ": must be true or false");
                }
            }
            String url = redisUrl == null || redisUrl.isBlank() ? null : redisUrl.strip();
            String pep = pepper == null || pepper.isEmpty() ? null : pepper;
            return new FilterSettings(url, pep, prefix, header.isEmpty() ? null : header, rules,
                    List.copyOf(excludes), proxies, maxSize, ttl, neg, stale, flush, r, preflight);
        }

        /** An empty value (as {@code ${NAME:}} resolves) means "the default", as an absent one does. */
        private static boolean blank(@Nullable String value) {
            return value == null || value.isBlank();
        }

        private static Duration duration(String name, @Nullable String text, Duration fallback, boolean zeroOk) {
            if (text == null || text.isBlank()) {
                return fallback;
            }
            Duration d;
            try {
                d = Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + ": '" + text + "' is not an ISO-8601 duration such as PT60S", e);
            }
            if (d.isNegative() || (!zeroOk && d.isZero())) {
                throw new IllegalArgumentException(name + ": must be " + (zeroOk ? "zero or more" : "positive"));
            }
            return d;
        }

        private static <T> T check(String name, java.util.function.Supplier<T> parse) {
            try {
                return parse.get();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads init-params: each known name, placeholders resolved; an unknown {@code latchkey.*} name is an error.
     */
    static Raw fromInitParams(Map<String, String> params, UnaryOperator<String> resolve) {
        Raw raw = new Raw();
        for (Map.Entry<String, String> e : params.entrySet()) {
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
            raw.set(name, value);
        }
        return raw;
    }
}
