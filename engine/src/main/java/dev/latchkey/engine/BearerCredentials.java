package dev.latchkey.engine;

import org.jspecify.annotations.Nullable;

/**
 * Reads the credential out of an {@code Authorization} header value: the {@code Bearer} or {@code Token} scheme (any
 * case), then the credential with surrounding white space removed; and an API-key header's value, stripped. Every
 * request with a key passes here, so it finds the credential with index arithmetic ({@link #span}) and the engine
 * verifies it inside the header, without a copy.
 */
final class BearerCredentials {

    /** What {@link #span} returns for a value with no credential of these schemes. */
    static final long NONE = -1;

    private BearerCredentials() {
    }

    /** Returns the credential of an {@code Authorization} value with the Bearer or Token scheme, else null. */
    static @Nullable String of(@Nullable String header) {
        if (header == null) {
            return null;
        }
        long span = span(header);
        return span == NONE ? null : header.substring(from(span), to(span));
    }

    /**
     * Returns where the credential of an {@code Authorization} value with the Bearer or Token scheme lies, as
     * {@code from << 32 | to} (read with {@link #from} and {@link #to}), else {@link #NONE}.
     */
    static long span(@Nullable String header) {
        long value = header == null ? NONE : stripped(header);
        if (value == NONE) {
            return NONE;
        }
        int from = from(value);
        int to = to(value);
        int sp = from;
        while (sp < to && header.charAt(sp) != ' ' && header.charAt(sp) != '\t') {
            sp++;
        }
        int scheme = sp - from;
        boolean bearer = scheme == 6 && header.regionMatches(true, from, "Bearer", 0, 6);
        boolean tokenScheme = scheme == 5 && header.regionMatches(true, from, "Token", 0, 5);
        if (!bearer && !tokenScheme) {
            return NONE;
        }
        while (sp < to && Character.isWhitespace(header.charAt(sp))) {
            sp++;
        }
        return (long) sp << 32 | to;
    }

    /** Returns where an API-key header's value lies once white space around it is stripped, or {@link #NONE}. */
    static long stripped(String value) {
        int from = 0;
        int to = value.length();
        while (from < to && Character.isWhitespace(value.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(value.charAt(to - 1))) {
            to--;
        }
        return from == to ? NONE : (long) from << 32 | to;
    }

    /** Returns whether {@code a[aFrom, aTo)} and the part of {@code b} a span names hold the same characters. */
    static boolean sameText(String a, int aFrom, int aTo, String b, long bSpan) {
        int bFrom = from(bSpan);
        return aTo - aFrom == to(bSpan) - bFrom && a.regionMatches(aFrom, b, bFrom, aTo - aFrom);
    }

    /** Returns where a credential found by {@link #span} starts. */
    static int from(long span) {
        return (int) (span >>> 32);
    }

    /** Returns where a credential found by {@link #span} ends (exclusive). */
    static int to(long span) {
        return (int) span;
    }
}
