package dev.latchkey.server;

import org.jspecify.annotations.Nullable;

/**
 * The request-URI rule of RFC 3986 as {@link java.net.URI} applies it, checked before an application parses the
 * URI: path characters are unreserved, sub-delims, {@code :}, {@code @}, {@code /} or a {@code %} followed by two
 * hex digits; characters beyond ASCII are allowed unless they are controls or spaces (as {@code java.net.URI}
 * allows them). The query may also hold {@code ?}, and any {@code %} in it must start a valid escape.
 */
final class RequestUris {

    private RequestUris() {
    }

    /**
     * Returns whether a request method is an RFC 9110 token. Grizzly takes everything before the first space as the
     * method, line breaks included, so a request line without spaces reaches the application with the next header
     * line in its method.
     */
    static boolean methodIsToken(String method) {
        if (method.isEmpty()) {
            return false;
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns whether a request target is one these services serve: a path starting with {@code /} (Grizzly has
     * already cut an absolute-form target down to its path), or {@code *} for {@code OPTIONS}.
     */
    static boolean servedTarget(String uri, boolean options) {
        return uri.startsWith("/") || options && uri.equals("*");
    }

    /** Returns whether the raw path and query (either may be {@code null}) can be parsed as a URI. */
    static boolean valid(@Nullable String path, @Nullable String query) {
        return valid(path, false) && valid(query, true);
    }

    private static boolean valid(@Nullable String s, boolean query) {
        if (s == null) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || !hex(s.charAt(i + 1)) || !hex(s.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c >= 0x80) {
                if (Character.isISOControl(c) || Character.isSpaceChar(c)) {
                    return false;
                }
            } else if (!query && !pathChar(c)) {
                return false;
            } else if (query && (c < 0x21 || c == 0x7f)) {
                return false; // the rest of a query the application encodes itself
            }
        }
        return true;
    }

    private static boolean pathChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
