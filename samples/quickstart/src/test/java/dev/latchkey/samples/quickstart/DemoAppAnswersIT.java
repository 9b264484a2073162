package dev.latchkey.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.samples.demo.DemoAppChecks;
import dev.latchkey.samples.demo.DemoAppChecks.AdminApi;
import dev.latchkey.samples.demo.DemoAppChecks.IssuedKey;
import dev.latchkey.samples.demo.DemoAppChecks.RawAnswer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tests for the answers of the quickstart's demo app that are not the filter's decision: what Jetty answers itself,
 * and the app's own, held to API.md §4 (problem bodies, {@code nosniff}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoAppAnswersIT {

    private Running running;
    private URI app;
    private IssuedKey key;
    private IssuedKey reader;

    @BeforeAll
    void start() {
        running = Running.start(Map.of());
        app = running.quickstart().appUri();
        key = new AdminApi(running.quickstart().adminUri(), running.printedAdminToken())
                .create("answers", "default", List.of("reports:read", "reports:write"));
        reader = new AdminApi(running.quickstart().adminUri(), running.printedAdminToken())
                .create("reader", "default", List.of("reports:read"));
    }

    @AfterAll
    void stop() {
        running.close();
    }

    @Test // audit: Jetty refused these before the filter ran, with its own text/html page and no nosniff
    void refusedPaths_areProblemJsonWithNosniff_notJettysHtmlPage() {
        DemoAppChecks.checkRefusedPathsAreProblems(app, key.token());
    }

    @Test // audit: /hello, /health, /reports, POST /reports and Jetty's 404 had no nosniff; denials did
    void everyAnswer_carriesNosniff() {
        DemoAppChecks.checkNosniffOnEveryAnswer(app, key.token(), reader.token());
    }

    @Test // the demo's own 400 was application/problem+json;charset=utf-8
    void appsOwnProblem_isExactlyProblemJson() {
        DemoAppChecks.Answer a = DemoAppChecks.call(app, "POST", "/reports", "{\"title\":42}",
                "X-API-Key", key.token(), "Content-Type", "application/json");
        assertThat(a.status()).as(a.raw().body()).isEqualTo(400);
        assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(a.json().get("code").asText()).isEqualTo("invalid_request");
    }

    @Test
    void unmappedPath_withAKey_isANotFoundProblem() {
        RawAnswer a = DemoAppChecks.raw(app, "GET", "/nowhere", "X-API-Key: " + key.token(), "Accept: text/html");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(a.body()).contains("\"code\":\"not_found\"").doesNotContain("<html");
    }

    @Test
    void methodAServletLacks_isAMethodNotAllowedProblem() {
        RawAnswer a = DemoAppChecks.raw(app, "PUT", "/health", "Content-Length: 0");
        assertThat(a.status()).isEqualTo(405);
        assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(a.body()).contains("\"code\":\"method_not_allowed\"");
    }
}
