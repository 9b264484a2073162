package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests for {@link RequestPaths}, {@link PathPattern} and {@link RouteRules}. */
class RequestPathsTest {

    @Test
    void normalize_resolvesDotsParamsAndEmptySegments() {
        assertThat(RequestPaths.normalize("/reports/..;/admin")).isEqualTo("/admin");
        assertThat(RequestPaths.normalize("//reports//x/")).isEqualTo("/reports/x");
        assertThat(RequestPaths.normalize("/a/%2e%2e/reports")).isEqualTo("/reports");
        assertThat(RequestPaths.normalize("/a;jsessionid=1/./b;x")).isEqualTo("/a/b");
        assertThat(RequestPaths.normalize("/caf%C3%A9")).isEqualTo("/café");
        assertThat(RequestPaths.normalize("/")).isEqualTo("/");
    }

    @Test
    void normalize_returnsAnOrdinaryPathAsItIs_andStillResolvesEveryOddSegment() {
        String plain = "/reports/2026-12/summary.json";
        assertThat(RequestPaths.normalize(plain)).isSameAs(plain);
        assertThat(RequestPaths.normalize("/a/.b/..c/d..")).isEqualTo("/a/.b/..c/d..");
        assertThat(RequestPaths.normalize("/a/./b")).isEqualTo("/a/b");
        assertThat(RequestPaths.normalize("/a/b/..")).isEqualTo("/a");
        assertThat(RequestPaths.normalize("/a/b/.")).isEqualTo("/a/b");
        assertThat(RequestPaths.normalize("/a/")).isEqualTo("/a");
        assertThat(RequestPaths.normalize("a/b")).isEqualTo("/a/b");
        assertThat(RequestPaths.normalize("/a b")).isEqualTo("/a b");
        assertThat(RequestPaths.normalize("/a\\b")).isNull();
        assertThat(RequestPaths.normalize("/a\u0001")).isNull();
        assertThat(RequestPaths.normalize("/x".repeat(255))).isEqualTo("/x".repeat(255));
        assertThat(RequestPaths.normalize("/x".repeat(256))).isNull();
    }

    @Test
    void normalize_refusesWhatContainersMightReadDifferently() {
        assertThat(RequestPaths.normalize("/reports%2Fx")).isNull();
        assertThat(RequestPaths.normalize("/reports%2fx")).isNull();
        assertThat(RequestPaths.normalize("/a%5C..")).isNull();
        assertThat(RequestPaths.normalize("/a%00")).isNull();
        assertThat(RequestPaths.normalize("/a%zz")).isNull();
        assertThat(RequestPaths.normalize("/%c0%ae%c0%ae/x")).isNull();
        assertThat(RequestPaths.normalize("/../x")).isNull();
    }

    @Test
    void applicationPath_stripsContextPath() {
        assertThat(RequestPaths.applicationPath("/app/reports/x", "/app")).isEqualTo("/reports/x");
        assertThat(RequestPaths.applicationPath("/app;x=1/reports", "/app")).isEqualTo("/reports");
        assertThat(RequestPaths.applicationPath("/%61pp/reports", "/app")).isEqualTo("/reports");
        assertThat(RequestPaths.applicationPath("/other/reports", "/app")).isNull();
    }

    @Test
    void pathPattern_matchesStarAndDoubleStar() {
        PathPattern tail = PathPattern.parse("/reports/**");
        assertThat(tail.matches("/reports")).isTrue();
        assertThat(tail.matches("/reports/a/b")).isTrue();
        assertThat(tail.matches("/reportsx")).isFalse();
        PathPattern one = PathPattern.parse("/users/*/keys");
        assertThat(one.matches("/users/42/keys")).isTrue();
        assertThat(one.matches("/users/keys")).isFalse();
        assertThat(one.matches("/users/1/2/keys")).isFalse();
        assertThat(PathPattern.parse("/**").matches("/")).isTrue();
        assertThat(PathPattern.parse("/").matches("/")).isTrue();
        assertThat(PathPattern.parse("/").matches("/a")).isFalse();
    }

    @Test
    void routeRules_firstMatchWins_headIsGet_starMethodMatchesAny() {
        RouteRules rules = RouteRules.parse(
                "GET /reports/public/** ; get /reports/** reports:read; * /reports/** reports:write a:b");
        assertThat(rules.required("GET", "/reports/public/x")).isEmpty();
        assertThat(rules.required("HEAD", "/reports/2026")).containsExactly("reports:read");
        assertThat(rules.required("DELETE", "/reports/2026")).containsExactly("reports:write", "a:b");
        assertThat(rules.required("GET", "/other")).isEmpty();
    }

    @Test
    void routeRules_matchPathsInAnyCase_excludePatternsOnlyExactly() {
        RouteRules rules = RouteRules.parse("GET /reports/** reports:read");
        assertThat(rules.required("GET", "/REPORTS/x")).containsExactly("reports:read");
        assertThat(rules.required("GET", "/Reports")).containsExactly("reports:read");
        assertThat(PathPattern.parse("/public/**").matches("/PUBLIC/x")).isFalse();
        assertThat(PathPattern.parse("/public/**").matches("/public/x")).isTrue();
    }
}
