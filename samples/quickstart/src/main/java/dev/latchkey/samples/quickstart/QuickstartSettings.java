package dev.latchkey.samples.quickstart;

import dev.latchkey.core.TokenCodec;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The quickstart's settings, read from environment variables: the admin service's (API.md §1) and the demo app's
 * (§7). Blank values count as unset.
 *
 * @param host           {@code LATCHKEY_HOST}, default {@code 127.0.0.1}, for both servers
 * @param adminPort      {@code LATCHKEY_PORT}, default 8080 (0 = any free port)
 * @param appPort        {@code LATCHKEY_APP_PORT}, default 8081 (0 = any free port)
 * @param redisUrl       {@code LATCHKEY_REDIS_URL}, or {@code null} for the in-memory store
 * @param adminToken     {@code LATCHKEY_ADMIN_TOKEN}, or {@code null} to generate one
 * @param pepper         {@code LATCHKEY_PEPPER}, or {@code null} for plain SHA-256
 * @param tokenPrefix    {@code LATCHKEY_TOKEN_PREFIX}, default {@code lk}
 * @param trustedProxies {@code LATCHKEY_TRUSTED_PROXIES}, or {@code null} for none
 */
record QuickstartSettings(String host, int adminPort, int appPort, @Nullable String redisUrl,
        @Nullable String adminToken, @Nullable String pepper, String tokenPrefix, @Nullable String trustedProxies) {

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException naming the variable that is invalid
     */
    static QuickstartSettings from(Map<String, String> env) {
        return new QuickstartSettings(
                value(env, "LATCHKEY_HOST", "127.0.0.1"),
                port(env, "LATCHKEY_PORT", 8080),
                port(env, "LATCHKEY_APP_PORT", 8081),
                optional(env, "LATCHKEY_REDIS_URL"),
                secret(env, "LATCHKEY_ADMIN_TOKEN"),
                secret(env, "LATCHKEY_PEPPER"),
                value(env, "LATCHKEY_TOKEN_PREFIX", TokenCodec.DEFAULT_PREFIX),
                optional(env, "LATCHKEY_TRUSTED_PROXIES"));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
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

    private static String value(Map<String, String> env, String name, String fallback) {
        String v = optional(env, name);
        return v == null ? fallback : v;
    }

    /** Secrets are used exactly as given (only an empty value counts as unset), as the admin service does. */
    private static @Nullable String secret(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static @Nullable String optional(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
