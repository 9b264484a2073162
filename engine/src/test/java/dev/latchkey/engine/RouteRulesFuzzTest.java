package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testkit.Fuzz;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Seeded generated-input tests of route patterns and rules ({@link PathPattern}, {@link RouteRules}) and of the
 * path normalization they rely on ({@link RequestPaths}), against a segment-by-segment reference matcher (#21).
 */
class RouteRulesFuzzTest {

    private static List<String> segments(Fuzz in, int max, boolean wildcards) {
        List<String> out = new ArrayList<>();
        for (int i = in.between(0, max); i > 0; i--) {
            out.add(wildcards && in.chance(0.25) ? "*" : in.oneOf("a", "b", "A", "ab", "v1", "x-y", "é", "1"));
        }
        return out;
    }

    private static String path(List<String> segments) {
        return "/" + String.join("/", segments);
    }

    private static boolean reference(List<String> pattern, boolean tail, List<String> path, boolean ignoreCase) {
        if (path.size() < pattern.size() || (!tail && path.size() != pattern.size())) {
            return false;
        }
        for (int i = 0; i < pattern.size(); i++) {
            String want = pattern.get(i);
            String got = path.get(i);
            boolean same = ignoreCase ? want.toLowerCase(Locale.ROOT).equals(got.toLowerCase(Locale.ROOT))
                    || want.equalsIgnoreCase(got) : want.equals(got);
            if (!want.equals("*") && !same) {
                return false;
            }
        }
        return true;
    }

    @Test
    void patterns_matchExactlyWhatTheSegmentReferenceMatches() {
        Fuzz.check(2131L, 2_000, in -> {
            List<String> pattern = segments(in, 4, true);
            boolean tail = in.chance(0.3);
            String text = in.record(path(pattern) + (tail ? (pattern.isEmpty() ? "**" : "/**") : ""));
            List<String> probe = in.chance(0.5) ? segments(in, 6, false) : new ArrayList<>(pattern);
            probe.replaceAll(s -> s.equals("*") ? "w" : in.chance(0.2) ? s.toUpperCase(Locale.ROOT) : s);
            if (in.chance(0.3)) {
                probe.addAll(segments(in, 2, false));
            }
            String p = in.record(path(probe));
            PathPattern parsed = PathPattern.parse(text);
            boolean ignoreCase = in.chance(0.5);
            assertThat(parsed.matches(p, ignoreCase)).as(text + " ~ " + p + " ignoreCase=" + ignoreCase)
                    .isEqualTo(reference(pattern, tail, probe, ignoreCase));
        });
    }

    @Test
    void ruleText_roundTrips_andTheFirstMatchingRuleWins() {
        Fuzz.check(2132L, 800, in -> {
            List<String> methods = new ArrayList<>();
            List<List<String>> patterns = new ArrayList<>();
            List<Long> costs = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int i = in.between(1, 4); i > 0; i--) {
                String method = in.oneOf("GET", "post", "*", "DELETE", "Head");
                List<String> pattern = segments(in, 3, true);
                long cost = in.chance(0.5) ? 1 : in.between(0L, RouteRules.MAX_COST);
                methods.add(method.toUpperCase(Locale.ROOT).equals("HEAD") ? "GET" : method.toUpperCase(Locale.ROOT));
                patterns.add(pattern);
                costs.add(cost);
                text.append(in.oneOf(";", " ; ", ";;")).append(method).append(' ').append(path(pattern))
                        .append(cost == 1 && in.chance(0.5) ? "" : " cost=" + cost)
                        .append(in.chance(0.5) ? " keys:read" : "");
            }
            RouteRules rules = RouteRules.parse(in.record(text.toString()));
            assertThat(rules.rules()).hasSize(methods.size());
            String method = in.oneOf("GET", "POST", "DELETE", "HEAD", "PUT");
            List<String> probe = in.chance(0.5) ? segments(in, 3, false) : new ArrayList<>(in.oneOf(patterns));
            probe.replaceAll(s -> s.equals("*") ? "z" : s);
            RouteRules.Rule hit = rules.match(method, path(probe));
            int expected = -1;
            for (int i = 0; i < methods.size() && expected < 0; i++) {
                String m = method.equals("HEAD") ? "GET" : method;
                if ((methods.get(i).equals("*") || methods.get(i).equals(m))
                        && reference(patterns.get(i), false, probe, true)) {
                    expected = i;
                }
            }
            assertThat(hit).isEqualTo(expected < 0 ? null : rules.rules().get(expected));
            if (hit != null) {
                assertThat(hit.cost()).isEqualTo(costs.get(expected));
            }
        });
    }

    @Test
    void hostileRuleText_parsesOrIsRefusedWithAMessage_neverAnotherException() {
        Fuzz.check(2133L, 2_000, in -> {
            String text = in.hostile(30, "GET ", "POST ", "* ", "/", "/*", "/**", "**", "cost=", "cost=99999999",
                    "cost=-1", ";", " ", "scope:x", "%2F", "%2A", "..", "%", "é");
            try {
                RouteRules rules = RouteRules.parse(text);
                rules.match("GET", "/a/b");
                rules.match("GET", "/");
            } catch (IllegalArgumentException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        });
    }

    @Test
    void hostilePaths_normalizeToACleanPathOrAreRefused() {
        Fuzz.check(2134L, 3_000, in -> {
            String raw = in.hostile(40, "/", "a", "..", ".", "%2e", "%2E%2E", "%2F", "%5C", ";x=1", "%", "%zz",
                    "%c3%a9", "%ff", "%e2%82", "//", "é");
            String normalized = RequestPaths.normalize(raw);
            if (normalized != null) {
                assertThat(normalized).startsWith("/");
                assertThat(normalized).doesNotContain("//").doesNotContain("\\");
                assertThat(("/" + normalized + "/").contains("/../")).isFalse();
                assertThat(("/" + normalized + "/").contains("/./")).isFalse();
                assertThat(normalized.equals("/") || !normalized.endsWith("/")).isTrue();
                assertThat(normalized.chars().noneMatch(c -> c < 0x20)).isTrue();
                PathPattern.parse("/**").matches(normalized, true);
            }
        });
    }
}
