package dev.latchkey.engine;

import org.jspecify.annotations.Nullable;

/**
 * Reads the credential out of an {@code Authorization} header value: the {@code Bearer} or {@code Token} scheme (any
 * case), then the credential with surrounding white space removed. Every request with a key passes here, so it cuts
 * the credential out with index arithmetic and makes exactly one string.
 */
final class BearerCredentials {

    private BearerCredentials() {
    }

    /** Returns the credential of an {@code Authorization} value with the Bearer or Token scheme, else null. */
    static @Nullable String of(@Nullable String header) {
        if (header == null) {
            return null;
        }
        // Index arithmetic rather than strip() and substring() twice: one string, the credential, is made.
        int from = 0;
        int to = header.length();
        while (from < to && Character.isWhitespace(header.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(header.charAt(to - 1))) {
            to--;
        }
        int sp = from;
        while (sp < to && header.charAt(sp) != ' ' && header.charAt(sp) != '\t') {
            sp++;
        }
        int scheme = sp - from;
        boolean bearer = scheme == 6 && header.regionMatches(true, from, "Bearer", 0, 6);
        boolean tokenScheme = scheme == 5 && header.regionMatches(true, from, "Token", 0, 5);
        if (!bearer && !tokenScheme) {
            return null;
        }
        while (sp < to && Character.isWhitespace(header.charAt(sp))) {
            sp++;
        }
        return header.substring(sp, to);
    }
}
