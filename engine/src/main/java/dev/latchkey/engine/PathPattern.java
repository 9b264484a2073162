package dev.latchkey.engine;

import java.util.Arrays;
import java.util.List;

/**
 * A path pattern of a route rule or an exclude, matched against normalized paths: literal segments, {@code *} for
 * exactly one segment, and {@code **} as the last segment for zero or more ({@code /reports/**} matches
 * {@code /reports}, {@code /reports/} and {@code /reports/a/b}). Immutable.
 *
 * @since 0.1
 */
public final class PathPattern {

    private final String text;
    private final String[] segments;
    private final boolean anyTail;

    private PathPattern(String text, String[] segments, boolean anyTail) {
        this.text = text;
        this.segments = segments;
        this.anyTail = anyTail;
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException when it does not start with {@code /} or uses {@code **} before the end
     */
    public static PathPattern parse(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("path pattern must start with /: " + text);
        }
        String normalized = RequestPaths.normalize(text.replace("*", "%2A"));
        if (normalized == null) {
            throw new IllegalArgumentException("invalid path pattern: " + text);
        }
        List<String> parts = normalized.equals("/") ? List.of() : Arrays.asList(normalized.substring(1).split("/"));
        boolean tail = false;
        for (int i = 0; i < parts.size(); i++) {
            String p = parts.get(i);
            if (p.contains("*") && !p.equals("*") && !p.equals("**")) {
                throw new IllegalArgumentException("* must be a whole segment in path pattern: " + text);
            }
            if (p.equals("**")) {
                if (i != parts.size() - 1) {
                    throw new IllegalArgumentException("** may only be the last segment in path pattern: " + text);
                }
                tail = true;
            }
        }
        String[] fixed = (tail ? parts.subList(0, parts.size() - 1) : parts).toArray(String[]::new);
        return new PathPattern(text, fixed, tail);
    }

    /** Returns whether a normalized path matches, literal segments compared exactly. */
    /** Returns whether a normalized path matches, case-sensitively. */
    public boolean matches(String path) {
        return matches(path, false);
    }

    /**
     * Returns whether a normalized path matches; with {@code ignoreCase}, literal segments match in any case (route
     * rules do, so {@code /REPORTS} cannot slip past a rule on a case-insensitive app; excludes do not, so they never
     * open more than they name).
     */
    /** Returns whether a normalized path matches. */
    public boolean matches(String path, boolean ignoreCase) {
        int count = 0;
        int i = 1;
        int n = path.length();
        if (n == 1) {
            return segments.length == 0;
        }
        while (i <= n) {
            int end = path.indexOf('/', i);
            if (end < 0) {
                end = n;
            }
            if (count == segments.length) {
                return anyTail;
            }
            String want = segments[count];
            if (!want.equals("*") && !(want.length() == end - i && path.regionMatches(ignoreCase, i, want, 0, end - i))) {
                return false;
            }
            count++;
            i = end + 1;
        }
        return count == segments.length;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathPattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
