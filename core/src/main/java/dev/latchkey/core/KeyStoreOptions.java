package dev.latchkey.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link KeyStoreProvider} is told besides the URL: settings every networked store has, typed, so that a door
 * configured by properties can pass them on without knowing the backend. {@code null} leaves the backend's default.
 *
 * <p>Meters are not an option: core stays free of Micrometer. A store with meters of its own (the Redis store)
 * implements Micrometer's {@code MeterBinder}, and the engine's {@code Authenticator} binds it to its registry.
 *
 * @param commandTimeout the longest one store command may take, or {@code null} for the backend's default
 * @param connectTimeout the longest a connection attempt may take, or {@code null} for the backend's default
 */
public record KeyStoreOptions(@Nullable Duration commandTimeout, @Nullable Duration connectTimeout) {

    private static final KeyStoreOptions DEFAULTS = new KeyStoreOptions(null, null);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when a timeout is zero or negative
     */
    public KeyStoreOptions {
        positive(commandTimeout, "commandTimeout");
        positive(connectTimeout, "connectTimeout");
    }

    /** Returns the options that leave every setting to the backend. */
    public static KeyStoreOptions defaults() {
        return DEFAULTS;
    }

    /** Returns these options with another command timeout. */
    public KeyStoreOptions withCommandTimeout(@Nullable Duration timeout) {
        return new KeyStoreOptions(timeout, connectTimeout);
    }

    /** Returns these options with another connect timeout. */
    public KeyStoreOptions withConnectTimeout(@Nullable Duration timeout) {
        return new KeyStoreOptions(commandTimeout, timeout);
    }

    private static void positive(@Nullable Duration d, String name) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
