package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.QuotaInput;
import dev.latchkey.engine.CountingKeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tests for {@link GatewayServer} over real HTTP on the in-memory store: every door of API.md §11 (the forward form
 * that Traefik, Caddy and HAProxy use, nginx's, Envoy's), replaying the exact request shapes of Traefik
 * {@code forwardAuth} and Envoy {@code ext_authz}, plus {@code /health} and {@code /metrics}. Clients 127.0.0.0/8 may
 * ask; only 127.0.0.1 is a trusted proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayServerIT {

    final CountingKeyStore store = new CountingKeyStore();
    final KeyManager manager = Fixtures.manager(store);
    final ObjectMapper json = new ObjectMapper();
    GatewayServer gateway;
    int port;

    @BeforeAll
    void start() {
        gateway = GatewayServer.start(new GatewaySettings("127.0.0.1", 0, AddressBlocks.parse("127.0.0.0/8"),
                Fixtures.auth().build()), store, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        port = gateway.port();
    }

    @AfterAll
    void stop() {
        gateway.close();
        store.close();
    }

    @AfterEach
    void storeBack() {
        store.down = false;
    }

    RawHttp.Reply forward(String method, String uri, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "X-Forwarded-Method: " + method;
        all[1] = "X-Forwarded-Uri: " + uri;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return RawHttp.send(port, "GET", "/v1/authorize", all);
    }

    JsonNode problem(RawHttp.Reply r) throws Exception {
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("X-Request-Id")).isNotBlank();
        return json.readTree(r.body());
    }

    // ---- the forward door (Traefik forwardAuth, Caddy forward_auth, HAProxy's Lua action) ------------------------

    @Test
    void traefikShape_validKey_allowsWithEveryIdentityHeader() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read", "billing:read");
        RawHttp.Reply r = RawHttp.send(port, "GET", "/v1/authorize", "X-Forwarded-Method: GET",
                "X-Forwarded-Proto: https", "X-Forwarded-Host: api.example.com", "X-Forwarded-Uri: /reports/42?x=1",
                "X-Forwarded-For: 203.0.113.9", "Authorization: Bearer " + k.token());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("X-Latchkey-Key-Id")).isEqualTo(k.key().id());
        assertThat(r.header("X-Latchkey-Tenant")).isEqualTo("tenant-a");
        assertThat(r.header("X-Latchkey-Owner")).isEqualTo("owner-7");
        assertThat(r.header("X-Latchkey-Environment")).isEqualTo("live");
        assertThat(r.header("X-Latchkey-Scopes")).isEqualTo("reports:read billing:read");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.has("X-Latchkey-Status")).isFalse();
    }

    @Test
    void forward_excludedPath_allowsWithEmptyIdentityHeaders() throws Exception {
        RawHttp.Reply r = forward("GET", "/public/logo.png");
        assertThat(r.status()).isEqualTo(200);
        for (String h : new String[] {"Key-Id", "Tenant", "Owner", "Environment", "Scopes"}) {
            assertThat(r.headers()).containsKey("x-latchkey-" + h.toLowerCase(java.util.Locale.ROOT));
            assertThat(r.header("X-Latchkey-" + h)).isEmpty();
        }
    }

    @Test
    void forward_noKey_401WithChallengeAndProblem() throws Exception {
        RawHttp.Reply r = forward("GET", "/reports/1", "X-Request-Id: req-123", "traceparent: "
                + "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"latchkey\"");
        assertThat(r.header("X-Request-Id")).isEqualTo("req-123");
        JsonNode p = problem(r);
        assertThat(p.get("code").asText()).isEqualTo("unauthenticated");
        assertThat(p.get("instance").asText()).isEqualTo("/reports/1");
        assertThat(p.get("request_id").asText()).isEqualTo("req-123");
        assertThat(p.get("trace_id").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void forward_badKey_401InvalidToken() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        String wrong = k.token().substring(0, k.token().length() - 3) + "AAA";
        RawHttp.Reply r = forward("GET", "/reports/1", "Authorization: Bearer " + wrong);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(r.body()).doesNotContain(wrong);
    }

    @Test
    void forward_missingScope_403InsufficientScope() throws Exception {
        IssuedKey k = Fixtures.key(manager, "billing:read");
        RawHttp.Reply r = forward("GET", "/reports/1", "X-API-Key: " + k.token());
        assertThat(r.status()).isEqualTo(403);
        assertThat(problem(r).get("code").asText()).isEqualTo("insufficient_scope");
        assertThat(r.has("X-Latchkey-Key-Id")).isFalse();
    }

    @Test
    void forward_postIsJudgedAsPost_notAsTheAskingGet() throws Exception {
        IssuedKey reader = Fixtures.key(manager, "reports:read");
        IssuedKey writer = Fixtures.key(manager, "reports:write");
        assertThat(forward("POST", "/reports", "Authorization: Bearer " + reader.token()).status()).isEqualTo(403);
        assertThat(forward("POST", "/reports", "Authorization: Bearer " + writer.token()).status()).isEqualTo(200);
        assertThat(forward("GET", "/reports", "Authorization: Bearer " + writer.token()).status()).isEqualTo(403);
    }

    @Test
    void forward_noMethodHeader_usesTheRequestsOwnMethod() throws Exception {
        IssuedKey writer = Fixtures.key(manager, "reports:write");
        RawHttp.Reply r = RawHttp.send(port, "POST", "/v1/authorize", "X-Forwarded-Uri: /reports",
                "Authorization: Bearer " + writer.token());
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void forward_tokenInQueryString_isNeverRead() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        RawHttp.Reply r = forward("GET", "/reports/1?api_key=" + k.token() + "&access_token=" + k.token());
        assertThat(r.status()).isEqualTo(401);
        assertThat(problem(r).get("instance").asText()).isEqualTo("/reports/1");
        assertThat(r.body()).doesNotContain(k.token());
    }

    @Test
    void forward_withoutUri_400() throws Exception {
        RawHttp.Reply r = RawHttp.send(port, "GET", "/v1/authorize", "X-Forwarded-Method: GET");
        assertThat(r.status()).isEqualTo(400);
        assertThat(problem(r).get("detail").asText()).contains("X-Forwarded-Uri");
    }

    @Test
    void forward_pathEscape_400() throws Exception {
        RawHttp.Reply r = forward("GET", "/public/..%2Freports/1");
        assertThat(r.status()).isEqualTo(400);
        assertThat(problem(r).get("code").asText()).isEqualTo("invalid_request");
    }

    @Test
    void forward_dotSegmentsCannotSlipPastARule() throws Exception {
        assertThat(forward("GET", "/public/../reports/1").status()).isEqualTo(401);
    }

    @Test
    void forward_storeDown_503WithRetryAfter() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        store.down = true;
        RawHttp.Reply r = forward("GET", "/reports/1", "Authorization: Bearer " + k.token());
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isEqualTo("1");
        assertThat(problem(r).get("code").asText()).isEqualTo("store_unavailable");
    }

    @Test
    void forward_usageIsCountedOncePerAllowedAsk() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        for (int i = 0; i < 3; i++) {
            assertThat(forward("GET", "/reports/1", "Authorization: Bearer " + k.token()).status()).isEqualTo(200);
        }
        assertThat(forward("POST", "/reports/1", "Authorization: Bearer " + k.token()).status()).isEqualTo(403);
        gateway.engine().usage().flush();
        assertThat(store.find(k.key().id()).orElseThrow().usage().count()).isEqualTo(3);
    }

    // ---- rate limits and quotas (API.md §8) ----------------------------------------------------------------------

    @Test
    void forward_rateLimit_allowsCarryTheRateLimitHeaders_thenA429WithRetryAfter() throws Exception {
        IssuedKey k = Fixtures.rateLimitedKey(manager, 2, "reports:read");
        for (int i = 0; i < 2; i++) {
            RawHttp.Reply ok = forward("GET", "/reports/1", "Authorization: Bearer " + k.token());
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("RateLimit-Policy")).isEqualTo("\"rate\";q=2;w=3600");
            assertThat(ok.header("RateLimit")).startsWith("\"rate\";r=" + (1 - i) + ";t=");
        }
        RawHttp.Reply r = forward("GET", "/reports/1", "Authorization: Bearer " + k.token());
        assertThat(r.status()).isEqualTo(429);
        assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 3600L);
        assertThat(r.header("RateLimit-Policy")).isEqualTo("\"rate\";q=2;w=3600");
        assertThat(r.header("RateLimit")).startsWith("\"rate\";r=0;t=");
        assertThat(r.has("X-Latchkey-Key-Id")).isFalse();
        assertThat(problem(r).get("code").asText()).isEqualTo("rate_limited");
    }

    @Test
    void nginx_rateLimited_is403WithTheRealStatusAndRetryAfter() throws Exception {
        IssuedKey k = Fixtures.rateLimitedKey(manager, 2, "reports:read");
        for (int i = 0; i < 2; i++) {
            RawHttp.Reply ok = RawHttp.send(port, "GET", "/v1/authorize/nginx", "X-Original-Method: GET",
                    "X-Original-URI: /reports/9", "Authorization: Bearer " + k.token());
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("RateLimit")).isNotBlank();
        }
        RawHttp.Reply r = RawHttp.send(port, "GET", "/v1/authorize/nginx", "X-Original-Method: GET",
                "X-Original-URI: /reports/9", "Authorization: Bearer " + k.token());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Latchkey-Status")).isEqualTo("429");
        assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 3600L);
        assertThat(r.header("RateLimit")).startsWith("\"rate\";r=0;t=");
        JsonNode p = problem(r);
        assertThat(p.get("code").asText()).isEqualTo("rate_limited");
        assertThat(p.get("status").asInt()).isEqualTo(429);
    }

    @Test
    void quotaExhausted_is403WithoutRetryAfter_onEveryDoor() throws Exception {
        IssuedKey k = Fixtures.limitedKey(manager, null, new QuotaInput(1L, "none", null), "reports:read");
        RawHttp.Reply ok = forward("GET", "/reports/1", "Authorization: Bearer " + k.token());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("RateLimit-Policy")).isEqualTo("\"quota\";q=1");
        assertThat(ok.header("RateLimit")).isEqualTo("\"quota\";r=0");
        RawHttp.Reply spent = forward("GET", "/reports/1", "Authorization: Bearer " + k.token());
        assertThat(spent.status()).isEqualTo(403);
        assertThat(spent.has("Retry-After")).isFalse();
        assertThat(problem(spent).get("code").asText()).isEqualTo("quota_exhausted");
        RawHttp.Reply nginx = RawHttp.send(port, "GET", "/v1/authorize/nginx", "X-Original-Method: GET",
                "X-Original-URI: /reports/9", "Authorization: Bearer " + k.token());
        assertThat(nginx.status()).isEqualTo(403);
        assertThat(nginx.has("X-Latchkey-Status")).isFalse();
        assertThat(nginx.has("Retry-After")).isFalse();
        assertThat(problem(nginx).get("code").asText()).isEqualTo("quota_exhausted");
    }

    @Test
    void keyWithoutLimits_allowCarriesNoRateLimitHeaders() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        RawHttp.Reply ok = forward("GET", "/reports/1", "Authorization: Bearer " + k.token());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.has("RateLimit")).isFalse();
        assertThat(ok.has("RateLimit-Policy")).isFalse();
    }

    // ---- client addresses ----------------------------------------------------------------------------------------

    @Test
    void forwardedFor_countsThroughTheTrustedHop() throws Exception {
        IssuedKey k = Fixtures.restrictedKey(manager, "203.0.113.0/24", "reports:read");
        assertThat(forward("GET", "/reports/1", "X-Forwarded-For: 203.0.113.9", "Authorization: Bearer " + k.token())
                .status()).isEqualTo(200);
        assertThat(forward("GET", "/reports/1", "X-Forwarded-For: 198.51.100.1",
                "Authorization: Bearer " + k.token()).status()).isEqualTo(403);
    }

    @Test
    void forwardedFor_fromAnUntrustedClient_isIgnored() throws Exception {
        IssuedKey k = Fixtures.restrictedKey(manager, "203.0.113.0/24", "reports:read");
        RawHttp.Reply r = RawHttp.send("127.0.0.2", port, "GET", "/v1/authorize", "X-Forwarded-Method: GET",
                "X-Forwarded-Uri: /reports/1", "X-Forwarded-For: 203.0.113.9", "Authorization: Bearer " + k.token());
        assertThat(r.status()).isEqualTo(403);
        assertThat(problem(r).get("code").asText()).isEqualTo("ip_not_allowed");
        IssuedKey local = Fixtures.restrictedKey(manager, "127.0.0.2/32", "reports:read");
        assertThat(RawHttp.send("127.0.0.2", port, "GET", "/v1/authorize", "X-Forwarded-Method: GET",
                "X-Forwarded-Uri: /reports/1", "Authorization: Bearer " + local.token()).status()).isEqualTo(200);
    }

    @Test
    void askFromOutsideTheGatewayClients_403GatewayClientForbidden() throws Exception {
        GatewaySettings narrow = new GatewaySettings("127.0.0.1", 0, AddressBlocks.parse("127.0.0.1/32"),
                Fixtures.auth().build());
        try (GatewayServer g = GatewayServer.start(narrow, store, new PrometheusMeterRegistry(
                PrometheusConfig.DEFAULT))) {
            IssuedKey k = Fixtures.key(manager, "reports:read");
            RawHttp.Reply r = RawHttp.send("127.0.0.3", g.port(), "GET", "/v1/authorize/nginx",
                    "X-Original-Method: GET", "X-Original-URI: /reports/1", "Authorization: Bearer " + k.token());
            assertThat(r.status()).isEqualTo(403);
            assertThat(problem(r).get("code").asText()).isEqualTo("gateway_client_forbidden");
            assertThat(RawHttp.send(g.port(), "GET", "/v1/authorize/nginx", "X-Original-Method: GET",
                    "X-Original-URI: /reports/1", "Authorization: Bearer " + k.token()).status()).isEqualTo(200);
        }
    }

    // ---- the nginx door --------------------------------------------------------------------------------------------

    @Test
    void nginx_allowAndDenyKeep401And403() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        RawHttp.Reply ok = RawHttp.send(port, "GET", "/v1/authorize/nginx", "X-Original-Method: GET",
                "X-Original-URI: /reports/9", "Authorization: Bearer " + k.token());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("X-Latchkey-Key-Id")).isEqualTo(k.key().id());
        RawHttp.Reply post = RawHttp.send(port, "GET", "/v1/authorize/nginx", "X-Original-Method: POST",
                "X-Original-URI: /reports/9", "Authorization: Bearer " + k.token());
        assertThat(post.status()).isEqualTo(403);
        assertThat(post.has("X-Latchkey-Status")).isFalse();
        RawHttp.Reply none = RawHttp.send(port, "GET", "/v1/authorize/nginx", "X-Original-Method: GET",
                "X-Original-URI: /reports/9");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.has("X-Latchkey-Status")).isFalse();
    }

    @Test
    void nginx_otherDenials_are403WithTheRealStatus() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        store.down = true;
        RawHttp.Reply down = RawHttp.send(port, "GET", "/v1/authorize/nginx", "X-Original-Method: GET",
                "X-Original-URI: /reports/9", "Authorization: Bearer " + k.token());
        assertThat(down.status()).isEqualTo(403);
        assertThat(down.header("X-Latchkey-Status")).isEqualTo("503");
        assertThat(down.header("Retry-After")).isEqualTo("1");
        assertThat(problem(down).get("code").asText()).isEqualTo("store_unavailable");
        store.down = false;
        RawHttp.Reply bad = RawHttp.send(port, "GET", "/v1/authorize/nginx", "X-Original-Method: GET",
                "X-Original-URI: /a/%2F/b", "Authorization: Bearer " + k.token());
        assertThat(bad.status()).isEqualTo(403);
        assertThat(bad.header("X-Latchkey-Status")).isEqualTo("400");
        RawHttp.Reply noMethod = RawHttp.send(port, "GET", "/v1/authorize/nginx", "X-Original-URI: /reports/9");
        assertThat(noMethod.header("X-Latchkey-Status")).isEqualTo("400");
    }

    @Test // a 405 went out as a 405, which nginx turns into a 500 (API.md §11: 403 + X-Latchkey-Status)
    void nginx_onlyGetAndHead_405AsA403Otherwise() throws Exception {
        RawHttp.Reply r = RawHttp.send(port, "POST", "/v1/authorize/nginx", "X-Original-Method: GET",
                "X-Original-URI: /reports/9");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Latchkey-Status")).isEqualTo("405");
        assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(problem(r).get("code").asText()).isEqualTo("method_not_allowed");
    }

    // ---- the Envoy door (ext_authz HTTP service, path_prefix /v1/authorize/envoy) --------------------------------

    @Test
    void envoyShape_originalMethodAndPathBehindThePrefix() throws Exception {
        IssuedKey writer = Fixtures.key(manager, "reports:write");
        RawHttp.Reply ok = RawHttp.send(port, "POST", "/v1/authorize/envoy/reports/7?format=csv",
                "Authorization: Bearer " + writer.token(), "x-envoy-internal: true",
                "X-Forwarded-For: 203.0.113.9", "x-request-id: 3e1c2b9a-aaaa-bbbb-cccc-000000000001");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("X-Latchkey-Scopes")).isEqualTo("reports:write");
        RawHttp.Reply get = RawHttp.send(port, "GET", "/v1/authorize/envoy/reports/7",
                "Authorization: Bearer " + writer.token());
        assertThat(get.status()).isEqualTo(403);
        assertThat(RawHttp.send(port, "GET", "/v1/authorize/envoy/public/x").status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/v1/authorize/envoy").status()).isEqualTo(401);
    }

    @Test
    void envoy_encodedSlash_400() throws Exception {
        RawHttp.Reply r = RawHttp.send(port, "GET", "/v1/authorize/envoy/public%2F..%2Freports/1");
        assertThat(r.status()).isEqualTo(400);
    }

    // ---- health, metrics, other paths ------------------------------------------------------------------------------

    @Test
    void health_upAndDown() throws Exception {
        RawHttp.Reply up = RawHttp.send(port, "GET", "/health");
        assertThat(up.status()).isEqualTo(200);
        assertThat(up.header("Content-Type")).isEqualTo("application/json");
        assertThat(json.readTree(up.body()).get("status").asText()).isEqualTo("up");
        assertThat(json.readTree(up.body()).get("store").asText()).isEqualTo(store.kind());
        store.down = true;
        RawHttp.Reply down = RawHttp.send(port, "GET", "/health");
        assertThat(down.status()).isEqualTo(503);
        assertThat(json.readTree(down.body()).get("status").asText()).isEqualTo("down");
        assertThat(down.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void metrics_showTheEnginesMeters() throws Exception {
        forward("GET", "/reports/1");
        RawHttp.Reply r = RawHttp.send(port, "GET", "/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.body()).contains("latchkey_auth_requests_total{outcome=\"missing\"}");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void unknownPath_404Problem() throws Exception {
        RawHttp.Reply r = RawHttp.send(port, "GET", "/v1/authorizex");
        assertThat(r.status()).isEqualTo(404);
        assertThat(problem(r).get("code").asText()).isEqualTo("not_found");
    }
}
