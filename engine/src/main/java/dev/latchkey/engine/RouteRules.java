package dev.latchkey.engine;

import dev.latchkey.core.internal.Scopes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The route rules of {@code latchkey.scopes}: {@code METHOD /pattern scope scope [cost=N]; ...}. Method {@code *}
 * matches any; {@code HEAD} counts as {@code GET}; the first matching rule wins; a rule may list no scope (any valid
 * key). A path no rule matches needs any valid key and costs 1. Paths match rules in any case ({@code /REPORTS}
 * needs what {@code /reports} needs), so an app that serves paths case-insensitively cannot be reached around a rule.
 * Immutable.
 *
 * @since 0.1
 */
public final class RouteRules {

    /** The most a route may cost per request. */
    public static final long MAX_COST = 1_000_000;

    /**
     * One rule.
     *
     * @param method  the method in upper case, or {@code *}; {@code HEAD} is stored as {@code GET}
     * @param pattern the path pattern
     * @param cost    the units one request spends of the key's rate limit and quota (default 1)
     * @param scopes  the scopes a request needs, all of them
     */
    public record Rule(String method, PathPattern pattern, long cost, List<String> scopes) {

        public Rule {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(pattern, "pattern");
            scopes = List.copyOf(scopes);
        }

        /**
         * Returns a validated rule.
         *
         * @throws IllegalArgumentException when the method, pattern, cost or a scope is invalid
         */
        public static Rule of(String method, String pattern, long cost, List<String> scopes) {
            String m = Objects.requireNonNull(method, "method").strip().toUpperCase(Locale.ROOT);
            if (!METHOD.matcher(m).matches()) {
                throw new IllegalArgumentException("'" + method + "' is not a method or *");
            }
            if (cost < 0 || cost > MAX_COST) {
                throw new IllegalArgumentException("cost must be 0 to " + MAX_COST);
            }
            for (String s : scopes) {
                if (s == null || !Scopes.PATTERN.matcher(s).matches()) {
                    throw new IllegalArgumentException("scope '" + s + "' must match " + Scopes.PATTERN.pattern());
                }
            }
            return new Rule(m.equals("HEAD") ? "GET" : m, PathPattern.parse(pattern), cost, scopes);
        }

        boolean matches(String method, String path) {
            return (this.method.equals("*") || this.method.equals(method)) && pattern.matches(path, true);
        }
    }

    private static final Pattern METHOD = Pattern.compile("\\*|[A-Z]{1,20}");
    private static final Pattern COST = Pattern.compile("cost=(\\d{1,7})");

    /** No rules: every path needs any valid key. */
    public static final RouteRules NONE = new RouteRules(List.of());

    private final List<Rule> rules;

    private RouteRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Returns rules checked in the given order. */
    public static RouteRules of(List<Rule> rules) {
        return rules.isEmpty() ? NONE : new RouteRules(rules);
    }

    /**
     * Parses the text grammar.
     *
     * @throws IllegalArgumentException with a message naming the bad rule
     */
    public static RouteRules parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split(";")) {
            String rule = raw.strip();
            if (rule.isEmpty()) {
                continue;
            }
            String[] parts = rule.split("\\s+");
            if (parts.length < 2) {
                throw new IllegalArgumentException("rule '" + rule + "' needs a method and a path");
            }
            List<String> scopes = new ArrayList<>();
            long cost = 1;
            boolean costSeen = false;
            for (int i = 2; i < parts.length; i++) {
                if (parts[i].startsWith("cost=")) {
                    var m = COST.matcher(parts[i]);
                    if (costSeen || !m.matches() || Long.parseLong(m.group(1)) > MAX_COST) {
                        throw new IllegalArgumentException("rule '" + rule + "': cost must be one cost=N with N 0 to "
                                + MAX_COST);
                    }
                    cost = Long.parseLong(m.group(1));
                    costSeen = true;
                } else {
                    scopes.add(parts[i]);
                }
            }
            try {
                rules.add(Rule.of(parts[0], parts[1], cost, scopes));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rule '" + rule + "': " + e.getMessage(), e);
            }
        }
        return of(rules);
    }

    /** Returns the first rule that matches, or {@code null}. */
    public @Nullable Rule match(String method, String path) {
        String m = method.equals("HEAD") ? "GET" : method;
        for (Rule r : rules) {
            if (r.matches(m, path)) {
                return r;
            }
        }
        return null;
    }

    /** Returns the scopes a request needs: those of the first matching rule, or none. */
    public List<String> required(String method, String path) {
        Rule r = match(method, path);
        return r == null ? List.of() : r.scopes();
    }

    /** Returns the rules, in order. */
    public List<Rule> rules() {
        return rules;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteRules r && r.rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }
}
