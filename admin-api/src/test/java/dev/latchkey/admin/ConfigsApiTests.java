package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.WebhookConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@code /v1/webhook-configs} and {@code /v1/storage-configs} (API.md §10) over real HTTP, and for the config
 * fields of keys and tenant defaults that name them (§8, §9): every tenant, listing, 404, 409, 403 and naming rule,
 * the secret shown once, the JDBC URL rule and its password hidden. Subclasses choose the store.
 */
abstract class ConfigsApiTests extends AdminApiContract {

    private static final Set<String> WEBHOOK_FIELDS = Set.of("id", "tenant_id", "url", "events", "description",
            "enabled", "created_at", "updated_at");
    private static final Set<String> STORAGE_FIELDS = Set.of("id", "tenant_id", "kind", "retention_days", "jdbc_url",
            "description", "created_at", "updated_at");
    private static final String HOOK = "https://hooks.example.com/latchkey";
    private static final String PG = "jdbc:postgresql://db.example.com:5432/history?user=lk&password=s3cret";

    private JsonNode webhook(String tenant) {
        Http.Res r = root("POST", "/v1/webhook-configs", map("tenant_id", tenant, "url", HOOK));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    private JsonNode storage(String tenant, String kind) {
        Map<String, Object> body = map("tenant_id", tenant, "kind", kind);
        if (kind.equals("postgresql")) {
            body.put("jdbc_url", PG);
        }
        Http.Res r = root("POST", "/v1/storage-configs", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    private static Map<String, Object> defaults(Object webhook, Object storage) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("rate_limit", null);
        m.put("quota", null);
        m.put("webhook_config", webhook);
        m.put("storage_config", storage);
        return m;
    }

    // ---- webhook configs --------------------------------------------------------------------------------------

    @Test
    void createWebhook_answersSecretOnce_noStore_andDefaults() {
        String tenant = tenant();
        Http.Res r = root("POST", "/v1/webhook-configs", map("tenant_id", tenant, "url", HOOK));

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        JsonNode c = r.json();
        assertThat(r.header("Location")).endsWith("/v1/webhook-configs/" + c.get("id").asText());
        assertThat(c.get("secret").asText()).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(c.get("events").toString()).isEqualTo("[\"*\"]");
        assertThat(c.get("enabled").asBoolean()).isTrue();
        assertThat(c.get("description").isNull()).isTrue();

        Http.Res read = root("GET", "/v1/webhook-configs/" + c.get("id").asText(), null);
        assertThat(names(read.json())).isEqualTo(WEBHOOK_FIELDS);
        Http.Res list = root("GET", "/v1/webhook-configs?tenant_id=" + tenant, null);
        assertThat(list.json().get("total").asLong()).isEqualTo(1);
        assertThat(names(list.json().get("webhook_configs").get(0))).isEqualTo(WEBHOOK_FIELDS);
        assertThat(list.body() + read.body()).doesNotContain(c.get("secret").asText(), "whsec_");
    }

    @Test
    void createWebhook_badUrlPrivateAddressUnknownEventOrField_is400NamingIt() {
        long before = root("GET", "/v1/webhook-configs", null).json().get("total").asLong();
        List<Object[]> cases = List.of(
                new Object[] {map("url", "ftp://hooks.example.com/"), "url"},
                new Object[] {map("url", "http://127.0.0.1:9/hook"), "url"},
                new Object[] {map("url", "http://localhost/hook"), "url"},
                new Object[] {map("url", "http://169.254.169.254/latest"), "url"},
                new Object[] {map("url", "http://[::1]/"), "url"},
                new Object[] {map(), "url"},
                new Object[] {map("url", HOOK, "events", List.of("key.created", "key.exploded")), "events[1]"},
                new Object[] {map("url", HOOK, "events", List.of()), "events"},
                new Object[] {map("url", HOOK, "description", "x".repeat(201)), "description"},
                new Object[] {map("url", HOOK, "enabled", "yes"), "enabled"},
                new Object[] {map("url", HOOK, "secret", "whsec_mine"), "secret"},
                new Object[] {map("url", HOOK, "tenant_id", "bad tenant"), "tenant_id"});
        for (Object[] c : cases) {
            Http.Res r = root("POST", "/v1/webhook-configs", c[0]);
            assertProblem(r, 400, "invalid_request");
            assertThat(fields(r)).as(c[0].toString()).containsExactly((String) c[1]);
        }
        assertThat(root("GET", "/v1/webhook-configs", null).json().get("total").asLong()).isEqualTo(before);
    }

    @Test
    void createWebhook_privateAddress_isAcceptedWhenTheServiceAllowsIt() {
        try (AdminServer open = AdminServer.builder(store).port(0).adminToken(ROOT).webhookAllowPrivate(true)
                .usageFlushInterval(Duration.ZERO).shutdownGrace(Duration.ofSeconds(2)).build().start()) {
            Http.Res r = new Http(open.baseUri()).send("POST", "/v1/webhook-configs", ROOT,
                    map("tenant_id", tenant(), "url", "http://127.0.0.1:9/hook"));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
    }

    @Test
    void patchWebhook_changesFields_refusesPrivateUrlAndReadOnlyFields() {
        JsonNode c = webhook(tenant());
        String path = "/v1/webhook-configs/" + c.get("id").asText();

        Http.Res r = root("PATCH", path, map("url", "https://other.example.com/h", "events",
                List.of("key.created", "key.deleted"), "enabled", false, "description", "ops"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("url").asText()).isEqualTo("https://other.example.com/h");
        assertThat(r.json().get("events").toString()).isEqualTo("[\"key.created\",\"key.deleted\"]");
        assertThat(r.json().get("enabled").asBoolean()).isFalse();
        assertThat(r.json().get("description").asText()).isEqualTo("ops");
        assertThat(r.json().has("secret")).isFalse();

        assertThat(fields(root("PATCH", path, map("url", "http://10.0.0.7/")))).containsExactly("url");
        assertThat(fields(root("PATCH", path, map("events", List.of("*", "nope"))))).containsExactly("events[1]");
        assertThat(fields(root("PATCH", path, map("tenant_id", "other")))).containsExactly("tenant_id");
        assertThat(root("GET", path, null).json().get("url").asText()).isEqualTo("https://other.example.com/h");
    }

    @Test
    void rotateSecret_answersNewSecretOnce_andTheOldOneSignsFor24Hours() {
        JsonNode c = webhook(tenant());
        String id = c.get("id").asText();

        Http.Res r = root("POST", "/v1/webhook-configs/" + id + "/rotate-secret", null);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(names(r.json())).containsExactly("secret");
        String fresh = r.json().get("secret").asText();
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(c.get("secret").asText());
        WebhookConfig stored = store.webhookConfigs().find(id).orElseThrow();
        assertThat(stored.signingSecrets(stored.updatedAt())).containsExactly(fresh, c.get("secret").asText());
        assertThat(stored.signingSecrets(stored.updatedAt().plus(Duration.ofHours(24)))).containsExactly(fresh);
        assertProblem(root("POST", "/v1/webhook-configs/01JD0000000000000000000000/rotate-secret", null), 404,
                "not_found");
    }

    @Test
    void tenantAdmin_managesOwnConfigs_othersAre404_andListingOthersIs403() {
        String mine = tenant();
        String theirs = tenant();
        String admin = adminToken(mine, "latchkey:tenant-admin");
        String foreign = webhook(theirs).get("id").asText();
        String foreignStorage = storage(theirs, "redis").get("id").asText();

        Http.Res created = as(admin, "POST", "/v1/webhook-configs", map("url", HOOK));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("tenant_id").asText()).isEqualTo(mine);
        Http.Res ownStorage = as(admin, "POST", "/v1/storage-configs", map("kind", "redis"));
        assertThat(ownStorage.json().get("tenant_id").asText()).isEqualTo(mine);
        assertProblem(as(admin, "POST", "/v1/webhook-configs", map("url", HOOK, "tenant_id", theirs)), 403,
                "forbidden");

        for (String[] call : List.of(new String[] {"GET", ""}, new String[] {"PATCH", ""},
                new String[] {"DELETE", ""}, new String[] {"POST", "/rotate-secret"})) {
            Object body = call[0].equals("PATCH") ? map("enabled", false) : null;
            assertProblem(as(admin, call[0], "/v1/webhook-configs/" + foreign + call[1], body), 404, "not_found");
        }
        assertProblem(as(admin, "GET", "/v1/storage-configs/" + foreignStorage, null), 404, "not_found");
        assertProblem(as(admin, "DELETE", "/v1/storage-configs/" + foreignStorage, null), 404, "not_found");
        assertProblem(as(admin, "GET", "/v1/webhook-configs?tenant_id=" + theirs, null), 403, "forbidden");

        JsonNode list = as(admin, "GET", "/v1/webhook-configs", null).json();
        assertThat(list.get("total").asLong()).isEqualTo(1);
        assertThat(list.get("webhook_configs").get(0).get("tenant_id").asText()).isEqualTo(mine);
        assertThat(root("GET", "/v1/webhook-configs/" + foreign, null).status()).isEqualTo(200);
    }

    @Test
    void list_clampsLikeKeys_newestFirst_andRefusesNonNumbers() {
        String tenant = tenant();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(0, storage(tenant, "redis").get("id").asText());
        }
        JsonNode page = root("GET", "/v1/storage-configs?tenant_id=" + tenant + "&offset=-5&limit=2", null).json();
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("offset").asInt()).isZero();
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("size").asInt()).isEqualTo(2);
        assertThat(page.get("storage_configs").get(0).get("id").asText()).isEqualTo(ids.get(0));
        assertThat(root("GET", "/v1/storage-configs?tenant_id=" + tenant + "&limit=0", null).json().get("limit")
                .asInt()).isEqualTo(20);
        assertProblem(root("GET", "/v1/storage-configs?limit=ten", null), 400, "invalid_request");
    }

    @Test
    void verifierKey_isForbidden() {
        String tenant = tenant();
        String verifier = adminToken(tenant, "latchkey:verify");
        assertProblem(as(verifier, "GET", "/v1/webhook-configs", null), 403, "forbidden");
        assertProblem(as(verifier, "POST", "/v1/storage-configs", map("kind", "redis")), 403, "forbidden");
    }

    // ---- storage configs --------------------------------------------------------------------------------------

    @Test
    void createStorage_redisDefaults_andPostgresHidesThePassword() {
        String tenant = tenant();
        JsonNode redis = storage(tenant, "redis");
        assertThat(names(redis)).isEqualTo(STORAGE_FIELDS);
        assertThat(redis.get("retention_days").asInt()).isEqualTo(30);
        assertThat(redis.get("jdbc_url").isNull()).isTrue();

        Http.Res pg = root("POST", "/v1/storage-configs", map("tenant_id", tenant, "kind", "postgresql",
                "jdbc_url", PG, "retention_days", 400));
        assertThat(pg.status()).as(pg.toString()).isEqualTo(201);
        assertThat(pg.json().get("jdbc_url").asText()).isEqualTo("jdbc:postgresql://db.example.com:5432/history?user=lk");
        Http.Res read = root("GET", "/v1/storage-configs/" + pg.json().get("id").asText(), null);
        Http.Res list = root("GET", "/v1/storage-configs?tenant_id=" + tenant, null);
        assertThat(read.body() + list.body() + pg.body()).doesNotContain("s3cret", "password");
        assertThat(logs.lines()).noneMatch(l -> l.contains("s3cret"));
    }

    @Test
    void createStorage_badFields_are400NamingThem() {
        List<Object[]> cases = List.of(
                new Object[] {map(), "kind"},
                new Object[] {map("kind", "mongodb"), "kind"},
                new Object[] {map("kind", "redis", "retention_days", 0), "retention_days"},
                new Object[] {map("kind", "redis", "retention_days", 401), "retention_days"},
                new Object[] {map("kind", "redis", "retention_days", "ten"), "retention_days"},
                new Object[] {map("kind", "redis", "jdbc_url", PG), "jdbc_url"},
                new Object[] {map("kind", "postgresql"), "jdbc_url"},
                new Object[] {map("kind", "postgresql", "jdbc_url",
                        "jdbc:postgresql://db.example.com/h?socketFactory=org.example.Evil"), "jdbc_url"},
                new Object[] {map("kind", "postgresql", "jdbc_url",
                        "jdbc:postgresql://db.example.com/h?sslfactory=org.example.Evil&password=x"), "jdbc_url"},
                new Object[] {map("kind", "postgresql", "jdbc_url", "jdbc:mysql://db.example.com/h"), "jdbc_url"},
                new Object[] {map("kind", "redis", "colour", "blue"), "colour"});
        for (Object[] c : cases) {
            Http.Res r = root("POST", "/v1/storage-configs", c[0]);
            assertProblem(r, 400, "invalid_request");
            assertThat(fields(r)).as(c[0].toString()).containsExactly((String) c[1]);
        }
    }

    @Test
    void tenantAdmin_mayNotCreateOrChangePostgres_butMayPickIt() {
        String tenant = tenant();
        String admin = adminToken(tenant, "latchkey:tenant-admin");
        assertProblem(as(admin, "POST", "/v1/storage-configs", map("kind", "postgresql", "jdbc_url", PG)), 403,
                "forbidden");
        String pg = storage(tenant, "postgresql").get("id").asText();
        assertProblem(as(admin, "PATCH", "/v1/storage-configs/" + pg, map("retention_days", 5)), 403, "forbidden");
        assertProblem(as(admin, "PATCH", "/v1/storage-configs/" + pg, map("jdbc_url",
                "jdbc:postgresql://evil.example.com/x")), 403, "forbidden");
        assertThat(as(admin, "GET", "/v1/storage-configs/" + pg, null).status()).isEqualTo(200);

        Http.Res key = as(admin, "POST", "/v1/keys", map("name", "picks pg", "storage_config", pg));
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        assertThat(key.json().get("storage_config").asText()).isEqualTo(pg);
        assertThat(key.json().get("effective").get("storage_config").asText()).isEqualTo(pg);
    }

    @Test
    void patchStorage_kindIsNotPatchable_retentionAndUrlAre() {
        String id = storage(tenant(), "postgresql").get("id").asText();
        String path = "/v1/storage-configs/" + id;
        assertThat(fields(root("PATCH", path, map("kind", "redis")))).containsExactly("kind");
        assertThat(fields(root("PATCH", path, map("jdbc_url", "jdbc:postgresql://h/db?socketFactory=x"))))
                .containsExactly("jdbc_url");
        Http.Res r = root("PATCH", path, map("retention_days", 7, "jdbc_url",
                "jdbc:postgresql://db2.example.com/h?password=new&user=u"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("retention_days").asInt()).isEqualTo(7);
        assertThat(r.json().get("jdbc_url").asText()).isEqualTo("jdbc:postgresql://db2.example.com/h?user=u");
        assertThat(r.json().get("kind").asText()).isEqualTo("postgresql");
    }

    // ---- naming by keys and tenant defaults, 409 on delete ----------------------------------------------------

    @Test
    void keyAndDefaults_nameOnlyTheirTenantsConfigs_else400NamingTheField() {
        String mine = tenant();
        String theirs = tenant();
        String foreignHook = webhook(theirs).get("id").asText();
        String foreignStore = storage(theirs, "redis").get("id").asText();

        Http.Res create = root("POST", "/v1/keys", map("name", "k", "tenant_id", mine, "webhook_config", foreignHook,
                "storage_config", foreignStore));
        assertProblem(create, 400, "invalid_request");
        assertThat(fields(create)).containsExactlyInAnyOrder("webhook_config", "storage_config");

        String keyId = create(mine).get("id").asText();
        Http.Res patch = root("PATCH", "/v1/keys/" + keyId, map("storage_config", foreignStore));
        assertProblem(patch, 400, "invalid_request");
        assertThat(fields(patch)).containsExactly("storage_config");

        Http.Res put = root("PUT", "/v1/tenants/" + mine + "/defaults", defaults(foreignHook, null));
        assertProblem(put, 400, "invalid_request");
        assertThat(fields(put)).containsExactly("webhook_config");
        assertThat(root("GET", "/v1/keys/" + keyId, null).json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void effective_showsTheKeysOverride_elseTheTenantDefault() {
        String tenant = tenant();
        String hookDefault = webhook(tenant).get("id").asText();
        String hookOwn = webhook(tenant).get("id").asText();
        String storeDefault = storage(tenant, "redis").get("id").asText();
        String admin = adminToken(tenant, "latchkey:tenant-admin");
        Http.Res put = as(admin, "PUT", "/v1/tenants/" + tenant + "/defaults", defaults(hookDefault, storeDefault));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.json().get("webhook_config").asText()).isEqualTo(hookDefault);

        JsonNode inherits = create(tenant);
        Http.Res own = as(admin, "PATCH", "/v1/keys/" + inherits.get("id").asText(), map());
        JsonNode overriding = create(map("name", "own", "tenant_id", tenant, "webhook_config", hookOwn));

        JsonNode a = root("GET", "/v1/keys/" + inherits.get("id").asText(), null).json();
        assertThat(a.get("webhook_config").isNull()).isTrue();
        assertThat(a.get("effective").get("webhook_config").asText()).isEqualTo(hookDefault);
        assertThat(a.get("effective").get("storage_config").asText()).isEqualTo(storeDefault);
        JsonNode b = root("GET", "/v1/keys/" + overriding.get("id").asText(), null).json();
        assertThat(b.get("webhook_config").asText()).isEqualTo(hookOwn);
        assertThat(b.get("effective").get("webhook_config").asText()).isEqualTo(hookOwn);
        assertThat(b.get("effective").get("storage_config").asText()).isEqualTo(storeDefault);
        assertThat(own.status()).isEqualTo(200);
    }

    @Test
    void delete_configNamedByAKeyOrDefaults_is409_untilReleased() {
        String tenant = tenant();
        String hook = webhook(tenant).get("id").asText();
        String storage = storage(tenant, "redis").get("id").asText();
        String keyId = create(map("name", "k", "tenant_id", tenant, "webhook_config", hook)).get("id").asText();
        assertThat(root("PUT", "/v1/tenants/" + tenant + "/defaults", defaults(null, storage)).status())
                .isEqualTo(200);

        assertProblem(root("DELETE", "/v1/webhook-configs/" + hook, null), 409, "conflict");
        assertProblem(root("DELETE", "/v1/storage-configs/" + storage, null), 409, "conflict");

        assertThat(root("PATCH", "/v1/keys/" + keyId, map("webhook_config", null)).status()).isEqualTo(200);
        assertThat(root("PUT", "/v1/tenants/" + tenant + "/defaults", defaults(null, null)).status())
                .isEqualTo(200);
        assertThat(root("DELETE", "/v1/webhook-configs/" + hook, null).status()).isEqualTo(204);
        assertThat(root("DELETE", "/v1/storage-configs/" + storage, null).status()).isEqualTo(204);
        assertProblem(root("GET", "/v1/webhook-configs/" + hook, null), 404, "not_found");
        assertProblem(root("DELETE", "/v1/storage-configs/" + storage, null), 404, "not_found");
        assertProblem(root("GET", "/v1/storage-configs/not-an-id", null), 404, "not_found");
    }

    @Test
    void deleteRacingAPatchThatNamesTheConfig_neverLeavesTheKeyNamingADeletedConfig() throws Exception {
        // §10: a config still named by a key cannot be deleted (409); at most one of the two racing calls wins.
        String tenant = tenant();
        String keyId = create(map("name", "racer", "tenant_id", tenant)).get("id").asText();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 20; i++) {
                String hook = webhook(tenant).get("id").asText();
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                java.util.concurrent.Future<Integer> patch = pool.submit(() -> {
                    start.await();
                    return root("PATCH", "/v1/keys/" + keyId, map("webhook_config", hook)).status();
                });
                java.util.concurrent.Future<Integer> delete = pool.submit(() -> {
                    start.await();
                    return root("DELETE", "/v1/webhook-configs/" + hook, null).status();
                });
                int patched = patch.get();
                int deleted = delete.get();
                assertThat(patched == 200 && deleted == 204).as("round %d: both the PATCH and the DELETE won", i)
                        .isFalse();
                assertThat(root("PATCH", "/v1/keys/" + keyId, map("webhook_config", null)).status()).isEqualTo(200);
                if (deleted != 204) {
                    assertThat(root("DELETE", "/v1/webhook-configs/" + hook, null).status()).isEqualTo(204);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- usage history ----------------------------------------------------------------------------------------

    @Test
    void usage_newKey_answersEveryBucketAsZeros() {
        String id = create(tenant()).get("id").asText();
        Http.Res r = root("GET", "/v1/keys/" + id + "/usage?granularity=hour", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(names(r.json())).containsExactlyInAnyOrder("key_id", "granularity", "series");
        assertThat(r.json().get("granularity").asText()).isEqualTo("hour");
        assertThat(r.json().get("series").size()).isBetween(24, 25);
        JsonNode b = r.json().get("series").get(0);
        assertThat(names(b)).containsExactlyInAnyOrder("start", "valid", "denied", "rate_limited");
        assertThat(b.get("start").asText()).endsWith(":00:00Z");
    }

    @Test
    void usage_badRangesAndTooManyPoints_are400() {
        String path = "/v1/keys/" + create(tenant()).get("id").asText() + "/usage";
        List<Object[]> cases = List.of(
                new Object[] {"?from=yesterday", "from"},
                new Object[] {"?to=2026-13-01T00:00:00Z", "to"},
                new Object[] {"?granularity=week", "granularity"},
                new Object[] {"?from=2026-12-01T10:00:00Z&to=2026-12-01T10:00:00Z", "from"},
                new Object[] {"?from=2026-12-01T11:00:00Z&to=2026-12-01T10:00:00Z", "from"},
                new Object[] {"?from=2026-12-01T00:00:00Z&to=2026-12-02T00:01:00Z", "to"},
                new Object[] {"?granularity=hour&from=2026-01-01T00:00:00Z&to=2026-03-05T00:00:00Z", "to"},
                new Object[] {"?granularity=day&from=2022-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"});
        for (Object[] c : cases) {
            Http.Res r = root("GET", path + c[0], null);
            assertProblem(r, 400, "invalid_request");
            assertThat(fields(r)).as((String) c[0]).containsExactly((String) c[1]);
        }
        assertThat(root("GET", path + "?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z", null).json()
                .get("series").size()).isEqualTo(1_440);
    }

    @Test
    void usage_ofAnotherTenantsKey_is404ForATenantAdmin() {
        String mine = tenant();
        String admin = adminToken(mine, "latchkey:tenant-admin");
        String foreign = create(tenant()).get("id").asText();
        assertProblem(as(admin, "GET", "/v1/keys/" + foreign + "/usage", null), 404, "key_not_found");
        String own = create(mine).get("id").asText();
        assertThat(as(admin, "GET", "/v1/keys/" + own + "/usage", null).status()).isEqualTo(200);
        assertProblem(root("GET", "/v1/keys/01JD0000000000000000000000/usage", null), 404, "key_not_found");
    }
}
