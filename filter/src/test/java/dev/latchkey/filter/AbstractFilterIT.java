package dev.latchkey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.Environment;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IpRuleInput;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.QuotaInput;
import dev.latchkey.core.admin.RateLimitInput;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.engine.CountingKeyStore;
import dev.latchkey.testkit.MutableClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every row of API.md §5 over real HTTP: one subclass per container (Jetty 12 ee10, Tomcat 10.1), each running two
 * filters on the in-memory store: {@code plain} (no trusted proxies, default header) and {@code proxied} (trusted
 * loopback proxies, a custom header, preflight allowed, another realm).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractFilterIT {

    static final String PEPPER = "pepper-for-tests";
    static final String RULES = "GET /reports/** reports:read; POST /reports/** reports:write; * /admin/** admin:all;"
            + " * /audit/** audit:read billing:read; POST /costly/** cost=3";

    final CountingKeyStore store = new CountingKeyStore();
    final MutableClock clock = MutableClock.atNow();
    final TokenCodec codec = TokenCodec.defaults();
    final KeyManager manager = new KeyManager(store, codec, SecretHasher.hmac(PEPPER), clock, Runnable::run);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();
    final List<String> keyIds = new ArrayList<>();
    WebServer plain;
    WebServer proxied;

    abstract WebServer start(ApiKeyFilter filter) throws Exception;

    @BeforeAll
    void startServers() throws Exception {
        plain = start(ApiKeyFilter.builder(store)
                .pepper(PEPPER)
                .scopes(RULES)
                .exclude("/health", "/public/**")
                .meterRegistry(registry)
                .clock(clock)
                .build());
        proxied = start(ApiKeyFilter.builder(store)
                .pepper(PEPPER)
                .scopes(RULES)
                .trustedProxies("127.0.0.0/8", "::1")
                .apiKeyHeader("X-Custom-Key")
                .allowPreflight(true)
                .realm("shop")
                .meterRegistry(new SimpleMeterRegistry())
                .clock(clock)
                .build());
    }

    @AfterAll
    void stopServers() throws Exception {
        plain.close();
        proxied.close();
        store.close();
    }

    @AfterEach
    void storeBack() {
        store.down = false;
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    IssuedKey key(CreateKeyRequest request) {
        IssuedKey k = manager.create(Actor.ROOT, request);
        keyIds.add(k.key().id());
        return k;
    }

    IssuedKey key(String... scopes) {
        return key(CreateKeyRequest.named("test key").withScopes(List.of(scopes))
                .withMetadata(Map.of("team", "billing")));
    }

    HttpResponse<String> get(WebServer server, String path, String... headers) throws Exception {
        return send(server, "GET", path, headers);
    }

    HttpResponse<String> send(WebServer server, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode problem(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).as("exactly, as the gateway sends it").get()
                .isEqualTo("application/problem+json");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).get().isEqualTo("nosniff");
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("status").asInt()).isEqualTo(r.statusCode());
        assertThat(body.get("type").asText()).isEqualTo("urn:latchkey:problem:" + body.get("code").asText());
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("request_id").asText()).isNotBlank();
        assertThat(body.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(body.has("instance")).isTrue();
        return body;
    }

    static String bearer(IssuedKey k) {
        return "Bearer " + k.token();
    }

    // ---- missing and header forms ------------------------------------------------------------------------------

    @Test
    void noToken_answers401WithoutErrorParameter() throws Exception {
        HttpResponse<String> r = get(plain, "/hello");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"latchkey\"");
        JsonNode p = problem(r);
        assertThat(p.get("code").asText()).isEqualTo("unauthenticated");
        assertThat(p.get("detail").asText()).contains("missing");
        assertThat(p.get("instance").asText()).isEqualTo("/hello");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void bearerToken_reachesAppWithPrincipal() throws Exception {
        IssuedKey k = key("reports:read");
        HttpResponse<String> r = get(plain, "/hello", "Authorization", bearer(k));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("principal=" + k.key().id(), "authType=API_KEY",
                "remoteUser=" + k.key().id(), "role.reports:read=true", "role.other=false", "attribute=true",
                "tenant=default", "environment=live", "scopes=reports:read", "metadata={team=billing}",
                "clientIp=127.0.0.1");
    }

    @Test
    void wildcardScope_isUserInRoleFollowsCoreRules() throws Exception {
        IssuedKey k = key("reports:*");
        HttpResponse<String> r = get(plain, "/hello", "Authorization", bearer(k));
        assertThat(r.body()).contains("role.reports:read=true", "role.other=false");
    }

    @Test
    void authorizationScheme_isCaseInsensitive_andTokenSchemeWorks() throws Exception {
        IssuedKey k = key();
        for (String scheme : List.of("Bearer", "bearer", "BEARER", "Token", "token")) {
            assertThat(get(plain, "/hello", "Authorization", scheme + " " + k.token()).statusCode())
                    .as(scheme).isEqualTo(200);
        }
    }

    @Test
    void otherAuthorizationScheme_isNoCredential() throws Exception {
        HttpResponse<String> r = get(plain, "/hello", "Authorization", "Basic dXNlcjpwYXNz");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"latchkey\"");
    }

    @Test
    void apiKeyHeader_carriesToken() throws Exception {
        IssuedKey k = key();
        assertThat(get(plain, "/hello", "X-API-Key", k.token()).statusCode()).isEqualTo(200);
        assertThat(get(plain, "/hello", "x-api-key", k.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void customApiKeyHeader_replacesXApiKey() throws Exception {
        IssuedKey k = key();
        assertThat(get(proxied, "/hello", "X-Custom-Key", k.token()).statusCode()).isEqualTo(200);
        HttpResponse<String> r = get(proxied, "/hello", "X-API-Key", k.token());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"shop\"");
    }

    @Test
    void importedToken_withEqualsAndSlashes_works() throws Exception {
        IssuedKey k = key(CreateKeyRequest.named("imported").withToken("My+Own/Token==x=y"));
        assertThat(get(plain, "/hello", "Authorization", "Bearer My+Own/Token==x=y").statusCode()).isEqualTo(200);
        assertThat(get(plain, "/hello", "X-API-Key", "My+Own/Token==x=y").body()).contains(k.key().id());
    }

    @Test
    void tokensInTheQueryString_areNeverRead() throws Exception {
        IssuedKey k = key("reports:read");
        for (String param : List.of("access_token", "api_key", "apikey", "token", "key", "X-API-Key")) {
            HttpResponse<String> r = get(plain, "/hello?" + param + "=" + k.token());
            assertThat(r.statusCode()).as(param).isEqualTo(401);
            assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"latchkey\"");
            assertThat(problem(r).get("detail").asText()).startsWith("missing");
            assertThat(r.body()).doesNotContain(k.token());
        }
        assertThat(get(plain, "/hello?access_token=" + k.token(), "Authorization", bearer(k)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void twoDifferentTokens_answer400() throws Exception {
        IssuedKey a = key();
        IssuedKey b = key();
        HttpResponse<String> r = get(plain, "/hello", "Authorization", bearer(a), "X-API-Key", b.token());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(problem(r).get("code").asText()).isEqualTo("invalid_request");
        assertThat(r.headers().firstValue("WWW-Authenticate")).get().asString().contains("error=\"invalid_request\"");
        assertThat(r.body()).doesNotContain(a.token()).doesNotContain(b.token());
    }

    @Test
    void sameTokenInTwoHeaders_isFine() throws Exception {
        IssuedKey a = key();
        assertThat(get(plain, "/hello", "Authorization", bearer(a), "X-API-Key", a.token()).statusCode())
                .isEqualTo(200);
    }

    // ---- denials -----------------------------------------------------------------------------------------------

    @Test
    void malformedToken_answers401InvalidToken() throws Exception {
        IssuedKey k = key();
        String broken = k.token().substring(0, k.token().length() - 1) + (k.token().endsWith("A") ? "B" : "A");
        HttpResponse<String> r = get(plain, "/hello", "Authorization", "Bearer " + broken);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate"))
                .containsExactly("Bearer realm=\"latchkey\", error=\"invalid_token\"");
        assertThat(problem(r).get("detail").asText()).startsWith("malformed");
        assertThat(r.body()).doesNotContain(broken);
    }

    @Test
    void emptyBearer_answers401InvalidToken() throws Exception {
        HttpResponse<String> r = get(plain, "/hello", "Authorization", "Bearer");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).get().asString().contains("invalid_token");
    }

    @Test
    void unknownKeyId_answers401NotFound() throws Exception {
        String token = codec.generate(Environment.LIVE, Ids.next());
        HttpResponse<String> r = get(plain, "/hello", "Authorization", "Bearer " + token);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(problem(r).get("detail").asText()).startsWith("not_found");
    }

    @Test
    void wrongSecret_ofInactiveKey_neverRevealsStatus() throws Exception {
        IssuedKey k = key();
        manager.setStatus(Actor.ROOT, k.key().id(), "blocked", null, null);
        String other = codec.generate(Environment.LIVE, k.key().id()); // same id, another secret
        HttpResponse<String> r = get(plain, "/hello", "Authorization", "Bearer " + other);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(problem(r).get("detail").asText()).startsWith("not_found").doesNotContain("blocked");
    }

    @Test
    void inactiveBlockedExpired_areNamedAfterTheSecretMatched() throws Exception {
        IssuedKey inactive = key();
        manager.setStatus(Actor.ROOT, inactive.key().id(), "inactive", null, null);
        IssuedKey blocked = key();
        manager.setStatus(Actor.ROOT, blocked.key().id(), "blocked", "abuse", null);
        IssuedKey expiring = key(CreateKeyRequest.named("exp")
                .withExpiresAt(clock.instant().plus(Duration.ofHours(1)).toString()));
        assertThat(problem(get(plain, "/hello", "Authorization", bearer(inactive))).get("detail").asText())
                .startsWith("inactive");
        assertThat(problem(get(plain, "/hello", "Authorization", bearer(blocked))).get("detail").asText())
                .startsWith("blocked");
        assertThat(get(plain, "/hello", "Authorization", bearer(expiring)).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        HttpResponse<String> r = get(plain, "/hello", "Authorization", bearer(expiring));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(problem(r).get("detail").asText()).startsWith("expired");
    }

    @Test
    void statusChange_isDeniedAtOnce() throws Exception {
        IssuedKey k = key();
        assertThat(get(plain, "/hello", "Authorization", bearer(k)).statusCode()).isEqualTo(200);
        manager.setStatus(Actor.ROOT, k.key().id(), "inactive", null, null);
        assertThat(get(plain, "/hello", "Authorization", bearer(k)).statusCode()).isEqualTo(401);
    }

    @Test
    void rotation_keepsOldTokenInGrace_forcedRotationKillsIt() throws Exception {
        IssuedKey k = key();
        IssuedKey rotated = manager.rotate(Actor.ROOT, k.key().id(), false, 3600L);
        assertThat(get(plain, "/hello", "Authorization", bearer(k)).statusCode()).isEqualTo(200);
        assertThat(get(plain, "/hello", "Authorization", bearer(rotated)).statusCode()).isEqualTo(200);
        assertThat(registry.get("latchkey.auth.previous_token").counter().count()).isGreaterThanOrEqualTo(1);
        IssuedKey forced = manager.rotate(Actor.ROOT, k.key().id(), true, null);
        assertThat(get(plain, "/hello", "Authorization", bearer(rotated)).statusCode()).isEqualTo(401);
        assertThat(get(plain, "/hello", "Authorization", bearer(forced)).statusCode()).isEqualTo(200);
    }

    // ---- client address ----------------------------------------------------------------------------------------

    @Test
    void ipRestriction_deniesOtherAddresses_andIgnoresSpoofedForwardingFromUntrustedPeer() throws Exception {
        IssuedKey office = key(CreateKeyRequest.named("office")
                .withIpRestrictions(List.of(new IpRuleInput("203.0.113.0/24", "office", null))));
        HttpResponse<String> r = get(plain, "/hello", "Authorization", bearer(office),
                "X-Forwarded-For", "203.0.113.5", "Forwarded", "for=203.0.113.5");
        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode p = problem(r);
        assertThat(p.get("code").asText()).isEqualTo("ip_not_allowed");
        IssuedKey loopback = key(CreateKeyRequest.named("local")
                .withIpRestrictions(List.of(new IpRuleInput("127.0.0.1", null, null))));
        assertThat(get(plain, "/hello", "Authorization", bearer(loopback)).statusCode()).isEqualTo(200);
    }

    @Test
    void trustedProxy_rightMostUntrustedForwardedAddressIsTheClient() throws Exception {
        IssuedKey office = key(CreateKeyRequest.named("office")
                .withIpRestrictions(List.of(new IpRuleInput("203.0.113.0/24", null, null))));
        String auth = bearer(office);
        assertThat(get(proxied, "/hello", "Authorization", auth, "X-Forwarded-For", "203.0.113.5").statusCode())
                .isEqualTo(200);
        assertThat(get(proxied, "/hello", "Authorization", auth, "X-Forwarded-For", "203.0.113.5, 127.0.0.9")
                .body()).contains("clientIp=203.0.113.5");
        // a client that writes the office address itself, in front of its real one, gains nothing
        assertThat(get(proxied, "/hello", "Authorization", auth, "X-Forwarded-For", "203.0.113.5, 198.51.100.7")
                .statusCode()).isEqualTo(403);
        assertThat(get(proxied, "/hello", "Authorization", auth, "X-Forwarded-For", "garbage").statusCode())
                .isEqualTo(403);
    }

    @Test
    void trustedProxy_forwardedWinsOverXForwardedFor() throws Exception {
        IssuedKey office = key(CreateKeyRequest.named("office")
                .withIpRestrictions(List.of(new IpRuleInput("2001:db8:cafe::/48", null, null))));
        String auth = bearer(office);
        assertThat(get(proxied, "/hello", "Authorization", auth, "X-Forwarded-For", "198.51.100.1",
                "Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https").statusCode()).isEqualTo(200);
        assertThat(get(proxied, "/hello", "Authorization", auth, "X-Forwarded-For", "2001:db8:cafe::17",
                "Forwarded", "for=198.51.100.1").statusCode()).isEqualTo(403);
    }

    // ---- routes ------------------------------------------------------------------------------------------------

    @Test
    void scopeRules_firstMatchWins_headCountsAsGet_unmatchedNeedsAnyKey() throws Exception {
        IssuedKey reader = key("reports:read");
        assertThat(get(plain, "/reports/2026/q1", "Authorization", bearer(reader)).statusCode()).isEqualTo(200);
        assertThat(get(plain, "/reports", "Authorization", bearer(reader)).statusCode()).isEqualTo(200);
        assertThat(send(plain, "HEAD", "/reports/x", "Authorization", bearer(reader)).statusCode()).isEqualTo(200);
        HttpResponse<String> post = send(plain, "POST", "/reports/x", "Authorization", bearer(reader));
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(problem(post).get("code").asText()).isEqualTo("insufficient_scope");
        assertThat(post.headers().allValues("WWW-Authenticate")).containsExactly(
                "Bearer realm=\"latchkey\", error=\"insufficient_scope\", scope=\"reports:write\"");
        assertThat(send(plain, "DELETE", "/admin/users/1", "Authorization", bearer(reader)).statusCode())
                .isEqualTo(403);
        assertThat(get(plain, "/anything/else", "Authorization", bearer(reader)).statusCode()).isEqualTo(200);
        IssuedKey writer = key("reports:*");
        assertThat(send(plain, "POST", "/reports/x", "Authorization", bearer(writer)).statusCode()).isEqualTo(200);
        IssuedKey admin = key("admin:all");
        assertThat(send(plain, "PUT", "/admin/users/1", "Authorization", bearer(admin)).statusCode()).isEqualTo(200);
    }

    @Test
    void scopeRule_withSeveralScopes_needsEveryOne() throws Exception {
        IssuedKey one = key("audit:read");
        HttpResponse<String> r = get(plain, "/audit/log", "Authorization", bearer(one));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(problem(r).get("code").asText()).isEqualTo("insufficient_scope");
        assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly(
                "Bearer realm=\"latchkey\", error=\"insufficient_scope\", scope=\"audit:read billing:read\"");
        assertThat(get(plain, "/audit/log", "Authorization", bearer(key("billing:read"))).statusCode())
                .isEqualTo(403);
        assertThat(get(plain, "/audit/log", "Authorization", bearer(key("audit:read", "billing:read"))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void encodedSlash_isRefusedWith400_withOrWithoutAKey() throws Exception {
        IssuedKey reader = key("reports:read");
        for (String path : List.of("/reports%2Fx", "/public%2F..%2Freports", "/reports%2fx")) {
            assertThat(RawHttp.send(plain.port(), "GET", path, List.of())).as(path).isEqualTo(400);
            assertThat(RawHttp.send(plain.port(), "GET", path, List.of("Authorization: " + bearer(reader))))
                    .as(path).isEqualTo(400);
        }
    }

    @Test
    void routeRules_matchAnyCase_soUppercasePathsCannotSlipPast_butExcludesDoNot() throws Exception {
        IssuedKey unscoped = key();
        for (String path : List.of("/REPORTS/x", "/Reports", "/reports/X", "/ADMIN/users")) {
            assertThat(get(plain, path, "Authorization", bearer(unscoped)).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(get(plain, "/PUBLIC/x").statusCode()).isEqualTo(401);
        assertThat(get(plain, "/HEALTH").statusCode()).isEqualTo(401);
    }

    @Test
    void forwardIncludeAndAsyncDispatch_keepThePrincipal_andAreCountedOnce() throws Exception {
        IssuedKey k = key("reports:read");
        for (String how : List.of("forward", "include", "async")) {
            double before = registry.get("latchkey.auth.requests").tag("outcome", "valid").counter().count();
            long usesBefore = store.delegate.find(k.key().id()).orElseThrow().usage().count();
            HttpResponse<String> r = get(plain, "/dispatch/" + how, "Authorization", bearer(k));
            assertThat(r.statusCode()).as(how).isEqualTo(200);
            assertThat(r.body()).as(how).contains("principal=" + k.key().id(), "authType=API_KEY",
                    "role.reports:read=true", "attribute=true");
            assertThat(registry.get("latchkey.auth.requests").tag("outcome", "valid").counter().count())
                    .as(how).isEqualTo(before + 1);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> registry.get("latchkey.usage.pending").gauge().value() == 0);
            assertThat(store.delegate.find(k.key().id()).orElseThrow().usage().count() - usesBefore)
                    .as(how).isEqualTo(1);
        }
        assertThat(get(plain, "/dispatch/forward").statusCode()).isEqualTo(401);
        assertThat(get(plain, "/dispatch/async").statusCode()).isEqualTo(401);
    }

    @Test
    void cachedKey_isVerifiedWithoutReadingTheStore() throws Exception {
        IssuedKey k = key();
        assertThat(get(plain, "/hello", "Authorization", bearer(k)).statusCode()).isEqualTo(200);
        int finds = store.finds.get();
        int hashFinds = store.hashFinds.get();
        for (int i = 0; i < 5; i++) {
            assertThat(get(plain, "/hello", "Authorization", bearer(k)).statusCode()).isEqualTo(200);
        }
        assertThat(store.finds.get()).isEqualTo(finds);
        assertThat(store.hashFinds.get()).isEqualTo(hashFinds);
    }

    @Test
    void lowercaseMethod_cannotSlipPastAMethodRule() throws Exception {
        IssuedKey nobody = key();
        int status = RawHttp.send(plain.port(), "get", "/reports/x", List.of("Authorization: " + bearer(nobody)));
        assertThat(status).isBetween(400, 499);
    }

    @Test
    void excludedPaths_needNoKey() throws Exception {
        assertThat(get(plain, "/health").statusCode()).isEqualTo(200);
        assertThat(get(plain, "/public/a/b").statusCode()).isEqualTo(200);
        assertThat(get(plain, "/public").statusCode()).isEqualTo(200);
        assertThat(get(plain, "/healthz").statusCode()).isEqualTo(401);
        assertThat(get(plain, "/public/../reports/x").statusCode()).isNotEqualTo(200);
    }

    @Test
    void preflight_passesOnlyWhenAllowed() throws Exception {
        assertThat(send(plain, "OPTIONS", "/reports/x").statusCode()).isEqualTo(401);
        assertThat(send(proxied, "OPTIONS", "/reports/x").statusCode()).isEqualTo(204);
    }

    // ---- hostile input -----------------------------------------------------------------------------------------

    @Test
    void hostilePaths_neverBypassARule_andNeverAnswer500() throws Exception {
        IssuedKey unscoped = key();
        List<String> paths = List.of("/reports/..;/reports/x", "/public/..;/reports/x", "/public/../reports/x",
                "/public/%2e%2e/reports/x", "/public/%2E%2E/reports", "//reports/x", "/./reports/x",
                "/public/.%2e/reports", "/public%2F..%2Freports", "/reports%2Fx", "/public;x=1/../reports",
                "/public/..%00/reports", "/public/%c0%ae%c0%ae/reports",
                "/public/..\\reports", "/public/%5c../reports");
        for (String path : paths) {
            int anonymous = RawHttp.send(plain.port(), "GET", path, List.of());
            assertThat(anonymous).as("anonymous " + path).isBetween(400, 499);
            int status = RawHttp.send(plain.port(), "GET", path, List.of("Authorization: " + bearer(unscoped)));
            assertThat(status).as("unscoped key " + path).isLessThan(500);
            assertThat(status).as("unscoped key " + path).isGreaterThanOrEqualTo(400);
        }
        // decoded once, %252e%252e is the literal segment "%2e%2e" inside /public: excluded, and never a dot-segment
        int literal = RawHttp.send(plain.port(), "GET", "/public/%252e%252e/reports", List.of());
        assertThat(literal).isIn(200, 400);
        int redirect = RawHttp.send(plain.port(), "GET", "/reports/..;/x",
                List.of("Authorization: " + bearer(unscoped)));
        assertThat(redirect).as("/reports/..;/x is /x: any key").isIn(200, 400);
    }

    @Test
    void hostileHeaders_answer4xxNever500() throws Exception {
        IssuedKey k = key();
        String huge = "A".repeat(10 * 1024);
        assertThat(RawHttp.send(plain.port(), "GET", "/hello", List.of("Authorization: Bearer " + huge)))
                .isBetween(400, 499);
        assertThat(RawHttp.send(plain.port(), "GET", "/hello", List.of("X-API-Key: " + "b".repeat(4000))))
                .isEqualTo(401);
        assertThat(RawHttp.send(plain.port(), "GET", "/hello", List.of("Authorization: Bearer ab\u0001cdefghij")))
                .isBetween(400, 499);
        assertThat(RawHttp.send(plain.port(), "GET", "/hello", List.of("Authorization: Bearer ünïcödé-tökén")))
                .isBetween(400, 499);
        assertThat(RawHttp.send(plain.port(), "GET", "/hello", List.of("X-API-Key: \u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9")))
                .isBetween(400, 499);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add("Authorization: " + bearer(k));
        }
        assertThat(RawHttp.send(plain.port(), "GET", "/hello", many)).isEqualTo(200);
        many.add("Authorization: Bearer " + codec.generate(Environment.LIVE, Ids.next()));
        assertThat(RawHttp.send(plain.port(), "GET", "/hello", many)).isEqualTo(400);
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            flood.add("Authorization: " + bearer(k));
        }
        assertThat(RawHttp.send(plain.port(), "GET", "/hello", flood)).isBetween(400, 499);
    }

    @Test
    void problem_carriesTraceIdAndCallersRequestId() throws Exception {
        HttpResponse<String> r = get(plain, "/hello", "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "X-Request-Id", "req-42");
        JsonNode p = problem(r);
        assertThat(p.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(p.get("request_id").asText()).isEqualTo("req-42");
        assertThat(r.headers().firstValue("X-Request-Id")).contains("req-42");
        HttpResponse<String> bad = get(plain, "/hello", "X-Request-Id", "<script>");
        assertThat(problem(bad).get("request_id").asText()).isNotEqualTo("<script>");
        assertThat(problem(bad).has("trace_id")).isFalse();
    }

    @Test // the filter sent application/problem+json;charset=utf-8 where the gateway sends the type alone
    void problem_contentType_isExactlyProblemJson_withoutCharset() throws Exception {
        IssuedKey reader = key("reports:read");
        for (HttpResponse<String> r : List.of(get(plain, "/hello"), get(plain, "/hello", "Authorization", "Bearer x"),
                send(plain, "POST", "/reports/x", "Authorization", bearer(reader)))) {
            assertThat(r.statusCode()).isIn(401, 403);
            assertThat(r.headers().allValues("Content-Type")).containsExactly("application/problem+json");
            byte[] bytes = r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
        }
    }

    // ---- store and cache ---------------------------------------------------------------------------------------

    @Test
    void storeDown_cachedKeysWork_uncachedKeysGet503() throws Exception {
        IssuedKey cached = key();
        IssuedKey uncached = key();
        assertThat(get(plain, "/hello", "Authorization", bearer(cached)).statusCode()).isEqualTo(200);
        store.down = true;
        assertThat(get(plain, "/hello", "Authorization", bearer(cached)).statusCode()).isEqualTo(200);
        HttpResponse<String> r = get(plain, "/hello", "Authorization", bearer(uncached));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(problem(r).get("code").asText()).isEqualTo("store_unavailable");
        store.down = false;
        assertThat(get(plain, "/hello", "Authorization", bearer(uncached)).statusCode()).isEqualTo(200);
    }

    @Test
    void floodOfUnknownIds_readsStoreAtMostOncePerId() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            tokens.add(codec.generate(Environment.LIVE, Ids.next()));
        }
        int before = store.finds.get();
        for (int round = 0; round < 3; round++) {
            for (String t : tokens) {
                assertThat(get(plain, "/hello", "Authorization", "Bearer " + t).statusCode()).isEqualTo(401);
            }
        }
        assertThat(store.finds.get() - before).isLessThanOrEqualTo(tokens.size());
        int hashesBefore = store.hashFinds.get();
        for (int round = 0; round < 3; round++) {
            assertThat(get(plain, "/hello", "X-API-Key", "made-up-imported-token").statusCode()).isEqualTo(401);
        }
        assertThat(store.hashFinds.get() - hashesBefore).isLessThanOrEqualTo(1);
    }

    @Test
    void metrics_countOutcomes_andNeverTagKeyIds() throws Exception {
        IssuedKey k = key();
        double before = registry.get("latchkey.auth.requests").tag("outcome", "valid").counter().count();
        get(plain, "/hello", "Authorization", bearer(k));
        assertThat(registry.get("latchkey.auth.requests").tag("outcome", "valid").counter().count())
                .isEqualTo(before + 1);
        get(plain, "/hello");
        assertThat(registry.get("latchkey.auth.requests").tag("outcome", "missing").counter().count()).isPositive();
        assertThat(registry.get("cache.gets").tag("cache", "latchkey.keys").meters()).isNotEmpty();
        assertThat(registry.find("latchkey.usage.pending").gauge()).isNotNull();
        Set<String> tagValues = new HashSet<>();
        for (Meter m : registry.getMeters()) {
            assertThat(m.getId().getDescription()).as(m.getId().getName()).isNotBlank();
            for (Tag t : m.getId().getTags()) {
                tagValues.add(t.getValue());
            }
        }
        assertThat(tagValues).doesNotContainAnyElementsOf(keyIds);
    }

    // ---- rate limits and quotas (API.md §8) ----------------------------------------------------------------------

    @Test
    void rateLimitedKey_admitsUpToTheLimit_withHeaders_then429WithRetryAfter_andNoChallenge() throws Exception {
        IssuedKey k = key(CreateKeyRequest.named("metered").withLimits(new RateLimitInput(2L, 3600L), null));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> ok = get(plain, "/hello", "Authorization", "Bearer " + k.token());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("RateLimit-Policy")).hasValue("\"rate\";q=2;w=3600");
            assertThat(ok.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"rate\";r=" + (1 - i) + ";t=");
        }
        HttpResponse<String> r = get(plain, "/hello", "Authorization", "Bearer " + k.token());
        assertThat(r.statusCode()).isEqualTo(429);
        JsonNode p = problem(r);
        assertThat(p.get("code").asText()).isEqualTo("rate_limited");
        long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retry).isBetween(1L, 3600L);
        assertThat(p.get("retry_after").asLong()).isEqualTo(retry);
        assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(r.headers().firstValue("RateLimit")).isPresent();
    }

    @Test
    void routeCost_spendsItsUnits_andPrepaidCreditsSpentAre403WithoutRetryAfter() throws Exception {
        IssuedKey k = key(CreateKeyRequest.named("costly").withLimits(new RateLimitInput(5L, 3600L), null));
        assertThat(send(plain, "POST", "/costly/run", "Authorization", "Bearer " + k.token()).statusCode())
                .isEqualTo(200);
        assertThat(send(plain, "POST", "/costly/run", "Authorization", "Bearer " + k.token()).statusCode())
                .as("3 + 3 > 5").isEqualTo(429);
        assertThat(get(plain, "/hello", "Authorization", "Bearer " + k.token()).statusCode()).isEqualTo(200);

        IssuedKey prepaid = key(CreateKeyRequest.named("prepaid").withLimits(null, new QuotaInput(1L, "none", null)));
        assertThat(get(plain, "/hello", "Authorization", "Bearer " + prepaid.token()).statusCode()).isEqualTo(200);
        HttpResponse<String> spent = get(plain, "/hello", "Authorization", "Bearer " + prepaid.token());
        assertThat(spent.statusCode()).isEqualTo(403);
        assertThat(problem(spent).get("code").asText()).isEqualTo("quota_exhausted");
        assertThat(spent.headers().firstValue("Retry-After")).isEmpty();
        assertThat(spent.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(spent.headers().firstValue("RateLimit").orElseThrow()).isEqualTo("\"quota\";r=0");
    }
}
