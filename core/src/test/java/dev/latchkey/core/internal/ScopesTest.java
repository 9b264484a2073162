package dev.latchkey.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link Scopes}: wildcard segments, and platform scopes that no wildcard reaches. */
class ScopesTest {

    @ParameterizedTest(name = "{0} grants {1}: {2}")
    @CsvSource({
            "reports:read,     reports:read,        true",
            "reports:read,     reports:write,       false",
            "reports:read,     reports,             false",
            "reports:read,     reports:read:all,    false",
            "reports:*,        reports:read,        true",
            "reports:*,        reports:eu:read,     true",
            "reports:*,        reports,             false",
            "reports:*,        billing:read,        false",
            "reports:*,        reportsx:read,       false",
            "*,                reports,             true",
            "*,                reports:eu:read,     true",
            "*:read,           reports:read,        true",
            "*:read,           reports:write,       false",
            "*:read,           reports:eu:read,     false",
            "reports:*:read,   reports:eu:read,     true",
            "reports:*:read,   reports:eu:us:read,  false",
            "reports:*:read,   reports:eu:write,    false",
            "rep*,             reports,             false",
            "reports:re*,      reports:read,        false",
            "latchkey:admin,   latchkey:admin,      true",
            "*,                latchkey:admin,      false",
            "*,                latchkey:verify,     false",
            "latchkey:*,       latchkey:admin,      false",
            "latchkey:*,       latchkey:tenant-admin, false",
            "*:admin,          latchkey:admin,      false",
            "latchkey:admin,   latchkey:verify,     false",
    })
    void matches_followsTheWildcardRules(String granted, String required, boolean expected) {
        assertThat(Scopes.matches(granted, required)).isEqualTo(expected);
    }

    @Test
    void grantsAll_needsEveryRequiredScope() {
        List<String> granted = List.of("reports:*", "billing:read");

        assertThat(Scopes.grantsAll(granted, List.of())).isTrue();
        assertThat(Scopes.grantsAll(granted, List.of("reports:read", "billing:read"))).isTrue();
        assertThat(Scopes.grantsAll(granted, List.of("reports:read", "billing:write"))).isFalse();
        assertThat(Scopes.grantsAll(List.of(), List.of("reports:read"))).isFalse();
        assertThat(Scopes.grantsAll(List.of(), List.of())).isTrue();
    }

    @Test
    void grants_platformScopesOnlyByName() {
        assertThat(Scopes.grants(List.of("*", "latchkey:*"), Scopes.ADMIN)).isFalse();
        assertThat(Scopes.grants(List.of("*", Scopes.VERIFY), Scopes.VERIFY)).isTrue();
    }

    @Test
    void isPlatform_andPattern() {
        assertThat(Scopes.isPlatform("latchkey:admin")).isTrue();
        assertThat(Scopes.isPlatform("latchkeys:admin")).isFalse();
        assertThat(Scopes.isPlatform("reports:latchkey:admin")).isFalse();
        assertThat(Scopes.PATTERN.matcher("a:b.c_d-e*0").matches()).isTrue();
        assertThat(Scopes.PATTERN.matcher("A").matches()).isFalse();
        assertThat(Scopes.PATTERN.matcher("a".repeat(65)).matches()).isFalse();
    }

    @Test
    void matches_agreesWithTheSegmentBySegmentDefinition_onEveryShortScope() {
        String alphabet = "ab:*";
        List<String> all = new java.util.ArrayList<>();
        all.add("");
        for (int length = 1; length <= 5; length++) {
            for (int n = 0; n < Math.pow(alphabet.length(), length); n++) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0, v = n; i < length; i++, v /= alphabet.length()) {
                    sb.append(alphabet.charAt(v % alphabet.length()));
                }
                all.add(sb.toString());
            }
        }
        all.add("latchkey:admin");
        all.add("latchkey:*");
        for (String granted : all) {
            for (String required : all) {
                assertThat(Scopes.matches(granted, required)).as("%s grants %s", granted, required)
                        .isEqualTo(bySegments(granted, required));
            }
        }
    }

    /** The rule as the class comment states it, segment by segment (the implementation before #20). */
    private static boolean bySegments(String granted, String required) {
        if (granted.equals(required)) {
            return true;
        }
        if (granted.indexOf('*') < 0 || Scopes.isPlatform(required)) {
            return false;
        }
        String[] g = granted.split(":", -1);
        String[] r = required.split(":", -1);
        for (int i = 0; ; i++) {
            boolean star = g[i].equals("*");
            if (star && i == g.length - 1) {
                return true;
            }
            if (!star && !g[i].equals(r[i])) {
                return false;
            }
            if (i == g.length - 1 || i == r.length - 1) {
                return i == g.length - 1 && i == r.length - 1;
            }
        }
    }
}
