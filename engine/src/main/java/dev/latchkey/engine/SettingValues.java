package dev.latchkey.engine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses the text forms of settings (init-params, properties, environment) for {@link AuthSettingsBuilder#set}. */
final class SettingValues {

    private SettingValues() {
    }

    static long number(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number", e);
        }
    }

    static AuthSettings.OnStoreError onStoreError(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "local" -> AuthSettings.OnStoreError.LOCAL;
            case "open" -> AuthSettings.OnStoreError.OPEN;
            case "closed" -> AuthSettings.OnStoreError.CLOSED;
            default -> throw new IllegalArgumentException("must be local, open or closed");
        };
    }

    static boolean bool(String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("must be true or false");
    }

    static Duration parseDuration(String text) {
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration such as PT60S", e);
        }
    }
}
