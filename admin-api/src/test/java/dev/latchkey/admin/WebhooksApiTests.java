package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.latchkey.admin.webhooks.RetrySchedule;
import dev.latchkey.admin.webhooks.WebhookSettings;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.WebhookConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Tests for key events sent to webhooks (API.md §10) over real HTTP: real receivers on loopback ports record what
 * arrives, and two independent verifiers (the official Standard Webhooks library and one written from the spec here)
 * must accept every request. Retries run on a 100 ms schedule so nothing waits minutes. Subclasses choose the store.
 */
abstract class WebhooksApiTests extends AdminApiContract {

    private final List<Receiver> receivers = new ArrayList<>();

    @Override
    protected AdminServerBuilder configure(AdminServerBuilder builder) {
        return builder.webhooks(WebhookSettings.defaults().withAllowPrivate(true)
                .withSchedule(RetrySchedule.fixed(Duration.ofMillis(100), 6))
                .withScans(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(2), Duration.ofMillis(200)));
    }

    @AfterAll
    void stopReceivers() {
        receivers.forEach(Receiver::close);
    }

    private Receiver receiver(Integer... statuses) {
        Receiver r = new Receiver().answering(statuses);
        receivers.add(r);
        return r;
    }

    /** A config as created over HTTP: its id and the secret shown once. */
    record Config(String id, String secret) {
    }

    /** Creates a webhook config over HTTP as root and returns its id and secret. */
    Config config(String tenant, String url, String... events) {
        Map<String, Object> body = map("tenant_id", tenant, "url", url);
        if (events.length > 0) {
            body.put("events", List.of(events));
        }
        Http.Res r = root("POST", "/v1/webhook-configs", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return new Config(r.json().get("id").asText(), r.json().get("secret").asText());
    }

    /** Makes a config the tenant's default. */
    void tenantDefault(String tenant, String configId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rate_limit", null);
        body.put("quota", null);
        body.put("webhook_config", configId);
        body.put("storage_config", null);
        Http.Res r = root("PUT", "/v1/tenants/" + tenant + "/defaults", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    static void assertSigned(Receiver.Request req, String secret) throws Exception {
        String id = req.header("webhook-id");
        String ts = req.header("webhook-timestamp");
        String sig = req.header("webhook-signature");
        assertThat(id).isNotBlank();
        assertThat(ts).matches("[0-9]{10}");
        assertThat(SpecVerifier.accepts(secret, id, ts, sig, req.body())).as("spec verifier").isTrue();
        Map<String, List<String>> headers = Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(ts),
                "webhook-signature", List.of(sig));
        new Webhook(secret).verify(req.body(), headers); // throws when it does not verify
        assertThat(SpecVerifier.accepts(WebhookConfig.newSecret(), id, ts, sig, req.body()))
                .as("another secret is refused").isFalse();
    }

    private static void awaitTypes(Receiver r, String... types) {
        await().atMost(Receiver.patience()).untilAsserted(() -> assertThat(
                r.requests().stream().map(q -> typeOf(q)).collect(Collectors.toSet())).containsAll(List.of(types)));
    }

    private static String typeOf(Receiver.Request q) {
        try {
            return Http.JSON.readTree(q.body()).get("type").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyKeyEvent_arrivesSignedForBothVerifiers_withTheKeyAnswer_andNoToken() throws Exception {
        String tenant = tenant();
        Receiver r = receiver();
        Config c = config(tenant, r.url());
        tenantDefault(tenant, c.id());

        JsonNode created = create(map("name", "evented", "tenant_id", tenant, "quota", map("limit", 1,
                "period", "none"), "expires_at", clock.instant().plusSeconds(60).toString()));
        String id = created.get("id").asText();
        assertThat(root("PATCH", "/v1/keys/" + id, map("name", "renamed")).status()).isEqualTo(200);
        assertThat(root("PUT", "/v1/keys/" + id + "/status", map("status", "inactive")).status()).isEqualTo(200);
        assertThat(root("PUT", "/v1/keys/" + id + "/status", map("status", "active")).status()).isEqualTo(200);
        Http.Res rotated = root("POST", "/v1/keys/" + id + "/rotate", map("force", true));
        assertThat(rotated.status()).isEqualTo(200);
        Http.Res reset = root("POST", "/v1/keys/" + id + "/reset", null);
        assertThat(reset.status()).isEqualTo(202);
        assertThat(verifyCode(reset.json().get("api_key").asText())).isEqualTo("valid"); // spends the last unit
        awaitTypes(r, "key.quota_exhausted");
        clock.advance(Duration.ofSeconds(61));
        awaitTypes(r, "key.expired");
        assertThat(root("DELETE", "/v1/keys/" + id, null).status()).isEqualTo(204);

        awaitTypes(r, "key.created", "key.updated", "key.status_changed", "key.rotated", "key.reset", "key.deleted",
                "key.quota_exhausted", "key.expired");
        Set<String> ids = r.requests().stream().map(q -> q.header("webhook-id")).collect(Collectors.toSet());
        assertThat(ids).hasSize(r.requests().size()); // one event, one delivery, one id
        assertThat(r.ofType("key.status_changed")).hasSize(2);
        for (Receiver.Request req : r.requests()) {
            assertSigned(req, c.secret());
            JsonNode body = Http.JSON.readTree(req.body());
            assertThat(body.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            JsonNode data = body.get("data");
            assertThat(data.get("tenant_id").asText()).isEqualTo(tenant);
            assertThat(data.get("key").get("id").asText()).isEqualTo(id);
            assertThat(data.get("key").has("effective")).isTrue();
            assertThat(data.get("key").has("token")).isFalse();
            String type = body.get("type").asText();
            if (type.equals("key.expired") || type.equals("key.quota_exhausted")) {
                assertThat(data.get("actor").isNull()).as(type).isTrue();
            } else {
                assertThat(data.get("actor").asText()).as(type).isEqualTo("root");
            }
            for (String token : issued) {
                assertThat(req.body()).doesNotContain(token);
            }
        }
        JsonNode keyUpdated = Http.JSON.readTree(r.ofType("key.updated").get(0).body());
        assertThat(keyUpdated.get("data").get("key").get("name").asText()).isEqualTo("renamed");
    }

    @Test
    void keyCreatedAndUpdatedEvents_showTheBalanceTheAnswerShows() throws Exception {
        // §10: data.key is "the key answer"; §8: a quota answer carries the live remaining and refills_at.
        String tenant = tenant();
        Receiver r = receiver();
        tenantDefault(tenant, config(tenant, r.url()).id());

        JsonNode created = create(map("name", "metered", "tenant_id", tenant, "quota", map("limit", 10,
                "period", "day", "remaining", 3)));
        String id = created.get("id").asText();
        JsonNode plain = create(map("name", "metered2", "tenant_id", tenant, "quota", map("limit", 5,
                "period", "none")));
        Http.Res patched = root("PATCH", "/v1/keys/" + id, map("quota", map("limit", 2, "period", "day")));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);

        awaitTypes(r, "key.created", "key.updated");
        await().atMost(Receiver.patience()).until(() -> r.ofType("key.created").size() == 2);
        for (JsonNode answer : List.of(created, plain)) {
            JsonNode sent = r.ofType("key.created").stream().map(WebhooksApiTests::keyOf)
                    .filter(k -> k.get("id").equals(answer.get("id"))).findFirst().orElseThrow();
            assertThat(sent.get("quota")).as("key.created quota").isEqualTo(answer.get("quota"));
            assertThat(sent.get("effective").get("quota")).isEqualTo(answer.get("effective").get("quota"));
        }
        JsonNode updated = keyOf(r.ofType("key.updated").get(0));
        assertThat(updated.get("quota")).as("key.updated quota").isEqualTo(patched.json().get("quota"));
        assertThat(patched.json().get("quota").get("remaining").asLong()).isEqualTo(2);
    }

    private static JsonNode keyOf(Receiver.Request q) {
        try {
            return Http.JSON.readTree(q.body()).get("data").get("key");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void keyOverride_getsThatKeysEvents_andTheTenantDefaultGetsTheRest() {
        String tenant = tenant();
        Receiver production = receiver();
        Receiver development = receiver();
        Config prod = config(tenant, production.url());
        Config dev = config(tenant, development.url());
        tenantDefault(tenant, prod.id());

        String devKey = create(map("name", "dev", "tenant_id", tenant, "environment", "test",
                "webhook_config", dev.id())).get("id").asText();
        String prodKey = create(map("name", "prod", "tenant_id", tenant)).get("id").asText();
        assertThat(root("PATCH", "/v1/keys/" + devKey, map("name", "dev2")).status()).isEqualTo(200);

        awaitTypes(production, "key.created");
        awaitTypes(development, "key.created", "key.updated");
        assertThat(development.requests()).allMatch(q -> q.body().contains(devKey) && !q.body().contains(prodKey));
        assertThat(production.requests()).allMatch(q -> q.body().contains(prodKey) && !q.body().contains(devKey));
    }

    @Test
    void receiverFailingThreeTimes_getsTheEventFourTimesWithOneId_andTheDeliveryShowsFourAttempts()
            throws Exception {
        String tenant = tenant();
        Receiver r = receiver(500, 500, 500, 200);
        Config c = config(tenant, r.url());
        tenantDefault(tenant, c.id());

        create(tenant);

        await().atMost(Receiver.patience()).untilAsserted(() -> {
            JsonNode list = root("GET", "/v1/webhook-configs/" + c.id() + "/deliveries?status=delivered", null)
                    .json();
            assertThat(list.get("total").asLong()).isEqualTo(1);
        });
        assertThat(r.requests()).hasSize(4);
        assertThat(r.requests().stream().map(q -> q.header("webhook-id")).distinct()).hasSize(1);
        for (Receiver.Request req : r.requests()) {
            assertSigned(req, c.secret());
        }
        JsonNode summary = root("GET", "/v1/webhook-configs/" + c.id() + "/deliveries", null).json()
                .get("deliveries").get(0);
        assertThat(summary.get("attempts").asInt()).isEqualTo(4);
        assertThat(summary.get("status").asText()).isEqualTo("delivered");
        assertThat(summary.get("event_type").asText()).isEqualTo("key.created");
        assertThat(summary.get("event_id").asText()).isEqualTo(r.requests().get(0).header("webhook-id"));
        assertThat(summary.get("last_status_code").asInt()).isEqualTo(200);
        assertThat(summary.get("next_attempt_at").isNull()).isTrue();
        Http.Res one = root("GET", "/v1/webhook-configs/" + c.id() + "/deliveries/" + summary.get("id").asText(),
                null);
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        List<Integer> codes = new ArrayList<>();
        one.json().get("attempt_log").forEach(a -> codes.add(a.get("status_code").asInt()));
        assertThat(codes).containsExactly(500, 500, 500, 200);
        one.json().get("attempt_log").forEach(a -> assertThat(a.get("duration_ms").asLong()).isNotNegative());
        assertThat(one.body()).doesNotContain("whsec_");
    }

    @Test
    void receiverThatNeverAccepts_endsFailed_afterTheSchedule() {
        String tenant = tenant();
        Receiver r = receiver(503, 503, 503, 503, 503, 503, 503);
        Config c = config(tenant, r.url());
        tenantDefault(tenant, c.id());

        create(tenant);

        await().atMost(Receiver.patience()).untilAsserted(() -> assertThat(root("GET", "/v1/webhook-configs/"
                + c.id() + "/deliveries?status=failed", null).json().get("total").asLong()).isEqualTo(1));
        assertThat(r.requests()).hasSize(6);
        assertThat(root("GET", "/v1/webhook-configs/" + c.id() + "/deliveries?status=pending", null).json()
                .get("total").asLong()).isZero();
    }

    @Test
    void configWantingOnlyDeletes_getsOnlyKeyDeleted_andCreditsAndDefaultsRaiseNothing() {
        String tenant = tenant();
        Receiver all = receiver();
        Receiver deletes = receiver();
        Config everything = config(tenant, all.url());
        Config onlyDeletes = config(tenant, deletes.url(), "key.deleted");
        String key = create(map("name", "k", "tenant_id", tenant, "webhook_config", onlyDeletes.id()))
                .get("id").asText();
        String other = create(map("name", "k2", "tenant_id", tenant, "quota", map("limit", 10, "period", "none")))
                .get("id").asText();
        tenantDefault(tenant, everything.id()); // raises nothing itself
        assertThat(root("POST", "/v1/keys/" + other + "/credits", map("op", "increment", "amount", 5)).status())
                .isEqualTo(200);
        assertThat(root("PATCH", "/v1/keys/" + key, map("name", "still quiet")).status()).isEqualTo(200);
        assertThat(root("DELETE", "/v1/keys/" + key, null).status()).isEqualTo(204);
        assertThat(root("PATCH", "/v1/keys/" + other, map("name", "loud")).status()).isEqualTo(200);

        awaitTypes(deletes, "key.deleted");
        awaitTypes(all, "key.updated");
        assertThat(deletes.requests()).hasSize(1);
        // Only the PATCH after the default was set reached it: no event for the credits or the defaults.
        assertThat(all.requests()).hasSize(1);
    }

    @Test
    void deliveries_ofAnotherTenantsConfig_are404_andBadQueriesAre400() {
        String tenant = tenant();
        Receiver r = receiver();
        Config c = config(tenant, r.url());
        tenantDefault(tenant, c.id());
        create(tenant);
        await().atMost(Receiver.patience()).until(() -> !r.requests().isEmpty());
        String deliveryId = root("GET", "/v1/webhook-configs/" + c.id() + "/deliveries", null).json()
                .get("deliveries").get(0).get("id").asText();

        String stranger = adminToken(tenant(), "latchkey:tenant-admin");
        assertProblem(as(stranger, "GET", "/v1/webhook-configs/" + c.id() + "/deliveries", null), 404, "not_found");
        assertProblem(as(stranger, "GET", "/v1/webhook-configs/" + c.id() + "/deliveries/" + deliveryId, null),
                404, "not_found");
        String own = adminToken(tenant, "latchkey:tenant-admin");
        assertThat(as(own, "GET", "/v1/webhook-configs/" + c.id() + "/deliveries", null).json().get("total")
                .asLong()).isPositive();
        assertProblem(root("GET", "/v1/webhook-configs/" + Ids.next() + "/deliveries", null), 404, "not_found");
        assertProblem(root("GET", "/v1/webhook-configs/" + c.id() + "/deliveries/" + Ids.next(), null), 404,
                "not_found");
        assertProblem(root("GET", "/v1/webhook-configs/" + c.id() + "/deliveries?status=lost", null), 400,
                "invalid_request");
        assertProblem(root("GET", "/v1/webhook-configs/" + c.id() + "/deliveries?limit=ten", null), 400,
                "invalid_request");
        JsonNode clamped = root("GET", "/v1/webhook-configs/" + c.id() + "/deliveries?offset=-3&limit=9000", null)
                .json();
        assertThat(clamped.get("offset").asInt()).isZero();
        assertThat(clamped.get("limit").asInt()).isEqualTo(500);
    }
}
