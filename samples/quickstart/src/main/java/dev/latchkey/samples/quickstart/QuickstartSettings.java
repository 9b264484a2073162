package dev.latchkey.samples.quickstart;

import dev.latchkey.admin.AdminSettings;
import dev.latchkey.engine.AuthSettings;
import java.util.Map;
import org.jspecify.annotations.Nullable;


/**
 * The quickstart's settings, read from environment variables: the admin service's (API.md §1, read by
 * {@link AdminSettings}, so the two cannot drift apart) and the demo app's (§7).
 *
 * @param admin          the admin service's settings; the demo app binds to the same host
 * @param appPort        {@code LATCHKEY_APP_PORT}, default 8081 (0 = any free port)
 * @param trustedProxies {@code LATCHKEY_TRUSTED_PROXIES}, or {@code null} for none
 */
record QuickstartSettings(AdminSettings admin, int appPort, @Nullable String trustedProxies) {

    /** The demo app's default port. */
    static final int DEFAULT_APP_PORT = 8081;

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException naming the variable that is invalid
     */
    static QuickstartSettings from(Map<String, String> env) {
        // Checked here, before anything starts, so that a bad value names its variable and no listening line
        // is printed for a service that is about to stop.
        AuthSettings.fromEnvironment(env, AuthSettings.TRUSTED_PROXIES);
        return new QuickstartSettings(AdminSettings.fromEnvironment(env),
                AdminSettings.port(env, "LATCHKEY_APP_PORT", DEFAULT_APP_PORT),
                AdminSettings.optional(env, "LATCHKEY_TRUSTED_PROXIES"));
    }
}
