package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tests for the admin API of API.md §3–§4 over real HTTP: every endpoint, rule and error code. Subclasses choose
 * the store.
 */
abstract class AdminApiTests extends AdminApiContract {

    /** Returns what {@code GET /health} must name as {@code store}: {@code memory} or {@code redis}. */
    protected abstract String expectedStoreKind();

    private static final Set<String> KEY_FIELDS = Set.of("id", "tenant_id", "owner_id", "name", "environment", "type",
            "status", "scopes", "ip_restrictions", "metadata", "hint", "created_at", "updated_at", "expires_at",
            "last_used_at", "last_used_ip", "usage_count", "previous_token_expires_at", "status_changed_at",
            "status_changed_by", "status_reason", "version", "rate_limit", "quota", "webhook_config", "storage_config",
            "effective");

    // ---- authentication -------------------------------------------------------------------------------------

    @Test
    void anyV1Call_withoutCredentials_is401WithBareChallenge() {
        Http.Res r = as(null, "GET", "/v1/keys", null);
        assertProblem(r, 401, "unauthenticated");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"latchkey\"");
        assertProblem(as(null, "POST", "/v1/verify", map("token", "x")), 401, "unauthenticated");
    }

    @Test
    void anyV1Call_withBadToken_is401InvalidToken() {
        for (String token : List.of("nope-nope-nope", "lk_live_01ARZ3NDEKTSV4RRFFQ69G5FAVxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ROOT + "x")) {
            Http.Res r = as(token, "GET", "/v1/keys", null);
            assertProblem(r, 401, "unauthenticated");
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"latchkey\", error=\"invalid_token\"");
        }
    }

    @Test
    void anyV1Call_withKeyWithoutPlatformScope_is403Forbidden() {
        String token = create(tenant(), "reports:read", "*").get("token").asText();
        assertProblem(as(token, "GET", "/v1/keys", null), 403, "forbidden");
    }

    @Test
    void everyV1Endpoint_withoutCredentials_is401_andChangesNothing() {
        JsonNode k = create(tenant());
        String id = k.get("id").asText();
        JsonNode reset = root("POST", "/v1/keys/" + id + "/reset", null).json();
        String job = reset.get("id").asText();
        String token = reset.get("api_key").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> root("GET", "/v1/jobs/" + job, null)
                .json().get("status").asText().equals("success"));
        List<String[]> calls = List.of(new String[] {"POST", "/v1/keys"}, new String[] {"GET", "/v1/keys"},
                new String[] {"GET", "/v1/keys/" + id}, new String[] {"PATCH", "/v1/keys/" + id},
                new String[] {"PUT", "/v1/keys/" + id + "/status"}, new String[] {"POST", "/v1/keys/" + id + "/rotate"},
                new String[] {"POST", "/v1/keys/" + id + "/reset"}, new String[] {"GET", "/v1/jobs/" + job},
                new String[] {"DELETE", "/v1/keys/" + id}, new String[] {"POST", "/v1/verify"});
        Map<String, Object> body = map("name", "intruder", "status", "blocked", "force", true, "token", token);
        for (String[] c : calls) {
            Object b = c[0].equals("GET") || c[0].equals("DELETE") ? null : body;
            Http.Res anonymous = as(null, c[0], c[1], b);
            assertProblem(anonymous, 401, "unauthenticated");
            assertThat(anonymous.header("WWW-Authenticate")).as(c[0] + " " + c[1]).isEqualTo("Bearer realm=\"latchkey\"");
            Http.Res basic = as(null, c[0], c[1], b, "Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(("root:" + ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertProblem(basic, 401, "unauthenticated");
        }
        JsonNode after = root("GET", "/v1/keys/" + id, null).json();
        assertThat(after.get("version").asLong()).isEqualTo(2);
        assertThat(after.get("name").asText()).isEqualTo(k.get("name").asText());
        assertThat(after.get("status").asText()).isEqualTo("active");
        assertThat(verifyCode(token)).isEqualTo("valid");
    }

    @Test
    void tokensInTheQueryString_areNeverRead() {
        String t = tenant();
        JsonNode admin = create(t, "latchkey:admin");
        String token = admin.get("token").asText();
        for (String param : List.of("access_token", "token", "api_key", "apikey", "key")) {
            Http.Res r = as(null, "GET", "/v1/keys?" + param + "=" + token, null);
            assertProblem(r, 401, "unauthenticated");
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"latchkey\"");
            assertThat(r.body()).doesNotContain(token);
            assertProblem(as(null, "GET", "/v1/keys?" + param + "=" + ROOT, null), 401, "unauthenticated");
        }
    }

    @Test
    void adminKey_withInactiveOrDeletedKey_is401() {
        String t = tenant();
        JsonNode admin = create(t, "latchkey:admin");
        String token = admin.get("token").asText();
        assertThat(as(token, "GET", "/v1/keys", null).status()).isEqualTo(200);
        root("PUT", "/v1/keys/" + admin.get("id").asText() + "/status", map("status", "inactive"));
        assertProblem(as(token, "GET", "/v1/keys", null), 401, "unauthenticated");
    }

    @Test
    void adminKey_withIpRules_isRefusedFromOtherAddresses() {
        JsonNode admin = create(map("name", "fenced admin", "tenant_id", tenant(), "scopes", List.of("latchkey:admin"),
                "ip_restrictions", List.of(map("value", "203.0.113.0/24"))));
        assertProblem(as(admin.get("token").asText(), "GET", "/v1/keys", null), 403, "ip_not_allowed");
    }

    @Test
    void verifierKey_mayOnlyVerify() {
        String t = tenant();
        String verifier = adminToken(t, "latchkey:verify");
        assertProblem(as(verifier, "GET", "/v1/keys", null), 403, "forbidden");
        assertProblem(as(verifier, "POST", "/v1/keys", map("name", "x", "tenant_id", t)), 403, "forbidden");
        String own = create(t).get("token").asText();
        String other = create(tenant()).get("token").asText();
        Http.Res mine = as(verifier, "POST", "/v1/verify", map("token", own));
        assertThat(mine.json().get("code").asText()).isEqualTo("valid");
        Http.Res theirs = as(verifier, "POST", "/v1/verify", map("token", other));
        assertThat(theirs.json().get("code").asText()).isEqualTo("not_found");
        assertThat(theirs.json().has("key")).isFalse();
    }

    // ---- create ---------------------------------------------------------------------------------------------

    @Test
    void create_answers201WithTokenLocationNoStoreAndEveryField() {
        String t = tenant();
        Http.Res r = root("POST", "/v1/keys", map("name", "billing export", "tenant_id", t));
        assertThat(r.status()).isEqualTo(201);
        JsonNode k = r.json();
        assertThat(names(k)).containsAll(KEY_FIELDS).contains("token");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.header("Location")).endsWith("/v1/keys/" + k.get("id").asText());
        assertThat(r.header("ETag")).isEqualTo("\"1\"");
        assertThat(k.get("token").asText()).matches("lk_live_[0-9A-Z]{26}[A-Za-z0-9]{42}");
        assertThat(k.get("tenant_id").asText()).isEqualTo(t);
        assertThat(k.get("environment").asText()).isEqualTo("live");
        assertThat(k.get("type").asText()).isEqualTo("standard");
        assertThat(k.get("status").asText()).isEqualTo("active");
        assertThat(k.get("scopes").isArray() && k.get("scopes").isEmpty()).isTrue();
        assertThat(k.get("ip_restrictions").isArray()).isTrue();
        assertThat(k.get("metadata").isObject() && k.get("metadata").isEmpty()).isTrue();
        assertThat(k.get("owner_id").isNull()).isTrue();
        assertThat(k.get("expires_at").isNull()).isTrue();
        assertThat(k.get("last_used_at").isNull()).isTrue();
        assertThat(k.get("usage_count").asLong()).isZero();
        assertThat(k.get("version").asLong()).isEqualTo(1);
        assertThat(k.get("created_at").asText()).endsWith("Z");
        String token = k.get("token").asText();
        assertThat(k.get("hint").asText()).isEqualTo(token.substring(0, 12) + "…" + token.substring(token.length() - 4));
    }

    @Test
    void create_withoutTenant_usesDefaultTenant() {
        Http.Res r = root("POST", "/v1/keys", map("name", "defaulted"));
        assertThat(r.json().get("tenant_id").asText()).isEqualTo("default");
    }

    @Test
    void create_trialWithoutExpiry_expiresIn14Days() {
        JsonNode k = create(map("name", "trial", "tenant_id", tenant(), "type", "trial", "environment", "test"));
        assertThat(Instant.parse(k.get("expires_at").asText())).isEqualTo(clock.instant().plus(Duration.ofDays(14)));
        assertThat(k.get("token").asText()).startsWith("lk_test_");
    }

    @Test
    void create_withFullBody_keepsEveryField() {
        String exp = clock.instant().plus(Duration.ofDays(30)).toString();
        JsonNode k = create(map("name", "Überweisung 東京 v1.2", "tenant_id", tenant(), "owner_id", "svc-9",
                "scopes", List.of("reports:read", "reports:*"), "expires_at", exp,
                "ip_restrictions", List.of(map("value", "2001:db8::/32", "label", "v6", "status", "inactive"),
                        map("value", "198.51.100.7")),
                "metadata", map("region", "eu", "team", "data")));
        assertThat(k.get("name").asText()).isEqualTo("Überweisung 東京 v1.2");
        assertThat(k.get("owner_id").asText()).isEqualTo("svc-9");
        assertThat(k.get("expires_at").asText()).isEqualTo(exp);
        JsonNode rule = k.get("ip_restrictions").get(0);
        assertThat(names(rule)).containsExactlyInAnyOrder("id", "value", "label", "status");
        assertThat(rule.get("status").asText()).isEqualTo("inactive");
        assertThat(k.get("ip_restrictions").get(1).get("label").isNull()).isTrue();
        assertThat(k.get("metadata").get("team").asText()).isEqualTo("data");
    }

    @Test
    void create_withInvalidValues_is400ListingEachFieldAndStoresNothing() {
        String t = tenant();
        List<String> manyMeta = new ArrayList<>();
        Map<String, Object> meta = map();
        for (int i = 0; i < 33; i++) {
            meta.put("k" + i, "v");
            manyMeta.add("k" + i);
        }
        Http.Res r = root("POST", "/v1/keys", map("name", "", "tenant_id", t, "owner_id", "bad owner",
                "environment", "prod", "type", "gold", "scopes", List.of("ok", "Bad Scope"),
                "ip_restrictions", List.of(map("value", "10.0.0.1/8"), map("value", "999.1.1.1")),
                "expires_at", "2001-01-01T00:00:00Z", "metadata", meta));
        assertProblem(r, 400, "invalid_request");
        assertThat(fields(r)).contains("name", "owner_id", "environment", "type", "scopes[1]",
                "ip_restrictions[0].value", "ip_restrictions[1].value", "expires_at", "metadata");
        assertThat(root("GET", "/v1/keys?tenant_id=" + t, null).json().get("total").asLong()).isZero();
    }

    @Test
    void create_andPatch_acceptOnlyRfc3339Expiry_answeringUtc() {
        String t = tenant();
        for (String bad : List.of("+12030-01-01T00:00:00Z", "2030-01-01", "2030-01-01 00:00:00Z",
                "2030-01-01T00:00:00", "2030-01-01T00:00Z", "20300101T000000Z")) {
            Http.Res r = root("POST", "/v1/keys", map("name", "x", "tenant_id", t, "expires_at", bad));
            assertProblem(r, 400, "invalid_request");
            assertThat(fields(r)).as(bad).containsExactly("expires_at");
        }
        assertThat(root("GET", "/v1/keys?tenant_id=" + t, null).json().get("total").asLong()).isZero();
        JsonNode k = create(map("name", "x", "tenant_id", t, "expires_at", "2099-01-01T02:00:00+02:00"));
        assertThat(k.get("expires_at").asText()).isEqualTo("2099-01-01T00:00:00Z");
        Http.Res patch = root("PATCH", "/v1/keys/" + k.get("id").asText(), map("expires_at", "+12099-01-01T00:00:00Z"));
        assertProblem(patch, 400, "invalid_request");
        assertThat(fields(patch)).containsExactly("expires_at");
    }

    @Test
    void create_withWrongShapesAndBadValues_listsEveryFieldInOne400() {
        String t = tenant();
        Http.Res r = root("POST", "/v1/keys", "{\"name\":\"\",\"tenant_id\":\"" + t + "\",\"colour\":\"red\","
                + "\"scopes\":[\"ok\",7,\"Bad Scope\"],\"environment\":\"prod\",\"metadata\":{\"a\":1},"
                + "\"expires_at\":\"2001-01-01T00:00:00Z\"}");
        assertProblem(r, 400, "invalid_request");
        assertThat(fields(r)).containsExactlyInAnyOrder("name", "colour", "scopes[1]", "scopes[2]", "environment",
                "metadata.a", "expires_at");
        Http.Res typed = root("POST", "/v1/keys", "{\"name\":5,\"tenant_id\":\"" + t + "\",\"owner_id\":\"bad owner\"}");
        assertProblem(typed, 400, "invalid_request");
        assertThat(fields(typed)).containsExactlyInAnyOrder("name", "owner_id");
        assertThat(root("GET", "/v1/keys?tenant_id=" + t, null).json().get("total").asLong()).isZero();
    }

    @Test
    void create_withOddUnicodeNames_isRefused() {
        for (String name : List.of("evil\u202Eexe.txt", "nul\u0000byte", "zero\u200Bwidth", "line\nbreak",
                "emoji \uD83D\uDE00", "lone \uD800 surrogate", " ", "x".repeat(101))) {
            Http.Res r = root("POST", "/v1/keys", map("name", name, "tenant_id", tenant()));
            assertProblem(r, 400, "invalid_request");
            assertThat(fields(r)).containsExactly("name");
        }
    }

    @Test
    void create_withImportedToken_verifiesAndRefusesDuplicatesAndOurPrefix() {
        String t = tenant();
        String value = "Imported+Token/Value=" + System.nanoTime();
        JsonNode k = create(map("name", "imported", "tenant_id", t, "token", value));
        assertThat(k.get("token").asText()).isEqualTo(value);
        assertThat(k.get("hint").asText()).isEqualTo("…" + value.substring(value.length() - 4));
        assertThat(verifyCode(value)).isEqualTo("valid");
        assertProblem(root("POST", "/v1/keys", map("name", "dup", "tenant_id", t, "token", value)), 409, "conflict");
        Http.Res ours = root("POST", "/v1/keys", map("name", "x", "tenant_id", t, "token", "lk_my_own_token"));
        assertProblem(ours, 400, "invalid_request");
        assertThat(fields(ours)).containsExactly("token");
        assertThat(ours.body()).doesNotContain("lk_my_own_token");
        assertProblem(root("POST", "/v1/keys", map("name", "x", "tenant_id", t, "token", "short")), 400,
                "invalid_request");
        assertThat(create(map("name", "short", "tenant_id", t, "token", "abcdefgh")).get("hint").asText())
                .isEqualTo("…");
    }

    @Test
    void create_withWrongJsonTypes_is400NamingTheField() {
        Map<String, String> cases = Map.of(
                "{\"name\":5}", "name",
                "{\"name\":\"x\",\"scopes\":\"a\"}", "scopes",
                "{\"name\":\"x\",\"scopes\":[1]}", "scopes[0]",
                "{\"name\":\"x\",\"environment\":true}", "environment",
                "{\"name\":\"x\",\"metadata\":{\"a\":1}}", "metadata.a",
                "{\"name\":\"x\",\"metadata\":[\"a\"]}", "metadata",
                "{\"name\":\"x\",\"ip_restrictions\":[\"10.0.0.0/8\"]}", "ip_restrictions[0]",
                "{\"name\":\"x\",\"ip_restrictions\":[{\"value\":10}]}", "ip_restrictions[0].value",
                "{\"name\":\"x\",\"expires_at\":1893456000}", "expires_at");
        cases.forEach((body, field) -> {
            Http.Res r = root("POST", "/v1/keys", body);
            assertProblem(r, 400, "invalid_request");
            assertThat(fields(r)).as(body).containsExactly(field);
        });
    }

    @Test
    void create_withMalformedOrMissingBody_is400() {
        for (String body : List.of("{\"name\":", "{\"name\":\"a\"} trailing", "{\"name\":\"a\",\"name\":\"b\"}",
                "nonsense", "")) {
            assertProblem(root("POST", "/v1/keys", body), 400, "invalid_request");
        }
        assertProblem(root("POST", "/v1/keys", "[]"), 400, "invalid_request");
        assertProblem(root("POST", "/v1/keys", "null"), 400, "invalid_request");
        Http.Res bad = root("POST", "/v1/keys", raw(new String(new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xC3,
                (byte) 0x28, '"', '}'}, java.nio.charset.StandardCharsets.ISO_8859_1)), "Content-Type",
                "application/json");
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void create_withUnknownField_is400NamingIt() {
        Http.Res r = root("POST", "/v1/keys", map("name", "x", "colour", "red"));
        assertProblem(r, 400, "invalid_request");
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("colour");
        assertThat(r.json().get("errors").get(0).get("code").asText()).isEqualTo("unknown");
    }

    @Test
    void problem_errorsNameFieldCodeAndDescription_likeTheExampleOfSection4() {
        Http.Res r = root("POST", "/v1/keys", map("name", "x", "tenant_id", tenant(),
                "scopes", List.of("a", "b", "Bad Scope")));
        assertProblem(r, 400, "invalid_request");
        assertThat(r.json().get("instance").asText()).isEqualTo("/v1/keys");
        JsonNode errors = r.json().get("errors");
        assertThat(errors).hasSize(1);
        JsonNode e = errors.get(0);
        assertThat(names(e)).containsExactlyInAnyOrder("field", "code", "description");
        assertThat(e.get("field").asText()).isEqualTo("scopes[2]");
        assertThat(e.get("code").asText()).isEqualTo("pattern");
        assertThat(e.get("description").asText()).contains("[a-z0-9:._*-]");
        assertThat(r.json().get("detail").asText()).contains("scopes[2]");
    }

    @Test
    void create_withWrongContentType_is415_andUnacceptableAccept_is406() {
        assertProblem(root("POST", "/v1/keys", raw("name=x"), "Content-Type", "application/x-www-form-urlencoded"),
                415, "unsupported_media_type");
        assertProblem(root("POST", "/v1/keys", raw("{\"name\":\"x\"}"), "Content-Type", "text/plain"), 415,
                "unsupported_media_type");
        assertProblem(root("GET", "/v1/keys", null, "Accept", "text/html"), 406, "not_acceptable");
    }

    @Test
    void create_withBodyOver64KiB_is413_withLengthOrChunked() {
        String big = "{\"name\":\"x\",\"metadata\":{\"a\":\"" + "a".repeat(70_000) + "\"}}";
        assertProblem(root("POST", "/v1/keys", big), 413, "payload_too_large");
        byte[] bytes = big.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Http.Res chunked = root("POST", "/v1/keys",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)),
                "Content-Type", "application/json");
        assertProblem(chunked, 413, "payload_too_large");
    }

    @Test
    void create_bodyOfExactly64KiB_isServed_oneByteMoreIs413() {
        String t = tenant();
        String head = "{\"name\":\"padded\",\"tenant_id\":\"" + t + "\"";
        String atLimit = head + " ".repeat(64 * 1024 - head.length() - 1) + "}";
        assertThat(atLimit.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(65_536);
        Http.Res ok = root("POST", "/v1/keys", atLimit);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        String over = head + " ".repeat(64 * 1024 - head.length()) + "}";
        assertProblem(root("POST", "/v1/keys", over), 413, "payload_too_large");
        byte[] overBytes = over.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertProblem(root("POST", "/v1/keys",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(overBytes)),
                "Content-Type", "application/json"), 413, "payload_too_large");
        assertThat(root("GET", "/v1/keys?tenant_id=" + t, null).json().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void getAndDelete_withABody_areServedByTheApi_notRefusedBareByGrizzly() {
        JsonNode k = create(tenant());
        String id = k.get("id").asText();
        Http.Res get = root("GET", "/v1/keys/" + id, "{}");
        assertThat(get.status()).as(get.toString()).isEqualTo(200);
        assertThat(get.header("X-Request-Id")).isNotBlank();
        assertProblem(root("GET", "/v1/keys/" + id, "{\"x\":\"" + "a".repeat(70_000) + "\"}"), 413,
                "payload_too_large");
        assertProblem(root("DELETE", "/v1/keys/" + id, "{\"x\":\"" + "a".repeat(70_000) + "\"}"), 413,
                "payload_too_large");
        assertThat(root("GET", "/v1/keys/" + id, null).status()).isEqualTo(200);
        assertThat(root("DELETE", "/v1/keys/" + id, "{}").status()).isEqualTo(204);
        assertProblem(root("GET", "/v1/keys/" + id, null), 404, "key_not_found");
    }

    @Test
    void hugeAuthorizationHeader_is401Problem() {
        Http.Res r = as("x".repeat(20_000), "GET", "/v1/keys", null);
        assertProblem(r, 401, "unauthenticated");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"latchkey\", error=\"invalid_token\"");
    }

    @Test
    void bodylessCalls_withChunkedBodyOver64KiB_are413AndChangeNothing() {
        JsonNode k = create(tenant());
        String id = k.get("id").asText();
        byte[] big = ("{\"x\":\"" + "a".repeat(70_000) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (String[] call : List.of(new String[] {"POST", "/v1/keys/" + id + "/reset"},
                new String[] {"DELETE", "/v1/keys/" + id}, new String[] {"POST", "/v1/keys/" + id + "/rotate"})) {
            Http.Res r = root(call[0], call[1],
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)),
                    "Content-Type", "application/json");
            assertProblem(r, 413, "payload_too_large");
        }
        Http.Res after = root("GET", "/v1/keys/" + id, null);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().get("version").asLong()).isEqualTo(1);
        assertThat(verifyCode(k.get("token").asText())).isEqualTo("valid");
        JsonNode small = root("POST", "/v1/keys/" + id + "/rotate",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        "{\"force\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                "Content-Type", "application/json").json();
        assertThat(small.get("key").get("previous_token_expires_at").isNull()).as(small.toString()).isTrue();
    }

    // ---- list -----------------------------------------------------------------------------------------------

    @Test
    void list_isNewestFirstMaskedAndPaged() {
        String t = tenant();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(create(t).get("id").asText());
        }
        Http.Res r = root("GET", "/v1/keys?tenant_id=" + t + "&offset=1&limit=2", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode page = r.json();
        assertThat(page.get("total").asLong()).isEqualTo(5);
        assertThat(page.get("size").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("keys").get(0).get("id").asText()).isEqualTo(ids.get(3));
        assertThat(page.get("keys").get(1).get("id").asText()).isEqualTo(ids.get(2));
        assertThat(names(page.get("keys").get(0))).isEqualTo(KEY_FIELDS);
        assertThat(r.body()).doesNotContain("\"token\"");
    }

    @Test
    void list_clampsOffsetAndLimit_andRefusesNonNumbers() {
        String t = tenant();
        create(t);
        JsonNode p = root("GET", "/v1/keys?tenant_id=" + t + "&offset=-5&limit=0", null).json();
        assertThat(p.get("offset").asInt()).isZero();
        assertThat(p.get("limit").asInt()).isEqualTo(20);
        assertThat(root("GET", "/v1/keys?tenant_id=" + t + "&limit=100000000000000000000000", null).json()
                .get("limit").asInt()).isEqualTo(500);
        for (String q : List.of("limit=abc", "offset=1.5", "limit=", "offset=0x10")) {
            Http.Res r = root("GET", "/v1/keys?" + q, null);
            assertProblem(r, 400, "invalid_request");
        }
    }

    @Test
    void list_filtersByStatusTypeAndEnvironment_andRefusesUnknownValues() {
        String t = tenant();
        create(map("name", "a", "tenant_id", t));
        JsonNode b = create(map("name", "b", "tenant_id", t, "type", "trial", "environment", "test"));
        root("PUT", "/v1/keys/" + b.get("id").asText() + "/status", map("status", "inactive"));
        assertThat(root("GET", "/v1/keys?tenant_id=" + t + "&status=inactive", null).json().get("total").asLong())
                .isEqualTo(1);
        assertThat(root("GET", "/v1/keys?tenant_id=" + t + "&type=trial&environment=test", null).json()
                .get("keys").get(0).get("name").asText()).isEqualTo("b");
        assertThat(root("GET", "/v1/keys?tenant_id=" + t + "&environment=live", null).json().get("total").asLong())
                .isEqualTo(1);
        for (String q : List.of("status=gone", "type=gold", "environment=prod", "tenant_id=bad%20tenant")) {
            assertProblem(root("GET", "/v1/keys?" + q, null), 400, "invalid_request");
        }
    }

    // ---- get, patch, ETag --------------------------------------------------------------------------------------

    @Test
    void get_answersTheKeyWithEtag_andUnknownIds404() {
        JsonNode k = create(tenant());
        Http.Res r = root("GET", "/v1/keys/" + k.get("id").asText(), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo("\"1\"");
        assertThat(names(r.json())).isEqualTo(KEY_FIELDS);
        assertProblem(root("GET", "/v1/keys/01ARZ3NDEKTSV4RRFFQ69G5FAV", null), 404, "key_not_found");
        Http.Res hostile = root("GET", "/v1/keys/%3Cscript%3E", null);
        assertProblem(hostile, 404, "key_not_found");
        assertThat(hostile.json().get("detail").asText()).doesNotContain("<script>");
    }

    @Test
    void patch_appliesFields_nullClears_listsAndMapsReplace() {
        JsonNode k = create(map("name", "before", "tenant_id", tenant(), "owner_id", "o1", "scopes", List.of("a", "b"),
                "metadata", map("x", "1", "y", "2"), "expires_at", clock.instant().plusSeconds(3600).toString()));
        String id = k.get("id").asText();
        Http.Res r = root("PATCH", "/v1/keys/" + id, map("name", "after", "owner_id", null, "expires_at", null,
                "scopes", List.of("c"), "metadata", map("z", "3")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode p = r.json();
        assertThat(p.get("name").asText()).isEqualTo("after");
        assertThat(p.get("owner_id").isNull()).isTrue();
        assertThat(p.get("expires_at").isNull()).isTrue();
        assertThat(p.get("scopes")).hasSize(1);
        assertThat(names(p.get("metadata"))).containsExactly("z");
        assertThat(p.get("version").asLong()).isEqualTo(2);
        assertThat(r.header("ETag")).isEqualTo("\"2\"");
        Http.Res merge = root("PATCH", "/v1/keys/" + id, "{\"metadata\":null,\"ip_restrictions\":[{\"value\":\"10.0.0.0/8\"}]}",
                "Content-Type", "application/merge-patch+json");
        assertThat(merge.status()).as(merge.toString()).isEqualTo(200);
        assertThat(merge.json().get("metadata").isEmpty()).isTrue();
        assertThat(merge.json().get("ip_restrictions").get(0).get("value").asText()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void patch_refusesBadInput_andTrialExpiryClearing() {
        JsonNode trial = create(map("name", "t", "tenant_id", tenant(), "type", "trial"));
        String id = trial.get("id").asText();
        Http.Res clear = root("PATCH", "/v1/keys/" + id, map("expires_at", null));
        assertProblem(clear, 400, "invalid_request");
        assertThat(fields(clear)).containsExactly("expires_at");
        Http.Res bad = root("PATCH", "/v1/keys/" + id, "{\"name\":null,\"scopes\":\"x\",\"colour\":1,\"metadata\":{\"a\":2}}");
        assertProblem(bad, 400, "invalid_request");
        assertThat(fields(bad)).contains("scopes", "colour", "metadata.a");
        assertProblem(root("PATCH", "/v1/keys/" + id, "[1]"), 400, "invalid_request");
        assertProblem(root("PATCH", "/v1/keys/" + id, raw("{}"), "Content-Type", "text/plain"), 415,
                "unsupported_media_type");
        assertProblem(root("PATCH", "/v1/keys/" + id, map("ip_restrictions", List.of(map("value", "10.0.0.1/8")))),
                400, "invalid_request");
        assertThat(root("GET", "/v1/keys/" + id, null).json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void patch_withStaleIfMatch_is412AndChangesNothing() {
        String id = create(tenant()).get("id").asText();
        assertThat(root("PATCH", "/v1/keys/" + id, map("name", "v2"), "If-Match", "\"1\"").status()).isEqualTo(200);
        Http.Res stale = root("PATCH", "/v1/keys/" + id, map("name", "v3"), "If-Match", "\"1\"");
        assertProblem(stale, 412, "precondition_failed");
        assertProblem(root("PUT", "/v1/keys/" + id + "/status", map("status", "inactive"), "If-Match", "\"1\""), 412,
                "precondition_failed");
        assertProblem(root("PATCH", "/v1/keys/" + id, map("name", "v3"), "If-Match", "\"garbage\""), 412,
                "precondition_failed");
        JsonNode now = root("GET", "/v1/keys/" + id, null).json();
        assertThat(now.get("name").asText()).isEqualTo("v2");
        assertThat(now.get("status").asText()).isEqualTo("active");
        assertThat(root("PATCH", "/v1/keys/" + id, map("name", "v3"), "If-Match", "\"2\"").status()).isEqualTo(200);
    }

    @Test
    void usage_neverChangesVersionOrUpdatedAt() {
        JsonNode k = create(tenant());
        String id = k.get("id").asText();
        JsonNode before = root("GET", "/v1/keys/" + id, null).json();
        assertThat(verifyCode(k.get("token").asText(), "ip", "192.0.2.9")).isEqualTo("valid");
        server.flushUsage();
        JsonNode after = root("GET", "/v1/keys/" + id, null).json();
        assertThat(after.get("usage_count").asLong()).isEqualTo(1);
        assertThat(after.get("last_used_ip").asText()).isEqualTo("192.0.2.9");
        assertThat(after.get("last_used_at").isNull()).isFalse();
        assertThat(after.get("version")).isEqualTo(before.get("version"));
        assertThat(after.get("updated_at")).isEqualTo(before.get("updated_at"));
        assertThat(root("PATCH", "/v1/keys/" + id, map("name", "renamed"), "If-Match", "\"1\"").status())
                .isEqualTo(200);
    }

    // ---- status -----------------------------------------------------------------------------------------------

    @Test
    void status_tenantAdminTogglesActiveInactive_butOnlyPlatformAdminsBlock() {
        String t = tenant();
        String ta = adminToken(t, "latchkey:tenant-admin");
        String admin = adminToken(tenant(), "latchkey:admin");
        JsonNode k = create(t);
        String path = "/v1/keys/" + k.get("id").asText() + "/status";
        Http.Res off = as(ta, "PUT", path, map("status", "inactive", "reason", "paused"));
        assertThat(off.json().get("status").asText()).isEqualTo("inactive");
        assertThat(off.json().get("status_reason").asText()).isEqualTo("paused");
        assertThat(off.json().get("status_changed_by").asText()).isNotEqualTo("root").hasSize(26);
        assertThat(verifyCode(k.get("token").asText())).isEqualTo("inactive");
        assertThat(as(ta, "PUT", path, map("status", "active")).json().get("status").asText()).isEqualTo("active");
        assertProblem(as(ta, "PUT", path, map("status", "blocked")), 403, "forbidden");
        Http.Res blocked = as(admin, "PUT", path, map("status", "blocked", "reason", "abuse"));
        assertThat(blocked.json().get("status").asText()).isEqualTo("blocked");
        assertThat(verifyCode(k.get("token").asText())).isEqualTo("blocked");
        assertProblem(as(ta, "PUT", path, map("status", "active")), 403, "forbidden");
        assertProblem(as(ta, "PATCH", "/v1/keys/" + k.get("id").asText(), map("name", "sneaky")), 409, "conflict");
        assertProblem(as(ta, "DELETE", "/v1/keys/" + k.get("id").asText(), null), 409, "conflict");
        Http.Res lifted = root("PUT", path, map("status", "inactive"));
        assertThat(lifted.json().get("status").asText()).isEqualTo("inactive");
        assertThat(lifted.json().get("status_changed_by").asText()).isEqualTo("root");
    }

    @Test
    void status_platformAdminKeyLiftsABlock_andEveryChangeIsRecordedWithItsAuthor() {
        String t = tenant();
        JsonNode admin = create(tenant(), "latchkey:admin");
        String adminToken = admin.get("token").asText();
        JsonNode k = create(t);
        String id = k.get("id").asText();
        String path = "/v1/keys/" + id + "/status";
        assertThat(k.get("status_changed_at").isNull()).isTrue();
        clock.advance(Duration.ofSeconds(5));
        Http.Res blocked = as(adminToken, "PUT", path, map("status", "blocked", "reason", "abuse"));
        assertThat(blocked.status()).as(blocked.toString()).isEqualTo(200);
        assertThat(blocked.json().get("status_changed_by").asText()).isEqualTo(admin.get("id").asText());
        assertThat(Instant.parse(blocked.json().get("status_changed_at").asText())).isEqualTo(clock.instant());
        assertThat(blocked.header("ETag")).isEqualTo("\"2\"");
        clock.advance(Duration.ofSeconds(5));
        Http.Res lifted = as(adminToken, "PUT", path, map("status", "active"));
        assertThat(lifted.status()).as(lifted.toString()).isEqualTo(200);
        assertThat(lifted.json().get("status").asText()).isEqualTo("active");
        assertThat(Instant.parse(lifted.json().get("status_changed_at").asText())).isEqualTo(clock.instant());
        assertThat(Instant.parse(lifted.json().get("updated_at").asText())).isEqualTo(clock.instant());
        assertThat(lifted.json().get("version").asLong()).isEqualTo(3);
        assertThat(verifyCode(k.get("token").asText())).isEqualTo("valid");
    }

    @Test
    void status_refusesInvalidBodies() {
        String path = "/v1/keys/" + create(tenant()).get("id").asText() + "/status";
        assertProblem(root("PUT", path, map("status", "expired")), 400, "invalid_request");
        assertProblem(root("PUT", path, map("status", "gone")), 400, "invalid_request");
        assertProblem(root("PUT", path, map()), 400, "invalid_request");
        assertProblem(root("PUT", path, map("status", "inactive", "reason", "r".repeat(201))), 400, "invalid_request");
        assertProblem(root("PUT", path, map("status", true)), 400, "invalid_request");
        assertProblem(root("PUT", path, ""), 400, "invalid_request");
        assertProblem(root("PUT", "/v1/keys/01ARZ3NDEKTSV4RRFFQ69G5FAV/status", map("status", "active")), 404,
                "key_not_found");
    }

    @Test
    void status_expiredKeyCannotBeActivatedUntilExpiryMovesForward() {
        JsonNode k = create(map("name", "short lived", "tenant_id", tenant(),
                "expires_at", clock.instant().plusSeconds(60).toString()));
        String id = k.get("id").asText();
        root("PUT", "/v1/keys/" + id + "/status", map("status", "inactive"));
        clock.advance(Duration.ofSeconds(61));
        assertThat(root("GET", "/v1/keys/" + id, null).json().get("status").asText()).isEqualTo("expired");
        assertThat(verifyCode(k.get("token").asText())).isEqualTo("expired");
        assertProblem(root("PUT", "/v1/keys/" + id + "/status", map("status", "active")), 409, "conflict");
        assertProblem(root("POST", "/v1/keys/" + id + "/rotate", null), 409, "conflict");
        assertProblem(root("POST", "/v1/keys/" + id + "/reset", null), 409, "conflict");
        Http.Res moved = root("PATCH", "/v1/keys/" + id, map("expires_at", clock.instant().plusSeconds(3600).toString()));
        assertThat(moved.json().get("status").asText()).isEqualTo("inactive");
        assertThat(root("PUT", "/v1/keys/" + id + "/status", map("status", "active")).json().get("status").asText())
                .isEqualTo("active");
        assertThat(verifyCode(k.get("token").asText())).isEqualTo("valid");
    }

    // ---- rotate -----------------------------------------------------------------------------------------------

    @Test
    void rotate_keepsOldTokenForGrace_thenOnlyTheNewOne() {
        JsonNode k = create(tenant(), "reports:read");
        String id = k.get("id").asText();
        String old = k.get("token").asText();
        Http.Res r = root("POST", "/v1/keys/" + id + "/rotate", map("grace_seconds", 600));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        String fresh = r.json().get("token").asText();
        JsonNode key = r.json().get("key");
        assertThat(names(key)).isEqualTo(KEY_FIELDS);
        assertThat(key.get("id").asText()).isEqualTo(id);
        assertThat(key.get("scopes").get(0).asText()).isEqualTo("reports:read");
        assertThat(Instant.parse(key.get("previous_token_expires_at").asText()))
                .isEqualTo(clock.instant().plusSeconds(600));
        assertThat(fresh).isNotEqualTo(old).contains(id);
        assertThat(verifyCode(old)).isEqualTo("valid");
        assertThat(verifyCode(fresh)).isEqualTo("valid");
        clock.advance(Duration.ofSeconds(601));
        assertThat(verifyCode(old)).isEqualTo("not_found");
        assertThat(verifyCode(fresh)).isEqualTo("valid");
        assertThat(root("GET", "/v1/keys/" + id, null).json().get("previous_token_expires_at").isNull()).isTrue();
    }

    @Test
    void rotate_withForce_killsOldTokenAtOnce_andAcceptsNoBody() {
        JsonNode k = create(tenant());
        String id = k.get("id").asText();
        Http.Res forced = root("POST", "/v1/keys/" + id + "/rotate", map("force", true));
        assertThat(verifyCode(k.get("token").asText())).isEqualTo("not_found");
        assertThat(forced.json().get("key").get("previous_token_expires_at").isNull()).isTrue();
        Http.Res noBody = root("POST", "/v1/keys/" + id + "/rotate", null);
        assertThat(noBody.status()).as(noBody.toString()).isEqualTo(200);
        Http.Res emptyJson = root("POST", "/v1/keys/" + id + "/rotate", "{}");
        assertThat(emptyJson.status()).isEqualTo(200);
        assertThat(Instant.parse(emptyJson.json().get("key").get("previous_token_expires_at").asText()))
                .isEqualTo(clock.instant().plusSeconds(21_600));
    }

    @Test
    void rotate_duringGrace_endsTheOlderTokenImmediately() {
        JsonNode k = create(tenant());
        String id = k.get("id").asText();
        String t1 = k.get("token").asText();
        String t2 = root("POST", "/v1/keys/" + id + "/rotate", null).json().get("token").asText();
        String t3 = root("POST", "/v1/keys/" + id + "/rotate", null).json().get("token").asText();
        assertThat(verifyCode(t1)).isEqualTo("not_found");
        assertThat(verifyCode(t2)).isEqualTo("valid");
        assertThat(verifyCode(t3)).isEqualTo("valid");
    }

    @Test
    void rotate_graceNeverOutlivesTheKey() {
        Instant exp = clock.instant().plusSeconds(120);
        JsonNode k = create(map("name", "n", "tenant_id", tenant(), "expires_at", exp.toString()));
        Http.Res r = root("POST", "/v1/keys/" + k.get("id").asText() + "/rotate", map("grace_seconds", 3600));
        assertThat(Instant.parse(r.json().get("key").get("previous_token_expires_at").asText())).isEqualTo(exp);
    }

    @Test
    void rotate_refusesBadGraceAndBlockedKeys() {
        JsonNode k = create(tenant());
        String path = "/v1/keys/" + k.get("id").asText() + "/rotate";
        assertProblem(root("POST", path, map("grace_seconds", 604_801)), 400, "invalid_request");
        assertProblem(root("POST", path, map("grace_seconds", -1)), 400, "invalid_request");
        assertProblem(root("POST", path, map("grace_seconds", "10")), 400, "invalid_request");
        assertProblem(root("POST", path, map("grace_seconds", 1.5)), 400, "invalid_request");
        assertProblem(root("POST", path, map("force", "true")), 400, "invalid_request");
        assertProblem(root("POST", path, map("force", 1)), 400, "invalid_request");
        assertProblem(root("POST", path, map("other", 1)), 400, "invalid_request");
        assertThat(verifyCode(k.get("token").asText())).isEqualTo("valid");
        root("PUT", "/v1/keys/" + k.get("id").asText() + "/status", map("status", "blocked"));
        assertProblem(root("POST", path, null), 409, "conflict");
        assertProblem(root("POST", "/v1/keys/01ARZ3NDEKTSV4RRFFQ69G5FAV/rotate", null), 404, "key_not_found");
    }

    @Test
    void rotate_concurrentlyFromManyThreads_leavesAtMostTwoValidTokens() throws Exception {
        JsonNode k = create(tenant());
        String id = k.get("id").asText();
        int threads = 8;
        int perThread = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Http.Res>>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Callable<List<Http.Res>> task = () -> {
                go.await();
                List<Http.Res> out = new ArrayList<>();
                for (int j = 0; j < perThread; j++) {
                    out.add(root("POST", "/v1/keys/" + id + "/rotate", null));
                }
                return out;
            };
            futures.add(pool.submit(task));
        }
        go.countDown();
        List<String> tokens = new ArrayList<>();
        tokens.add(k.get("token").asText());
        Set<Long> versions = new HashSet<>();
        for (Future<List<Http.Res>> f : futures) {
            for (Http.Res r : f.get(60, TimeUnit.SECONDS)) {
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                tokens.add(r.json().get("token").asText());
                assertThat(versions.add(r.json().get("key").get("version").asLong())).isTrue();
            }
        }
        pool.shutdown();
        assertThat(new HashSet<>(tokens)).hasSize(threads * perThread + 1);
        long valid = tokens.stream().filter(t -> verifyCode(t).equals("valid")).count();
        assertThat(valid).isEqualTo(2);
        assertThat(root("GET", "/v1/keys/" + id, null).json().get("version").asLong())
                .isEqualTo(1 + threads * perThread);
    }

    // ---- reset and jobs -----------------------------------------------------------------------------------------

    @Test
    void reset_answers202JobWithLocation_oldTokenDies_newWorks() {
        String t = tenant();
        JsonNode k = create(t);
        String id = k.get("id").asText();
        Http.Res r = root("POST", "/v1/keys/" + id + "/reset", null);
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        JsonNode job = r.json();
        assertThat(names(job)).containsExactlyInAnyOrder("id", "job_name", "status", "key_id", "api_key");
        assertThat(job.get("job_name").asText()).isEqualTo("reset_key");
        assertThat(job.get("status").asText()).isIn("running", "success");
        assertThat(r.header("Location")).endsWith("/v1/jobs/" + job.get("id").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> root("GET", "/v1/jobs/" + job.get("id").asText(), null)
                .json().get("status").asText().equals("success"));
        Http.Res read = root("GET", "/v1/jobs/" + job.get("id").asText(), null);
        assertThat(names(read.json())).containsExactlyInAnyOrder("id", "job_name", "status", "key_id", "created_at",
                "finished_at", "error");
        assertThat(read.json().get("key_id").asText()).isEqualTo(id);
        assertThat(read.body()).doesNotContain(job.get("api_key").asText());
        assertThat(verifyCode(k.get("token").asText())).isEqualTo("not_found");
        assertThat(verifyCode(job.get("api_key").asText())).isEqualTo("valid");
        String other = adminToken(tenant(), "latchkey:tenant-admin");
        assertProblem(as(other, "GET", "/v1/jobs/" + job.get("id").asText(), null), 404, "job_not_found");
        assertProblem(root("GET", "/v1/jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV", null), 404, "job_not_found");
        assertProblem(root("GET", "/v1/jobs/nope", null), 404, "job_not_found");
    }

    // ---- delete -------------------------------------------------------------------------------------------------

    @Test
    void delete_answers204_thenTheKeyIsGoneEverywhere() {
        JsonNode k = create(tenant());
        String id = k.get("id").asText();
        Http.Res r = root("DELETE", "/v1/keys/" + id, null);
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(verifyCode(k.get("token").asText())).isEqualTo("not_found");
        assertProblem(root("GET", "/v1/keys/" + id, null), 404, "key_not_found");
        assertProblem(root("DELETE", "/v1/keys/" + id, null), 404, "key_not_found");
        assertProblem(root("POST", "/v1/keys/" + id + "/rotate", null), 404, "key_not_found");
    }

    // ---- verify -------------------------------------------------------------------------------------------------

    @Test
    void verify_answersEveryCode() {
        String t = tenant();
        JsonNode k = create(map("name", "v", "tenant_id", t, "scopes", List.of("reports:*"),
                "ip_restrictions", List.of(map("value", "192.0.2.0/24"), map("value", "2001:db8::/32", "status", "inactive"))));
        String token = k.get("token").asText();
        Http.Res ok = root("POST", "/v1/verify", map("token", token, "ip", "192.0.2.10", "scopes", List.of("reports:read")));
        assertThat(ok.json().get("valid").asBoolean()).isTrue();
        assertThat(ok.json().get("code").asText()).isEqualTo("valid");
        assertThat(names(ok.json().get("key"))).isEqualTo(KEY_FIELDS);
        assertThat(verifyCode(token)).isEqualTo("ip_not_allowed");
        assertThat(verifyCode(token, "ip", "198.51.100.1")).isEqualTo("ip_not_allowed");
        assertThat(verifyCode(token, "ip", "2001:db8::1")).isEqualTo("ip_not_allowed");
        Http.Res scope = root("POST", "/v1/verify", map("token", token, "ip", "192.0.2.10",
                "scopes", List.of("reports:read", "billing:read")));
        assertThat(scope.json().get("code").asText()).isEqualTo("insufficient_scope");
        assertThat(scope.json().get("valid").asBoolean()).isFalse();
        assertThat(scope.json().has("key")).isFalse();
        assertThat(verifyCode("garbage!")).isEqualTo("malformed");
        assertThat(verifyCode(token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A")))
                .isEqualTo("malformed");
        String wrongSecret = create(t).get("token").asText();
        assertThat(verifyCode(wrongSecret.substring(0, 34) + token.substring(34))).isIn("malformed", "not_found");
        assertThat(verifyCode("well-formed-but-unknown-token")).isEqualTo("not_found");
        assertProblem(root("POST", "/v1/verify", map("token", token, "ip", "not-an-ip")), 400, "invalid_request");
        assertProblem(root("POST", "/v1/verify", map("ip", "192.0.2.1")), 400, "invalid_request");
        assertProblem(root("POST", "/v1/verify", map("token", token, "scopes", List.of("Bad Scope"))), 400,
                "invalid_request");
        assertProblem(root("POST", "/v1/verify", map("token", 42)), 400, "invalid_request");
    }

    @Test
    void verify_keyWhoseIpRulesAreAllInactive_isValidFromAnyAddressOrNone() {
        JsonNode k = create(map("name", "paused rules", "tenant_id", tenant(), "ip_restrictions",
                List.of(map("value", "192.0.2.0/24", "label", "office", "status", "inactive"))));
        String token = k.get("token").asText();
        assertThat(verifyCode(token)).isEqualTo("valid");
        assertThat(verifyCode(token, "ip", "198.51.100.1")).isEqualTo("valid");
        assertThat(verifyCode(token, "ip", "2001:db8::1")).isEqualTo("valid");
        String id = k.get("id").asText();
        root("PATCH", "/v1/keys/" + id, map("ip_restrictions", List.of(map("value", "192.0.2.0/24"))));
        assertThat(verifyCode(token, "ip", "198.51.100.1")).isEqualTo("ip_not_allowed");
        assertThat(verifyCode(token, "ip", "192.0.2.77")).isEqualTo("valid");
    }

    @Test
    void verify_inactiveAndBlockedKeys_readTheirStatus_andAreNotCountedAsUse() {
        JsonNode k = create(tenant());
        String id = k.get("id").asText();
        String token = k.get("token").asText();
        root("PUT", "/v1/keys/" + id + "/status", map("status", "inactive"));
        Http.Res inactive = root("POST", "/v1/verify", map("token", token));
        assertThat(inactive.json().get("valid").asBoolean()).isFalse();
        assertThat(inactive.json().get("code").asText()).isEqualTo("inactive");
        root("PUT", "/v1/keys/" + id + "/status", map("status", "blocked"));
        assertThat(verifyCode(token)).isEqualTo("blocked");
        server.flushUsage();
        assertThat(root("GET", "/v1/keys/" + id, null).json().get("usage_count").asLong()).isZero();
    }

    @Test
    void verify_validCountsAsUse_othersDoNot() {
        JsonNode k = create(tenant(), "a");
        String token = k.get("token").asText();
        verifyCode(token);
        verifyCode(token);
        root("POST", "/v1/verify", map("token", token, "scopes", List.of("b")));
        server.flushUsage();
        assertThat(root("GET", "/v1/keys/" + k.get("id").asText(), null).json().get("usage_count").asLong())
                .isEqualTo(2);
    }

    // ---- tenants ------------------------------------------------------------------------------------------------

    @Test
    void tenantAdmin_seesAndChangesOnlyItsOwnTenant_inBothDirections() {
        String a = tenant();
        String b = tenant();
        String adminA = adminToken(a, "latchkey:tenant-admin");
        String adminB = adminToken(b, "latchkey:tenant-admin");
        String keyA = create(a).get("id").asText();
        String keyB = create(b).get("id").asText();
        for (String[] c : new String[][] {{adminA, keyB}, {adminB, keyA}}) {
            String path = "/v1/keys/" + c[1];
            assertProblem(as(c[0], "GET", path, null), 404, "key_not_found");
            assertProblem(as(c[0], "PATCH", path, map("name", "x")), 404, "key_not_found");
            assertProblem(as(c[0], "PUT", path + "/status", map("status", "inactive")), 404, "key_not_found");
            assertProblem(as(c[0], "POST", path + "/rotate", null), 404, "key_not_found");
            assertProblem(as(c[0], "POST", path + "/reset", null), 404, "key_not_found");
            assertProblem(as(c[0], "DELETE", path, null), 404, "key_not_found");
        }
        assertThat(as(adminA, "GET", "/v1/keys/" + keyA, null).status()).isEqualTo(200);
        JsonNode own = as(adminA, "GET", "/v1/keys", null).json();
        own.get("keys").forEach(k -> assertThat(k.get("tenant_id").asText()).isEqualTo(a));
        assertThat(own.get("total").asLong()).isEqualTo(2);
        assertProblem(as(adminA, "GET", "/v1/keys?tenant_id=" + b, null), 403, "forbidden");
        assertThat(as(adminA, "GET", "/v1/keys?tenant_id=" + a, null).status()).isEqualTo(200);
        assertProblem(as(adminA, "POST", "/v1/keys", map("name", "x", "tenant_id", b)), 403, "forbidden");
        Http.Res implicit = as(adminA, "POST", "/v1/keys", map("name", "mine"));
        assertThat(implicit.json().get("tenant_id").asText()).isEqualTo(a);
        assertThat(root("GET", "/v1/keys/" + keyB, null).status()).isEqualTo(200);
    }

    @Test
    void tenantAdmin_cannotGrantPlatformScopes_evenByWildcard() {
        String a = tenant();
        String ta = adminToken(a, "latchkey:tenant-admin");
        for (String scope : List.of("latchkey:admin", "latchkey:tenant-admin", "latchkey:verify")) {
            assertProblem(as(ta, "POST", "/v1/keys", map("name", "x", "scopes", List.of(scope))), 403, "forbidden");
        }
        JsonNode wild = as(ta, "POST", "/v1/keys", map("name", "wild", "scopes", List.of("*", "latchkey*"))).json();
        assertProblem(as(wild.get("token").asText(), "GET", "/v1/keys", null), 403, "forbidden");
        String id = wild.get("id").asText();
        assertProblem(as(ta, "PATCH", "/v1/keys/" + id, map("scopes", List.of("latchkey:admin"))), 403, "forbidden");
        assertThat(as(ta, "GET", "/v1/keys/" + id, null).json().get("scopes")).hasSize(2);
        String admin = adminToken(tenant(), "latchkey:admin");
        assertThat(as(admin, "POST", "/v1/keys", map("name", "granted", "tenant_id", a,
                "scopes", List.of("latchkey:tenant-admin"))).status()).isEqualTo(201);
    }

    // ---- errors, request ids, operations -----------------------------------------------------------------------

    @Test
    void jerseyErrors_areProblems() {
        assertProblem(root("GET", "/v1/nothing-here", null), 404, "not_found");
        assertProblem(as(null, "GET", "/nothing-here", null), 404, "not_found");
        Http.Res wrong = root("DELETE", "/v1/keys", null);
        assertProblem(wrong, 405, "method_not_allowed");
        assertThat(wrong.header("Allow")).contains("GET", "POST");
        assertProblem(as(null, "POST", "/health", null), 405, "method_not_allowed");
    }

    @Test
    void requestId_isEchoedWhenSafe_andReplacedWhenHostile() {
        Http.Res ok = root("GET", "/v1/keys?limit=1", null, "X-Request-Id", "abc.DEF_1:2-3");
        assertThat(ok.header("X-Request-Id")).isEqualTo("abc.DEF_1:2-3");
        for (String hostile : List.of("<script>alert(1)</script>", "a".repeat(129), "white space", "ä")) {
            Http.Res r = root("GET", "/v1/nope", null, "X-Request-Id", hostile);
            assertThat(r.header("X-Request-Id")).isNotEqualTo(hostile).matches("[0-9A-Z]{26}");
            assertThat(r.json().get("request_id").asText()).isEqualTo(r.header("X-Request-Id"));
            assertThat(r.body()).doesNotContain("<script>");
        }
        assertThat(as(null, "GET", "/health", null).header("X-Request-Id")).matches("[0-9A-Z]{26}");
    }

    @Test
    void requestId_ofOneTo128AllowedCharacters_isEchoedOnEveryKindOfAnswer() {
        String longest = "a.b_c:d-E".repeat(14) + "01";
        assertThat(longest).hasSize(128);
        for (String id : List.of("x", longest)) {
            assertThat(root("GET", "/v1/keys?limit=1", null, "X-Request-Id", id).header("X-Request-Id")).isEqualTo(id);
            Http.Res problem = as(null, "GET", "/v1/keys", null, "X-Request-Id", id);
            assertThat(problem.header("X-Request-Id")).isEqualTo(id);
            assertThat(problem.json().get("request_id").asText()).isEqualTo(id);
        }
        String keyId = create(tenant()).get("id").asText();
        Http.Res deleted = root("DELETE", "/v1/keys/" + keyId, null, "X-Request-Id", "del-1");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.header("X-Request-Id")).isEqualTo("del-1");
        assertThat(as(null, "GET", "/metrics", null, "X-Request-Id", "m-1").header("X-Request-Id")).isEqualTo("m-1");
    }

    @Test
    void problem_carriesTraceIdFromTraceparent() {
        Http.Res r = root("GET", "/v1/keys/01ARZ3NDEKTSV4RRFFQ69G5FAV", null, "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(r.json().get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        Http.Res none = root("GET", "/v1/keys/01ARZ3NDEKTSV4RRFFQ69G5FAV", null, "traceparent", "garbage");
        assertThat(none.json().has("trace_id")).isFalse();
    }

    @Test
    void health_isUpWithStoreKind() {
        Http.Res r = as(null, "GET", "/health", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().get("status").asText()).isEqualTo("up");
        assertThat(r.json().get("store").asText()).isEqualTo(expectedStoreKind());
        assertThat(r.body()).doesNotContain("problem");
    }

    @Test
    void metrics_showJvmHttpAndLatchkeyMeters() {
        verifyCode(create(tenant()).get("token").asText());
        Http.Res r = as(null, "GET", "/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.body()).contains("jvm_memory_used_bytes", "process_cpu_usage", "http_server_requests_seconds",
                "latchkey_auth_requests_total{outcome=\"valid\"}", "latchkey_auth_duration_seconds",
                "latchkey_usage_pending", "cache_gets_total");
        assertThat(r.body()).doesNotContain("01ARZ", "lk_live_");
    }

    @Test
    void metrics_madeUpHttpMethods_areTaggedUnknown_soClientsCannotGrowCardinality() {
        for (String method : new String[] {"FOO", "BARBAZ", "PROPFIND"}) {
            assertThat(root(method, "/v1/keys", null).status()).isEqualTo(405);
        }
        String body = as(null, "GET", "/metrics", null).body();
        assertThat(body).contains("method=\"UNKNOWN\"").doesNotContain("method=\"FOO\"", "method=\"BARBAZ\"",
                "method=\"PROPFIND\"");
    }
}
