package dev.latchkey.filter;

import dev.latchkey.core.Scopes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code latchkey.scopes} route rules: {@code METHOD /pattern scope scope; ...}. Method {@code *} matches any;
 * {@code HEAD} counts as {@code GET}; the first matching rule wins; a rule may list no scope (any valid key). A
 * path no rule matches needs any valid key. Paths match rules in any case ({@code /REPORTS} needs what
 * {@code /reports} needs), so an app that serves paths case-insensitively cannot be reached around a rule. Immutable.
 */
final class RouteRules {

    /** One rule. */
    record Rule(String method, PathPattern pattern, List<String> scopes) {
    }

    private static final Pattern METHOD = Pattern.compile("\\*|[A-Z]{1,20}");

    private final List<Rule> rules;

    private RouteRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static final RouteRules NONE = new RouteRules(List.of());

    /**
     * Parses rules.
     *
     * @throws IllegalArgumentException with a message naming the bad rule
     */
    static RouteRules parse(String text) {
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
            String method = parts[0].toUpperCase(Locale.ROOT);
            if (!METHOD.matcher(method).matches()) {
                throw new IllegalArgumentException("rule '" + rule + "' has an invalid method");
            }
            if (method.equals("HEAD")) {
                method = "GET";
            }
            PathPattern pattern;
            try {
                pattern = PathPattern.parse(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rule '" + rule + "': " + e.getMessage(), e);
            }
            List<String> scopes = new ArrayList<>();
            for (int i = 2; i < parts.length; i++) {
                if (!Scopes.PATTERN.matcher(parts[i]).matches()) {
                    throw new IllegalArgumentException("rule '" + rule + "': scope '" + parts[i]
                            + "' must match " + Scopes.PATTERN.pattern());
                }
                scopes.add(parts[i]);
            }
            rules.add(new Rule(method, pattern, List.copyOf(scopes)));
        }
        return new RouteRules(rules);
    }

    /** Returns the scopes a request needs: those of the first matching rule, or none. */
    List<String> required(String method, String path) {
        String m = method.equals("HEAD") ? "GET" : method;
        for (Rule r : rules) {
            if ((r.method().equals("*") || r.method().equals(m)) && r.pattern().matches(path, true)) {
                return r.scopes();
            }
        }
        return List.of();
    }

    List<Rule> rules() {
        return rules;
    }
}
