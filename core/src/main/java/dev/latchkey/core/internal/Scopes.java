package dev.latchkey.core.internal;

import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;
import java.util.regex.Pattern;

/**
 * Scope names and matching. A scope is 1 to 64 of {@code [a-z0-9:._*-]}; {@code :} separates segments. A granted
 * scope may use {@code *} as a whole segment: it matches exactly one segment, except as the last segment, where it
 * matches one or more ({@code reports:*} grants {@code reports:read} and {@code reports:eu:read}; {@code *} grants
 * everything). Platform scopes ({@code latchkey:…}) are never matched by a wildcard: they must be granted by name.
 */
public final class Scopes {

    /** The pattern of a scope name. */
    public static final Pattern PATTERN = Pattern.compile("[a-z0-9:._*-]{1,64}");
    /** The most scopes a key may have. */
    public static final int MAX_SCOPES = 50;
    /** The prefix of the platform's own scopes. */
    public static final String PLATFORM_PREFIX = "latchkey:";
    /** Root-equivalent administration of every tenant. */
    public static final String ADMIN = "latchkey:admin";
    /** Administration of the key's own tenant. */
    public static final String TENANT_ADMIN = "latchkey:tenant-admin";
    /** May call {@code POST /v1/verify} for its own tenant's tokens. */
    public static final String VERIFY = "latchkey:verify";

    private Scopes() {
    }

    /** Returns whether the scope is one of the platform's own. */
    public static boolean isPlatform(String scope) {
        return scope.startsWith(PLATFORM_PREFIX);
    }

    /** Returns whether the granted scopes satisfy every required scope. */
    public static boolean grantsAll(Collection<String> granted, Collection<String> required) {
        if (required instanceof List<String> list && required instanceof RandomAccess) {
            // Indexed, so no iterator is allocated where the JIT cannot prove it away (deep container stacks).
            for (int i = 0, n = list.size(); i < n; i++) {
                if (!grants(granted, list.get(i))) {
                    return false;
                }
            }
            return true;
        }
        for (String r : required) {
            if (!grants(granted, r)) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether any granted scope satisfies {@code required}. */
    public static boolean grants(Collection<String> granted, String required) {
        if (granted instanceof List<String> list && granted instanceof RandomAccess) {
            for (int i = 0, n = list.size(); i < n; i++) {
                if (matches(list.get(i), required)) {
                    return true;
                }
            }
            return false;
        }
        for (String g : granted) {
            if (matches(g, required)) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether one granted scope (possibly with {@code *} segments) satisfies one required scope. */
    public static boolean matches(String granted, String required) {
        if (granted.equals(required)) {
            return true;
        }
        if (granted.indexOf('*') < 0 || isPlatform(required)) {
            return false;
        }
        // One pass over both strings (no indexOf per segment): this runs on every request with a wildcard scope.
        int gl = granted.length();
        int rl = required.length();
        int g = 0;
        int r = 0;
        while (true) {
            if (g < gl && granted.charAt(g) == '*' && (g + 1 == gl || granted.charAt(g + 1) == ':')) {
                if (g + 1 == gl) {
                    return true; // a trailing * takes this and every remaining segment
                }
                while (r < rl && required.charAt(r) != ':') {
                    r++;
                }
                if (r == rl) {
                    return false; // the granted scope has segments left, the required one has none
                }
                g += 2;
                r++;
                continue;
            }
            while (true) {
                boolean gEnd = g == gl || granted.charAt(g) == ':';
                boolean rEnd = r == rl || required.charAt(r) == ':';
                if (gEnd || rEnd) {
                    if (!(gEnd && rEnd)) {
                        return false; // segments of different lengths
                    }
                    if (g == gl || r == rl) {
                        return g == gl && r == rl;
                    }
                    g++;
                    r++;
                    break;
                }
                if (granted.charAt(g) != required.charAt(r)) {
                    return false;
                }
                g++;
                r++;
            }
        }
    }
}
