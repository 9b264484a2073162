package dev.latchkey.gateway;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreOptions;
import dev.latchkey.core.KeyStoreProvider;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.server.ListenAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The gateway service's settings as API.md §11 defines them, read from the environment in this one place: the
 * gateway's own variables, and every engine setting by §11's rule ({@code latchkey.a.b-c} is {@code LATCHKEY_A_B_C},
 * see {@link AuthSettings#fromEnvironment}), except that {@code LATCHKEY_GATEWAY_TRUSTED_PROXIES} takes the place of
 * {@code LATCHKEY_TRUSTED_PROXIES}.
 *
 * @param host    {@code LATCHKEY_HOST}, default {@value #DEFAULT_HOST}
 * @param port    {@code LATCHKEY_GATEWAY_PORT}, default {@value #DEFAULT_PORT} (0 = any free port)
 * @param clients {@code LATCHKEY_GATEWAY_CLIENTS}: the addresses allowed to ask, default {@value #DEFAULT_CLIENTS}
 * @param auth    the engine's settings; its {@code storeUrl} is {@code LATCHKEY_REDIS_URL} and its trusted proxies are
 *                {@code LATCHKEY_GATEWAY_TRUSTED_PROXIES} (default: the gateway clients)
 * @since 0.1
 */
public record GatewaySettings(String host, int port, AddressBlocks clients, AuthSettings auth) {

    /** The default bind address. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default port. */
    public static final int DEFAULT_PORT = 8090;
    /** The default {@code LATCHKEY_GATEWAY_CLIENTS}: the loopback addresses. */
    public static final String DEFAULT_CLIENTS = "127.0.0.1/32,::1/128";

    public GatewaySettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(auth, "auth");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be from 0 to 65535");
        }
    }

    /**
     * Returns settings for tests and embedders: the given engine settings, the default clients, on the loopback
     * address.
     */
    public static GatewaySettings of(int port, AuthSettings auth) {
        return new GatewaySettings(DEFAULT_HOST, port, AddressBlocks.parse(DEFAULT_CLIENTS), auth);
    }

    /**
     * Reads the settings from an environment.
     *
     * @throws IllegalArgumentException whose message starts with the variable that is invalid
     */
    public static GatewaySettings fromEnvironment(Map<String, String> env) {
        String clientsText = value(env, "LATCHKEY_GATEWAY_CLIENTS", DEFAULT_CLIENTS);
        AddressBlocks clients;
        try {
            clients = AddressBlocks.parse(clientsText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LATCHKEY_GATEWAY_CLIENTS: " + e.getMessage(), e);
        }
        Set<String> names = new TreeSet<>(AuthSettings.NAMES);
        names.remove(AuthSettings.TRUSTED_PROXIES);
        var auth = AuthSettings.fromEnvironment(env, names.toArray(String[]::new));
        String trusted = value(env, "LATCHKEY_GATEWAY_TRUSTED_PROXIES", clientsText);
        try {
            auth.trustedProxies(trusted);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LATCHKEY_GATEWAY_TRUSTED_PROXIES: "
                    + e.getMessage().substring(e.getMessage().indexOf(':') + 1).strip(), e);
        }
        if (env.get(AuthSettings.environmentName(AuthSettings.TRUSTED_PROXIES)) != null) {
            LoggerFactory.getLogger(GatewaySettings.class).warn("LATCHKEY_TRUSTED_PROXIES is ignored by the gateway: "
                    + "set LATCHKEY_GATEWAY_TRUSTED_PROXIES (default: LATCHKEY_GATEWAY_CLIENTS)");
        }
        return new GatewaySettings(
                ListenAddress.checked(value(env, "LATCHKEY_HOST", DEFAULT_HOST), "LATCHKEY_HOST"),
                port(env, "LATCHKEY_GATEWAY_PORT", DEFAULT_PORT), clients, auth.build());
    }

    /**
     * Opens the store these settings name: Redis (through the {@link KeyStoreProvider} on the class path) when
     * {@code LATCHKEY_REDIS_URL} is set, else the in-memory store, with a warning that it holds no keys an admin
     * service issued.
     *
     * @param meterRegistry where the store reports its own meters, or {@code null}
     */
    public KeyStore openStore(@Nullable MeterRegistry meterRegistry) {
        String url = auth.storeUrl();
        if (url == null) {
            LoggerFactory.getLogger(GatewaySettings.class).warn("LATCHKEY_REDIS_URL is not set: the gateway uses an "
                    + "empty in-memory store, so no key an admin service issued will be accepted");
            return new InMemoryKeyStore();
        }
        KeyStore store = KeyStoreProvider.openFirst(url, GatewaySettings.class.getClassLoader(),
                KeyStoreOptions.defaults());
        if (meterRegistry != null && store instanceof MeterBinder meters) {
            meters.bindTo(meterRegistry);
        }
        return store;
    }

    /** Returns the host as it is written in a URL: IPv6 literals in brackets. */
    public String uriHost() {
        return ListenAddress.uriHost(host);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.strip();
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
        throw new IllegalArgumentException(name + ": must be a number from 0 to 65535");
    }
}
