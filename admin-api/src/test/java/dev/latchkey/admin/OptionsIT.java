package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@code OPTIONS}: the endpoints that need no token (API.md §3: {@code /health}, {@code /metrics},
 * {@code /openapi.json}) answer it without one, as Jersey answers it on {@code /v1} endpoints once authenticated;
 * {@code /v1} endpoints still need the token.
 */
class OptionsIT {

    private static final String ROOT = "root-for-options";

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

    private static Set<String> allow(Http.Res r) {
        return Arrays.stream(String.valueOf(r.header("Allow")).split(",")).map(String::trim)
                .collect(Collectors.toSet());
    }

    @Test
    void options_onOpenEndpoints_answersAllowWithoutToken() {
        for (String path : List.of("/health", "/metrics", "/openapi.json")) {
            Http.Res r = http.send("OPTIONS", path, null, null);
            assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
            assertThat(allow(r)).as(path).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS");
            assertThat(r.header("WWW-Authenticate")).isNull();
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void options_onOpenEndpoint_answersAsAnAuthenticatedV1EndpointDoes() {
        Http.Res open = http.send("OPTIONS", "/health", null, null);
        Http.Res authed = http.send("OPTIONS", "/v1/keys", ROOT, null);
        assertThat(authed.status()).isEqualTo(open.status());
        assertThat(open.header("Content-Type")).isEqualTo(authed.header("Content-Type"));
        assertThat(allow(authed)).contains("GET", "POST", "HEAD", "OPTIONS");
    }

    @Test
    void options_onV1Endpoints_stillNeedsToken() {
        for (String path : List.of("/v1/keys", "/v1/keys/01ARZ3NDEKTSV4RRFFQ69G5FAV", "/v1/verify")) {
            Http.Res r = http.send("OPTIONS", path, null, null);
            assertThat(r.status()).as(path + ": " + r).isEqualTo(401);
            assertThat(r.json().get("code").asText()).isEqualTo("unauthenticated");
        }
    }
}
