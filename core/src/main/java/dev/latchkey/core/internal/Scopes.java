package dev.latchkey.core.internal;

import java.util.Collection;
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
        for (String r : required) {
            if (!grants(granted, r)) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether any granted scope satisfies {@code required}. */
    public static boolean grants(Collection<String> granted, String required) {
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
        int g = 0;
        int r = 0;
        int gl = granted.length();
        int rl = required.length();
        while (true) {
            int gEnd = segmentEnd(granted, g);
            int rEnd = segmentEnd(required, r);
            boolean star = gEnd - g == 1 && granted.charAt(g) == '*';
            boolean grantedLast = gEnd == gl;
            boolean requiredLast = rEnd == rl;
            if (star && grantedLast) {
                return true; // a trailing * takes this and every remaining segment
            }
            if (!star && !(gEnd - g == rEnd - r && granted.regionMatches(g, required, r, gEnd - g))) {
                return false;
            }
            if (grantedLast || requiredLast) {
                return grantedLast && requiredLast;
            }
            g = gEnd + 1;
            r = rEnd + 1;
        }
    }

    private static int segmentEnd(String s, int from) {
        int i = s.indexOf(':', from);
        return i < 0 ? s.length() : i;
    }
}
