package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tests for the admin side of rate limits, quotas, credits and tenant defaults (API.md §8, §9) over real HTTP: key
 * fields and {@code effective}, create and PATCH, {@code POST /v1/keys/{id}/credits} and
 * {@code /v1/tenants/{tenant_id}/defaults}, with every 400, 403, 404, 409 and 412 they promise. Subclasses choose
 * the store.
 */
abstract class LimitsApiTests extends AdminApiContract {

    private static final Set<String> EFFECTIVE_FIELDS = Set.of("rate_limit", "quota", "webhook_config",
            "storage_config");
    private static final Set<String> DEFAULTS_FIELDS = Set.of("tenant_id", "rate_limit", "quota", "webhook_config",
            "storage_config", "version", "updated_at");

    private static Map<String, Object> rate(long limit, long period) {
        return map("limit", limit, "period_seconds", period);
    }

    private static Map<String, Object> quota(Object limit, String period) {
        return map("limit", limit, "period", period);
    }

    private static Map<String, Object> defaults(Object rateLimit, Object quota) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("rate_limit", rateLimit);
        m.put("quota", quota);
        m.put("webhook_config", null);
        m.put("storage_config", null);
        return m;
    }

    private JsonNode key(String id) {
        Http.Res r = root("GET", "/v1/keys/" + id, null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    // ---- key fields -------------------------------------------------------------------------------------------

    @Test
    void keyWithoutLimits_showsEveryLimitFieldAsNull_andEffectiveWithFourNulls() {
        JsonNode k = create(tenant());

        for (String f : List.of("rate_limit", "quota", "webhook_config", "storage_config")) {
            assertThat(k.has(f)).as(f).isTrue();
            assertThat(k.get(f).isNull()).as(f).isTrue();
        }
        assertThat(names(k.get("effective"))).isEqualTo(EFFECTIVE_FIELDS);
        k.get("effective").forEach(v -> assertThat(v.isNull()).isTrue());
    }

    @Test
    void create_withLimits_answersThem_withTheLiveBalance_andEffective() {
        Http.Res r = root("POST", "/v1/keys", map("name", "metered", "tenant_id", tenant(),
                "rate_limit", rate(100, 60), "quota", map("limit", 1000, "period", "month", "remaining", 900),
                "webhook_config", null, "storage_config", null));

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode k = key(r.json().get("id").asText());
        assertThat(k.get("rate_limit").get("limit").asLong()).isEqualTo(100);
        assertThat(k.get("rate_limit").get("period_seconds").asLong()).isEqualTo(60);
        assertThat(k.get("quota").get("limit").asLong()).isEqualTo(1000);
        assertThat(k.get("quota").get("period").asText()).isEqualTo("month");
        assertThat(k.get("quota").get("remaining").asLong()).isEqualTo(900);
        assertThat(k.get("quota").get("refills_at").asText()).matches("\\d{4}-\\d\\d-01T00:00:00Z");
        assertThat(k.get("effective").get("rate_limit")).isEqualTo(k.get("rate_limit"));
        assertThat(k.get("effective").get("quota")).isEqualTo(k.get("quota"));
        assertThat(r.json().get("effective")).isEqualTo(k.get("effective"));
    }

    // ---- 400s naming the field ----------------------------------------------------------------------------------

    @Test
    void create_badRateLimitQuotaOrConfig_is400NamingEachField_andCreatesNothing() {
        String t = tenant();
        List<Object[]> cases = List.of(
                new Object[] {map("rate_limit", rate(0, 86_401)),
                        List.of("rate_limit.limit", "rate_limit.period_seconds")},
                new Object[] {map("rate_limit", map("limit", 10)), List.of("rate_limit.period_seconds")},
                new Object[] {map("rate_limit", "fast"), List.of("rate_limit")},
                new Object[] {map("rate_limit", map("limit", 1.5, "period_seconds", 60, "burst", 3)),
                        List.of("rate_limit.limit", "rate_limit.burst")},
                new Object[] {map("quota", quota("x", "week")), List.of("quota.limit", "quota.period")},
                new Object[] {map("quota", quota(1_000_000_000_001L, "day")), List.of("quota.limit")},
                new Object[] {map("quota", map("limit", 10, "period", "day", "remaining", 11)),
                        List.of("quota.remaining")},
                new Object[] {map("webhook_config", "01JD0000000000000000000000"), List.of("webhook_config")},
                new Object[] {map("storage_config", 7), List.of("storage_config")},
                new Object[] {map("effective", map()), List.of("effective")});
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = new java.util.LinkedHashMap<>((Map<String, Object>) c[0]);
            body.put("name", "bad limits");
            body.put("tenant_id", t);
            Http.Res r = root("POST", "/v1/keys", body);
            assertProblem(r, 400, "invalid_request");
            @SuppressWarnings("unchecked")
            List<String> expected = (List<String>) c[1];
            assertThat(fields(r)).as(body.toString()).containsAll(expected);
        }
        assertThat(root("GET", "/v1/keys?tenant_id=" + t, null).json().get("total").asLong()).isZero();
    }

    @Test
    void patch_aShapeErrorBesideBadLimits_is400ListingEveryField_asCreateDoes() {
        JsonNode k = create(tenant());
        String id = k.get("id").asText();
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("rate_limit", rate(0, 86_401));
        body.put("quota", map("limit", 10, "period", "week", "remaining", 11));
        body.put("webhook_config", 5);
        body.put("scopes", List.of("BAD"));
        body.put("burst", 3);

        Http.Res r = root("PATCH", "/v1/keys/" + id, body);

        assertProblem(r, 400, "invalid_request");
        assertThat(fields(r)).containsExactlyInAnyOrder("rate_limit.limit", "rate_limit.period_seconds",
                "quota.period", "webhook_config", "scopes[0]", "burst");
        assertThat(key(id).get("version").asLong()).isEqualTo(k.get("version").asLong());
    }

    @Test
    void patch_badLimitsOrEffective_is400NamingTheField_andChangesNothing() {
        JsonNode k = create(tenant());
        String id = k.get("id").asText();

        Http.Res rate = root("PATCH", "/v1/keys/" + id, map("rate_limit", rate(1_000_001, 0)));
        Http.Res quota = root("PATCH", "/v1/keys/" + id, map("quota", quota(5, "yearly")));
        Http.Res effective = root("PATCH", "/v1/keys/" + id, map("effective", map("rate_limit", null)));

        assertProblem(rate, 400, "invalid_request");
        assertThat(fields(rate)).containsExactlyInAnyOrder("rate_limit.limit", "rate_limit.period_seconds");
        assertThat(fields(quota)).containsExactly("quota.period");
        assertThat(fields(effective)).containsExactly("effective");
        assertThat(key(id).get("version").asLong()).isEqualTo(1);
    }

    // ---- who may set limits -----------------------------------------------------------------------------------

    @Test
    void tenantAdmin_changingALimit_is403_andNothingChanges() {
        String t = tenant();
        String tenantAdmin = adminToken(t, "latchkey:tenant-admin");
        JsonNode k = create(map("name", "limited", "tenant_id", t, "rate_limit", rate(10, 60),
                "quota", quota(100, "day")));
        String id = k.get("id").asText();

        Http.Res raise = as(tenantAdmin, "PATCH", "/v1/keys/" + id, map("rate_limit", rate(1000, 60)));
        Http.Res lift = as(tenantAdmin, "PATCH", "/v1/keys/" + id, map("name", "x", "quota", null));
        Http.Res create = as(tenantAdmin, "POST", "/v1/keys", map("name", "sneaky", "rate_limit", rate(5, 1)));

        assertProblem(raise, 403, "forbidden");
        assertProblem(lift, 403, "forbidden");
        assertProblem(create, 403, "forbidden");
        JsonNode after = key(id);
        assertThat(after.get("version").asLong()).isEqualTo(1);
        assertThat(after.get("name").asText()).isEqualTo("limited");
        assertThat(after.get("rate_limit").get("limit").asLong()).isEqualTo(10);
        assertThat(after.get("quota").get("limit").asLong()).isEqualTo(100);
        assertThat(root("GET", "/v1/keys?tenant_id=" + t, null).json().get("total").asLong())
                .as("only the admin key and the limited key").isEqualTo(2);
    }

    @Test
    void tenantAdmin_sendingTheCurrentLimitsBack_isNotAChange_andItsRemainingIsIgnored() {
        String t = tenant();
        String tenantAdmin = adminToken(t, "latchkey:tenant-admin");
        JsonNode k = create(map("name", "limited", "tenant_id", t, "rate_limit", rate(10, 60),
                "quota", quota(100, "day")));
        String id = k.get("id").asText();

        Http.Res r = as(tenantAdmin, "PATCH", "/v1/keys/" + id, map("name", "renamed", "rate_limit", rate(10, 60),
                "quota", map("limit", 100, "period", "day", "remaining", 3, "refills_at", "2000-01-01T00:00:00Z")));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("name").asText()).isEqualTo("renamed");
        assertThat(r.json().get("quota").get("remaining").asLong()).isEqualTo(100);
    }

    @Test
    void platformAdminPatch_replacesLimitsWhole_capsTheBalance_andMovesTheVersion() {
        String t = tenant();
        String admin = adminToken(tenant(), "latchkey:admin");
        JsonNode k = create(map("name", "limited", "tenant_id", t, "rate_limit", rate(10, 60),
                "quota", map("limit", 1000, "period", "none", "remaining", 900)));
        String id = k.get("id").asText();

        Http.Res r = as(admin, "PATCH", "/v1/keys/" + id, map("quota", quota(50, "none"), "rate_limit", null));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo("\"2\"");
        assertThat(r.json().get("rate_limit").isNull()).isTrue();
        assertThat(r.json().get("effective").get("rate_limit").isNull()).isTrue();
        assertThat(r.json().get("quota").get("limit").asLong()).isEqualTo(50);
        assertThat(r.json().get("quota").get("remaining").asLong()).as("capped at the new limit").isEqualTo(50);
        assertThat(r.json().get("quota").get("refills_at").isNull()).isTrue();
        Http.Res set = root("PATCH", "/v1/keys/" + id, map("quota", map("limit", 50, "period", "none", "remaining", 7)));
        assertThat(set.json().get("quota").get("remaining").asLong()).isEqualTo(7);
        // Only the balance changed, but a PATCH is not a credit change: it moves the version (it kept it).
        assertThat(set.header("ETag")).isEqualTo("\"3\"");
        assertThat(set.json().get("version").asLong()).isEqualTo(3);
        assertThat(set.json().get("updated_at").asText()).isNotEqualTo(r.json().get("updated_at").asText());
    }

    // ---- credits ------------------------------------------------------------------------------------------------

    @Test
    void credits_incrementDecrementSet_answerTheBalance_andLeaveVersionEtagAndUpdatedAtAlone() {
        JsonNode k = create(map("name", "prepaid", "tenant_id", tenant(), "quota", quota(10, "none")));
        String id = k.get("id").asText();
        String credits = "/v1/keys/" + id + "/credits";

        Http.Res inc = root("POST", credits, map("op", "increment", "amount", 500));
        Http.Res dec = root("POST", credits, map("op", "decrement", "amount", 10));
        Http.Res set = root("POST", credits, map("op", "set", "amount", 0));

        assertThat(inc.status()).as(inc.toString()).isEqualTo(200);
        assertThat(names(inc.json())).containsExactlyInAnyOrder("remaining", "refills_at");
        assertThat(inc.json().get("remaining").asLong()).isEqualTo(510);
        assertThat(inc.json().get("refills_at").isNull()).isTrue();
        assertThat(dec.json().get("remaining").asLong()).isEqualTo(500);
        assertThat(set.json().get("remaining").asLong()).isZero();
        Http.Res after = root("GET", "/v1/keys/" + id, null);
        assertThat(after.header("ETag")).isEqualTo("\"1\"");
        assertThat(after.json().get("updated_at")).isEqualTo(k.get("updated_at"));
        assertThat(after.json().get("quota").get("remaining").asLong()).isZero();
    }

    @Test
    void credits_decrementPastZero_orNoEffectiveQuota_is409_andChangesNothing() {
        String t = tenant();
        String id = create(map("name", "prepaid", "tenant_id", t, "quota", quota(10, "none"))).get("id").asText();
        String unlimited = create(t).get("id").asText();

        Http.Res past = root("POST", "/v1/keys/" + id + "/credits", map("op", "decrement", "amount", 11));
        Http.Res none = root("POST", "/v1/keys/" + unlimited + "/credits", map("op", "increment", "amount", 1));

        assertProblem(past, 409, "conflict");
        assertProblem(none, 409, "conflict");
        assertThat(key(id).get("quota").get("remaining").asLong()).isEqualTo(10);
    }

    @Test
    void credits_tenantAdmin_is403_otherTenant_is404_platformAdmin_mayChange() {
        String t = tenant();
        String id = create(map("name", "prepaid", "tenant_id", t, "quota", quota(10, "none"))).get("id").asText();
        String own = adminToken(t, "latchkey:tenant-admin");
        String other = adminToken(tenant(), "latchkey:tenant-admin");
        String platform = adminToken(tenant(), "latchkey:admin");
        Map<String, Object> body = map("op", "increment", "amount", 5);

        assertProblem(as(own, "POST", "/v1/keys/" + id + "/credits", body), 403, "forbidden");
        assertProblem(as(other, "POST", "/v1/keys/" + id + "/credits", body), 404, "key_not_found");
        assertProblem(root("POST", "/v1/keys/01JD0000000000000000000000/credits", body), 404, "key_not_found");
        assertThat(key(id).get("quota").get("remaining").asLong()).isEqualTo(10);
        Http.Res ok = as(platform, "POST", "/v1/keys/" + id + "/credits", body);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("remaining").asLong()).isEqualTo(15);
    }

    @Test
    void credits_badBodies_are400NamingTheField() {
        String id = create(map("name", "prepaid", "tenant_id", tenant(), "quota", quota(10, "none"))).get("id").asText();
        String path = "/v1/keys/" + id + "/credits";
        List<Object[]> cases = List.of(
                new Object[] {map("op", "add", "amount", 1), "op"},
                new Object[] {map("amount", 1), "op"},
                new Object[] {map("op", "increment", "amount", 0), "amount"},
                new Object[] {map("op", "decrement", "amount", -1), "amount"},
                new Object[] {map("op", "set", "amount", 1_000_000_000_001L), "amount"},
                new Object[] {map("op", "set"), "amount"},
                new Object[] {map("op", "increment", "amount", 1.5), "amount"},
                new Object[] {map("op", 1, "amount", 1), "op"},
                new Object[] {map("op", "increment", "amount", 1, "note", "x"), "note"});
        for (Object[] c : cases) {
            Http.Res r = root("POST", path, c[0]);
            assertProblem(r, 400, "invalid_request");
            assertThat(fields(r)).as(c[0].toString()).contains((String) c[1]);
        }
        assertThat(key(id).get("quota").get("remaining").asLong()).isEqualTo(10);
    }

    // ---- tenant defaults ----------------------------------------------------------------------------------------

    @Test
    void defaults_unset_areNullsWithVersionZero_evenForATenantWithoutKeys() {
        Http.Res r = root("GET", "/v1/tenants/" + tenant() + "/defaults", null);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo("\"0\"");
        assertThat(names(r.json())).isEqualTo(DEFAULTS_FIELDS);
        for (String f : List.of("rate_limit", "quota", "webhook_config", "storage_config", "updated_at")) {
            assertThat(r.json().get(f).isNull()).as(f).isTrue();
        }
        assertThat(r.json().get("version").asLong()).isZero();
    }

    @Test
    void defaults_put_replacesThem_keysInheritThem_andIfMatchGuardsIt() {
        String t = tenant();
        String id = create(t).get("id").asText();
        String path = "/v1/tenants/" + t + "/defaults";

        Http.Res put = root("PUT", path, defaults(rate(100, 60), quota(10_000, "day")), "If-Match", "\"0\"");
        Http.Res stale = root("PUT", path, defaults(null, null), "If-Match", "\"0\"");

        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.header("ETag")).isEqualTo("\"1\"");
        assertThat(put.json().get("version").asLong()).isEqualTo(1);
        assertThat(put.json().get("updated_at").asText()).isNotEmpty();
        assertThat(put.json().get("quota")).isEqualTo(Http.JSON.valueToTree(quota(10_000, "day")));
        assertProblem(stale, 412, "precondition_failed");
        assertThat(root("GET", path, null).json()).isEqualTo(put.json());
        JsonNode k = key(id);
        assertThat(k.get("rate_limit").isNull()).isTrue();
        assertThat(k.get("effective").get("rate_limit").get("limit").asLong()).isEqualTo(100);
        assertThat(k.get("effective").get("quota").get("limit").asLong()).isEqualTo(10_000);
        assertThat(k.get("effective").get("quota").get("remaining").asLong()).isEqualTo(10_000);
        assertThat(k.get("version").asLong()).isEqualTo(1);
        Http.Res credited = root("POST", "/v1/keys/" + id + "/credits", map("op", "decrement", "amount", 1));
        assertThat(credited.json().get("remaining").asLong()).as("an inherited quota has its own balance")
                .isEqualTo(9_999);
    }

    @Test
    void defaults_badBodies_are400NamingTheField_andChangeNothing() {
        String t = tenant();
        String path = "/v1/tenants/" + t + "/defaults";
        Map<String, Object> extra = defaults(null, null);
        extra.put("burst", 5);
        Map<String, Object> missing = defaults(null, null);
        missing.remove("storage_config");
        List<Object[]> cases = List.of(
                new Object[] {extra, "burst"},
                new Object[] {missing, "storage_config"},
                new Object[] {defaults(null, map("limit", 5, "period", "day", "remaining", 3)), "quota.remaining"},
                new Object[] {defaults(rate(0, 60), null), "rate_limit.limit"},
                new Object[] {defaults(null, quota(5, "week")), "quota.period"});
        for (Object[] c : cases) {
            Http.Res r = root("PUT", path, c[0]);
            assertProblem(r, 400, "invalid_request");
            assertThat(fields(r)).as(c[0].toString()).contains((String) c[1]);
        }
        Map<String, Object> config = defaults(null, null);
        config.put("webhook_config", "01JD0000000000000000000000");
        assertThat(fields(root("PUT", path, config))).containsExactly("webhook_config");
        assertProblem(root("GET", "/v1/tenants/bad%20tenant/defaults", null), 400, "invalid_request");
        assertThat(root("GET", path, null).json().get("version").asLong()).isZero();
    }

    @Test
    void defaults_aShapeErrorBesideBadValues_is400ListingEveryField_asCreateDoes() {
        String path = "/v1/tenants/" + tenant() + "/defaults";
        Map<String, Object> body = defaults(rate(0, 86_401), quota(0, "week"));
        body.put("webhook_config", 5);
        body.put("burst", 3);

        Http.Res r = root("PUT", path, body);

        assertProblem(r, 400, "invalid_request");
        assertThat(fields(r)).containsExactlyInAnyOrder("rate_limit.limit", "rate_limit.period_seconds",
                "quota.limit", "quota.period", "webhook_config", "burst");
        assertThat(root("GET", path, null).json().get("version").asLong()).isZero();
    }

    @Test
    void defaults_tenantAdmins_readTheirOwn_mayNotChangeLimits_andNeverSeeOthers() {
        String t = tenant();
        String path = "/v1/tenants/" + t + "/defaults";
        String own = adminToken(t, "latchkey:tenant-admin");
        String other = adminToken(tenant(), "latchkey:tenant-admin");
        String verifier = adminToken(t, "latchkey:verify");
        assertThat(root("PUT", path, defaults(rate(100, 60), null)).status()).isEqualTo(200);

        Http.Res read = as(own, "GET", path, null);
        Http.Res raise = as(own, "PUT", path, defaults(rate(1000, 60), null));
        Http.Res same = as(own, "PUT", path, defaults(rate(100, 60), null));

        assertThat(read.status()).isEqualTo(200);
        assertProblem(raise, 403, "forbidden");
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        assertThat(same.json().get("version").asLong()).isEqualTo(2);
        assertThat(same.json().get("rate_limit").get("limit").asLong()).isEqualTo(100);
        assertProblem(as(other, "GET", path, null), 403, "forbidden");
        assertProblem(as(other, "PUT", path, defaults(rate(100, 60), null)), 403, "forbidden");
        assertProblem(as(verifier, "GET", path, null), 403, "forbidden");
        assertThat(root("GET", path, null).json().get("version").asLong()).isEqualTo(2);
    }

    // ---- verify charges (API.md §8 decision order, costs, verify answers) --------------------------------------

    private JsonNode verify(String token, Object cost) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("token", token);
        if (cost != null) {
            body.put("cost", cost);
        }
        Http.Res r = root("POST", "/v1/verify", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void verify_chargesTheRateLimit_answersItsState_thenRateLimitedWithRetryAfter() {
        JsonNode k = create(map("name", "metered", "tenant_id", tenant(), "rate_limit", rate(3, 3600)));
        String token = k.get("token").asText();

        JsonNode first = verify(token, 2);
        assertThat(first.get("valid").asBoolean()).isTrue();
        assertThat(first.get("rate_limit").get("limit").asLong()).isEqualTo(3);
        assertThat(first.get("rate_limit").get("remaining").asLong()).isEqualTo(1);
        assertThat(first.get("rate_limit").get("reset_seconds").asLong()).isBetween(1L, 3600L);
        assertThat(first.has("quota")).isFalse();

        JsonNode denied = verify(token, 2);
        assertThat(denied.get("valid").asBoolean()).isFalse();
        assertThat(denied.get("code").asText()).isEqualTo("rate_limited");
        assertThat(denied.get("retry_after").asLong()).isBetween(1L, 3600L);
        assertThat(denied.has("key")).isFalse();

        assertThat(verify(token, 0).get("valid").asBoolean()).as("cost 0 is always admitted").isTrue();
        assertThat(verify(token, null).get("valid").asBoolean()).as("cost 1 still fits").isTrue();
        assertThat(verify(token, null).get("code").asText()).isEqualTo("rate_limited");
    }

    @Test
    void verify_prepaidCreditsSpent_isQuotaExhaustedWithoutRetryAfter_andATopUpLetsItThrough() {
        JsonNode k = create(map("name", "prepaid", "tenant_id", tenant(), "quota", quota(1, "none")));
        String token = k.get("token").asText();
        JsonNode ok = verify(token, null);
        assertThat(ok.get("quota").get("remaining").asLong()).isZero();
        assertThat(ok.get("quota").get("refills_at").isNull() || !ok.get("quota").has("refills_at")).isTrue();

        JsonNode spent = verify(token, null);
        assertThat(spent.get("code").asText()).isEqualTo("quota_exhausted");
        assertThat(spent.has("retry_after")).isFalse();

        Http.Res top = root("POST", "/v1/keys/" + k.get("id").asText() + "/credits",
                map("op", "increment", "amount", 1));
        assertThat(top.status()).as(top.toString()).isEqualTo(200);
        assertThat(verify(token, null).get("valid").asBoolean()).isTrue();
    }

    @Test
    void verify_badCost_is400NamingTheField_andChargesNothing() {
        JsonNode k = create(map("name", "metered", "tenant_id", tenant(), "rate_limit", rate(1, 3600)));
        for (Object bad : List.of(-1, 1_000_001, "five", 1.5)) {
            Http.Res r = root("POST", "/v1/verify", map("token", k.get("token").asText(), "cost", bad));
            assertThat(r.status()).as(String.valueOf(bad)).isEqualTo(400);
            assertThat(r.json().get("code").asText()).isEqualTo("invalid_request");
            assertThat(r.body()).contains("cost");
        }
        assertThat(verify(k.get("token").asText(), null).get("valid").asBoolean()).as("nothing was spent").isTrue();
    }

    @Test
    void verify_keyOverATenantDefault_isRateLimited_andTheDefaultsChangeLiftsItAtOnce() {
        String tenant = tenant();
        JsonNode k = create(tenant);
        String token = k.get("token").asText();
        assertThat(root("PUT", "/v1/tenants/" + tenant + "/defaults", defaults(rate(1, 3600), null)).status())
                .isEqualTo(200);
        assertThat(verify(token, null).get("valid").asBoolean()).isTrue();
        assertThat(verify(token, null).get("code").asText()).isEqualTo("rate_limited");
        Http.Res d = root("GET", "/v1/tenants/" + tenant + "/defaults", null);
        assertThat(root("PUT", "/v1/tenants/" + tenant + "/defaults", defaults(null, null), "If-Match",
                d.header("ETag")).status()).isEqualTo(200);
        assertThat(verify(token, null).get("valid").asBoolean()).isTrue();
    }
}
