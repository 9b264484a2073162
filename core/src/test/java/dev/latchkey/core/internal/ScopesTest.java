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
}
