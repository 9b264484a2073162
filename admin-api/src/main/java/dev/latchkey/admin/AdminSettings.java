package dev.latchkey.admin;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreOptions;
import dev.latchkey.core.KeyStoreProvider;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.server.ListenAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The admin service's settings as API.md §1 defines them, read from environment variables. Programs that embed
 * the admin service (the quickstart) read the same variables through this class, so they cannot drift apart.
 * Blank values count as unset, except for secrets, which are used exactly as given (only an empty one is unset).
 *
 * @param host        {@code LATCHKEY_HOST}, default {@value #DEFAULT_HOST}
 * @param port        {@code LATCHKEY_PORT}, default {@value #DEFAULT_PORT} (0 = any free port)
 * @param redisUrl    {@code LATCHKEY_REDIS_URL}, or {@code null} for the embedded in-memory store
 * @param adminToken  {@code LATCHKEY_ADMIN_TOKEN}, or {@code null} to generate one at start
 * @param pepper      {@code LATCHKEY_PEPPER}, or {@code null} for plain SHA-256
 * @param tokenPrefix {@code LATCHKEY_TOKEN_PREFIX}, default {@value TokenCodec#DEFAULT_PREFIX}
 * @param authFailureLimit  {@code LATCHKEY_AUTH_FAILURE_LIMIT}: failed authentications allowed per connecting
 *                          address per period, default 1000 (0 = no limit)
 * @param authFailurePeriod {@code LATCHKEY_AUTH_FAILURE_PERIOD}, default {@code PT1M}
 * @param webhookAllowPrivate {@code LATCHKEY_WEBHOOK_ALLOW_PRIVATE}: whether webhook URLs may name loopback and
 *                    private addresses (API.md §10), default {@code false}
 * @param rateLimitStoreTimeout {@code LATCHKEY_RATE_LIMIT_STORE_TIMEOUT}: how long {@code POST /v1/verify} waits for
 *                    a rate-limit or quota charge (API.md §8), default {@code PT0.25S}
 * @param rateLimitOnStoreError {@code LATCHKEY_RATE_LIMIT_ON_STORE_ERROR}: what that verify does when the store does
 *                    not answer in time ({@code local}, {@code open}, {@code closed}), default {@code local}
 */
public record AdminSettings(String host, int port, @Nullable String redisUrl, @Nullable String adminToken,
        @Nullable String pepper, String tokenPrefix, long authFailureLimit, Duration authFailurePeriod,
        boolean webhookAllowPrivate, Duration rateLimitStoreTimeout, AuthSettings.OnStoreError rateLimitOnStoreError) {

    /** Returns settings with the default rate-limit store timeout and store-error mode. */
    public AdminSettings(String host, int port, @Nullable String redisUrl, @Nullable String adminToken,
            @Nullable String pepper, String tokenPrefix, long authFailureLimit, Duration authFailurePeriod,
            boolean webhookAllowPrivate) {
        this(host, port, redisUrl, adminToken, pepper, tokenPrefix, authFailureLimit, authFailurePeriod,
                webhookAllowPrivate, AuthSettings.DEFAULT_RATE_LIMIT_STORE_TIMEOUT, AuthSettings.OnStoreError.LOCAL);
    }

    /** Returns settings with the default failed-authentication limit. */
    public AdminSettings(String host, int port, @Nullable String redisUrl, @Nullable String adminToken,
            @Nullable String pepper, String tokenPrefix) {
        this(host, port, redisUrl, adminToken, pepper, tokenPrefix, AuthSettings.DEFAULT_AUTH_FAILURE_LIMIT,
                AuthSettings.DEFAULT_AUTH_FAILURE_PERIOD, false);
    }

    /** The default bind address. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default HTTP port. */
    public static final int DEFAULT_PORT = 8080;

    /**
     * Reads the settings from an environment.
     *
     * @throws IllegalArgumentException naming the variable that is invalid
     */
    public static AdminSettings fromEnvironment(Map<String, String> env) {
        AuthSettings auth = AuthSettings.fromEnvironment(env, AuthSettings.AUTH_FAILURE_LIMIT,
                AuthSettings.AUTH_FAILURE_PERIOD, AuthSettings.RATE_LIMIT_STORE_TIMEOUT,
                AuthSettings.RATE_LIMIT_ON_STORE_ERROR).build();
        return new AdminSettings(
                host(env, "LATCHKEY_HOST", DEFAULT_HOST),
                port(env, "LATCHKEY_PORT", DEFAULT_PORT),
                optional(env, "LATCHKEY_REDIS_URL"),
                secret(env, "LATCHKEY_ADMIN_TOKEN"),
                secret(env, "LATCHKEY_PEPPER"),
                tokenPrefix(env, "LATCHKEY_TOKEN_PREFIX"),
                auth.authFailureLimit(), auth.authFailurePeriod(),
                flag(env, "LATCHKEY_WEBHOOK_ALLOW_PRIVATE"),
                auth.rateLimitStoreTimeout(), auth.rateLimitOnStoreError());
    }

    /**
     * Opens the store these settings name: Redis (through the {@link KeyStoreProvider} on the class path) when
     * {@code LATCHKEY_REDIS_URL} is set, else the in-memory store, with a warning that nothing persists.
     *
     * @throws IllegalArgumentException naming {@code LATCHKEY_REDIS_URL} when no store can open that URL
     */
    public KeyStore openStore() {
        return openStore(null);
    }

    /**
     * Opens the store as {@link #openStore()} does, reporting the store's own meters (Lettuce's command latencies)
     * to {@code meterRegistry}, the registry the admin service's {@code /metrics} renders.
     */
    public KeyStore openStore(@Nullable MeterRegistry meterRegistry) {
        if (redisUrl == null) {
            LoggerFactory.getLogger(AdminSettings.class).warn(
                    "LATCHKEY_REDIS_URL is not set: keys live in this process's memory and are lost when it stops");
            return new InMemoryKeyStore();
        }
        KeyStore store;
        try {
            store = KeyStoreProvider.openFirst(redisUrl, AdminSettings.class.getClassLoader(),
                    KeyStoreOptions.defaults());
        } catch (IllegalArgumentException e) { // the URL itself (the message never repeats it: it may hold a password)
            throw new IllegalArgumentException("LATCHKEY_REDIS_URL: " + e.getMessage(), e);
        }
        if (meterRegistry != null && store instanceof MeterBinder meters) {
            meters.bindTo(meterRegistry);
        }
        return store;
    }

    /** Returns a server builder on {@code store} with these settings applied (its registry is left to the caller). */
    public AdminServerBuilder serverBuilder(KeyStore store) {
        return AdminServer.builder(store).host(host).port(port).adminToken(adminToken).pepper(pepper)
                .tokenPrefix(tokenPrefix).authFailures(authFailureLimit, authFailurePeriod)
                .webhookAllowPrivate(webhookAllowPrivate)
                .rateLimitOnStoreError(rateLimitStoreTimeout, rateLimitOnStoreError);
    }

    /**
     * Reads a port variable.
     *
     * @throws IllegalArgumentException when it is not a number from 0 to 65535
     */
    public static int port(Map<String, String> env, String name, int fallback) {
        String text = value(env, name, Integer.toString(fallback));
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a number from 0 to 65535");
    }

    /**
     * Reads a bind-address variable ({@link ListenAddress#checked}).
     *
     * @throws IllegalArgumentException naming the variable when no URL can carry it as its host
     */
    public static String host(Map<String, String> env, String name, String fallback) {
        return ListenAddress.checked(value(env, name, fallback), name);
    }

    private static String tokenPrefix(Map<String, String> env, String name) {
        String prefix = value(env, name, TokenCodec.DEFAULT_PREFIX);
        try {
            return new TokenCodec(prefix).prefix();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be 1 to 16 ASCII letters or digits", e);
        }
    }

    private static boolean flag(Map<String, String> env, String name) {
        String v = optional(env, name);
        if (v == null || v.equalsIgnoreCase("false")) {
            return false;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(name + " must be true or false");
    }

    /** Returns a variable's stripped value, or {@code null} when it is unset or blank. */
    public static @Nullable String optional(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** Returns a host as it is written in a URL: IPv6 literals in brackets ({@link ListenAddress#uriHost}). */
    public static String uriHost(String host) {
        return ListenAddress.uriHost(host);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String v = optional(env, name);
        return v == null ? fallback : v;
    }

    private static @Nullable String secret(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** Hides the admin token and the pepper. */
    @Override
    public String toString() {
        return "AdminSettings[host=" + host + ", port=" + port + ", redis=" + (redisUrl != null) + ", adminToken="
                + (adminToken == null ? "generated" : "(set)") + ", pepper=" + (pepper == null ? "none" : "(set)")
                + ", tokenPrefix=" + tokenPrefix + ", authFailureLimit=" + authFailureLimit + ", authFailurePeriod="
                + authFailurePeriod + ", rateLimitStoreTimeout=" + rateLimitStoreTimeout + ", rateLimitOnStoreError="
                + rateLimitOnStoreError + "]";
    }
}
