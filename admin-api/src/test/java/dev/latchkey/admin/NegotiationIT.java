package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for content negotiation (RFC 9110 §12.5.1, API.md §4): {@code q=0} refuses a type, {@code Accept} parameters
 * are not echoed into {@code Content-Type}, a 406 names what the resource serves, and {@code /metrics} answers the
 * Prometheus text format to any {@code Accept}.
 */
class NegotiationIT {

    private static final String ROOT = "root-for-negotiation";

    private InMemoryAdmin admin;
    private Http http;

    @BeforeEach
    void start() {
        admin = new InMemoryAdmin(ROOT);
        http = admin.http;
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private static void assertNotAcceptable(Http.Res r, String served) {
        assertThat(r.status()).as(r.toString()).isEqualTo(406);
        assertThat(r.header("Content-Type")).startsWith(Problems.PROBLEM_JSON);
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.json().get("code").asText()).isEqualTo("not_acceptable");
        assertThat(r.json().get("detail").asText()).contains("answers " + served);
    }

    @Test
    void acceptWithQZero_refusesTheOnlyType_with406_beforeAnythingRuns() {
        for (String accept : List.of("application/json;q=0", "application/json; q=0.000", "*/*;q=0",
                "application/*;q=0, text/html", "application/json;q=0, */*")) {
            assertNotAcceptable(http.send("GET", "/v1/keys", ROOT, null, "Accept", accept), "application/json");
        }
        assertNotAcceptable(http.send("POST", "/v1/keys", ROOT, Http.map("name", "refused"), "Accept",
                "application/json;q=0"), "application/json");
        assertNotAcceptable(http.send("GET", "/health", null, null, "Accept", "application/json;q=0"),
                "application/json");
        assertThat(http.send("GET", "/v1/keys", ROOT, null).json().get("total").asLong()).isZero();
    }

    @Test
    void acceptWithQZero_isAnsweredBeforeAuthentication_asOther406s() {
        assertNotAcceptable(http.send("GET", "/v1/keys", null, null, "Accept", "application/json;q=0"),
                "application/json");
        assertNotAcceptable(http.send("GET", "/v1/keys", null, null, "Accept", "text/html"), "application/json");
    }

    @Test
    void acceptWithPositiveWeights_stillAnswers() {
        for (String accept : List.of("application/json;q=0.001", "*/*;q=0, application/json",
                "application/json;q=0, application/*;q=0.5, application/json;q=0.2", "text/html, */*;q=0.1")) {
            Http.Res r = http.send("GET", "/v1/keys", ROOT, null, "Accept", accept);
            assertThat(r.status()).as(accept + ": " + r).isEqualTo(200);
        }
        // DELETE also produces problems, so a client that accepts only those is answered
        String id = http.send("POST", "/v1/keys", ROOT, Http.map("name", "n")).json().get("id").asText();
        assertThat(http.send("DELETE", "/v1/keys/" + id, ROOT, null, "Accept",
                "application/json;q=0, application/problem+json").status()).isEqualTo(204);
    }

    @Test
    void acceptParameters_areNotEchoedIntoContentType() {
        for (String accept : List.of("application/json;version=2", "application/json; charset=utf-16",
                "application/json;x=\"a;b\";q=0.9")) {
            Http.Res list = http.send("GET", "/v1/keys", ROOT, null, "Accept", accept);
            assertThat(list.status()).as(list.toString()).isEqualTo(200);
            assertThat(list.header("Content-Type")).as(accept).isEqualTo("application/json");
            Http.Res created = http.send("POST", "/v1/keys", ROOT, Http.map("name", "k"), "Accept", accept);
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.header("Content-Type")).as(accept).isEqualTo("application/json");
            assertThat(http.send("GET", "/health", null, null, "Accept", accept).header("Content-Type"))
                    .isEqualTo("application/json");
        }
    }

    @Test
    void notAcceptable_namesWhatTheResourceServes() {
        assertNotAcceptable(http.send("GET", "/health", null, null, "Accept", "text/html"), "application/json");
        assertNotAcceptable(http.send("GET", "/openapi.json", null, null, "Accept", "text/plain"),
                "application/json");
        String id = http.send("POST", "/v1/keys", ROOT, Http.map("name", "n")).json().get("id").asText();
        assertNotAcceptable(http.send("DELETE", "/v1/keys/" + id, ROOT, null, "Accept", "text/html"),
                "application/json or application/problem+json");
        assertThat(http.send("GET", "/v1/keys/" + id, ROOT, null).status()).isEqualTo(200);
    }

    @Test
    void metrics_answersPrometheusText_toAnyAccept() {
        for (String accept : List.of("application/openmetrics-text", "application/openmetrics-text;version=1.0.0",
                "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,"
                        + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2", "text/plain", "application/json", "*/*")) {
            Http.Res r = http.send("GET", "/metrics", null, null, "Accept", accept);
            assertThat(r.status()).as(accept + ": " + r).isEqualTo(200);
            assertThat(r.header("Content-Type")).as(accept).startsWith("text/plain").contains("version=0.0.4")
                    .doesNotContain("openmetrics");
            assertThat(r.body()).contains("# TYPE ");
        }
    }
}
