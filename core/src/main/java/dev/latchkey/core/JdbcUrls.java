package dev.latchkey.core;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC URL rule of a {@code postgresql} storage config (API.md §10), a security rule: the admin service connects
 * to what the URL names, so only {@code jdbc:postgresql://host[:port]/database} is accepted, with no parameters but
 * {@value #ALLOWED_TEXT}. Anything that could load a class or open another kind of socket ({@code socketFactory},
 * {@code sslfactory}, {@code loggerFile}, several hosts, …) is refused. Parameter names are compared after URL
 * decoding, so an encoded name cannot slip past.
 */
public final class JdbcUrls {

    /** The parameters a URL may carry. */
    public static final List<String> ALLOWED = List.of("user", "password", "ssl", "sslmode", "currentSchema",
            "ApplicationName");
    static final String ALLOWED_TEXT = "user, password, ssl, sslmode, currentSchema, ApplicationName";
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");
    private static final int MAX_LENGTH = 1024;
    private static final Pattern URL = Pattern.compile(
            "jdbc:postgresql://([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\])(?::([0-9]{1,5}))?"
                    + "/([A-Za-z0-9_$][A-Za-z0-9_.$-]{0,62})(?:\\?(.*))?");

    private JdbcUrls() {
    }

    /**
     * Returns why {@code url} breaks the rule, or {@code null} when it is acceptable. The reason never repeats a
     * parameter's value (it may be a password).
     */
    public static @Nullable String problem(String url) {
        if (url.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            return "must be jdbc:postgresql://host[:port]/database with optional parameters";
        }
        if (m.group(2) != null) {
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                return "has a port outside 1-65535";
            }
        }
        String query = m.group(4);
        if (query == null) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? null : decode(pair.substring(eq + 1));
            if (name == null || value == null) {
                return "has a parameter that is not name=value (URL-encoded)";
            }
            if (!ALLOWED.contains(name)) {
                return "may carry no parameters but " + ALLOWED_TEXT + " (not " + printable(name) + ")";
            }
            if (!seen.add(name)) {
                return "names the parameter " + name + " twice";
            }
            if (KeyRules.hasForbiddenCharacters(value) || value.length() > 256) {
                return "has a parameter " + name + " with control characters or over 256 characters";
            }
            if (name.equals("sslmode") && !SSL_MODES.contains(value)) {
                return "has an sslmode that is not one of " + SSL_MODES;
            }
            if (name.equals("ssl") && !value.equals("true") && !value.equals("false")) {
                return "has an ssl that is not true or false";
            }
        }
        return null;
    }

    /** Returns {@code url} without its {@code password} parameter (for a URL that passed {@link #problem}). */
    public static String withoutPassword(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringJoiner kept = new StringJoiner("&");
        for (String pair : url.substring(q + 1).split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!"password".equals(name)) {
                kept.add(pair);
            }
        }
        return kept.length() == 0 ? url.substring(0, q) : url.substring(0, q + 1) + kept;
    }

    private static @Nullable String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String printable(String name) {
        return name.matches("[A-Za-z0-9_.-]{1,64}") ? name : "an unknown parameter";
    }
}
