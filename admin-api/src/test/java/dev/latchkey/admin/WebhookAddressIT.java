package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.admin.webhooks.RetrySchedule;
import dev.latchkey.admin.webhooks.WebhookSettings;
import dev.latchkey.core.InMemoryKeyStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tests that webhook attempts vet the address they actually connect to (API.md §10): without
 * {@code LATCHKEY_WEBHOOK_ALLOW_PRIVATE}, a receiver whose name resolves to 127.0.0.1 gets nothing and every attempt
 * fails with {@code blocked_address}; with it, the same receiver gets the event.
 */
class WebhookAddressIT {

    private static final String NAME = "hooks.receiver.test";

    /** Resolves the test's name to loopback, as a DNS record pointing at 127.0.0.1 would. */
    private static InetAddress[] lookup(String host) throws UnknownHostException {
        if (host.equals(NAME)) {
            return new InetAddress[] {InetAddress.getByAddress(NAME, new byte[] {127, 0, 0, 1})};
        }
        throw new UnknownHostException(host);
    }

    private static JsonNode deliver(boolean allowPrivate, Receiver receiver) {
        InMemoryKeyStore store = new InMemoryKeyStore();
        WebhookSettings settings = WebhookSettings.defaults().withAllowPrivate(allowPrivate)
                .withSchedule(RetrySchedule.fixed(Duration.ofMillis(50), 3)).withLookup(WebhookAddressIT::lookup);
        try (store; AdminServer server = AdminServer.builder(store).port(0).adminToken("root").webhooks(settings)
                .shutdownGrace(Duration.ofSeconds(1)).build().start()) {
            Http http = new Http(server.baseUri());
            Http.Res created = http.send("POST", "/v1/webhook-configs", "root",
                    Http.map("url", "http://" + NAME + ":" + receiver.port() + "/hook"));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = created.json().get("id").asText();
            Map<String, Object> defaults = new HashMap<>();
            defaults.put("rate_limit", null);
            defaults.put("quota", null);
            defaults.put("webhook_config", id);
            defaults.put("storage_config", null);
            assertThat(http.send("PUT", "/v1/tenants/default/defaults", "root", defaults).status()).isEqualTo(200);
            assertThat(http.send("POST", "/v1/keys", "root", Http.map("name", "k")).status()).isEqualTo(201);
            await().atMost(Receiver.patience()).until(() -> http.send("GET", "/v1/webhook-configs/" + id
                    + "/deliveries?status=pending", "root", null).json().get("total").asLong() == 0
                    && http.send("GET", "/v1/webhook-configs/" + id + "/deliveries", "root", null).json()
                            .get("total").asLong() == 1);
            JsonNode d = http.send("GET", "/v1/webhook-configs/" + id + "/deliveries", "root", null).json()
                    .get("deliveries").get(0);
            return http.send("GET", "/v1/webhook-configs/" + id + "/deliveries/" + d.get("id").asText(), "root",
                    null).json();
        }
    }

    @Test
    void privateUrl_andUnknownEvent_are400_withoutTheOptIn() {
        try (InMemoryKeyStore store = new InMemoryKeyStore();
                AdminServer server = AdminServer.builder(store).port(0).adminToken("root")
                        .shutdownGrace(Duration.ofSeconds(1)).build().start()) {
            Http http = new Http(server.baseUri());
            for (String url : List.of("http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/",
                    "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[fd00:ec2::254]/")) {
                Http.Res r = http.send("POST", "/v1/webhook-configs", "root", Http.map("url", url));
                assertThat(r.status()).as(url + " " + r).isEqualTo(400);
                assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("url");
            }
            Http.Res unknown = http.send("POST", "/v1/webhook-configs", "root", Http.map("url",
                    "https://hooks.example.com/", "events", List.of("key.created", "key.exploded")));
            assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
            assertThat(unknown.json().get("code").asText()).isEqualTo("invalid_request");
            assertThat(http.send("GET", "/v1/webhook-configs", "root", null).json().get("total").asLong()).isZero();
        }
    }

    @Test
    void nameResolvingToLoopback_failsEveryAttemptWithBlockedAddress_withoutTheOptIn() {
        try (Receiver receiver = new Receiver()) {
            JsonNode d = deliver(false, receiver);

            assertThat(d.get("status").asText()).isEqualTo("failed");
            assertThat(d.get("last_error").asText()).isEqualTo("blocked_address");
            assertThat(d.get("last_status_code").isNull()).isTrue();
            assertThat(d.get("attempt_log")).hasSize(3);
            d.get("attempt_log").forEach(a -> assertThat(a.get("error").asText()).isEqualTo("blocked_address"));
            assertThat(receiver.requests()).isEmpty();
        }
    }

    @Test
    void nameResolvingToLoopback_isDelivered_withTheOptIn() {
        try (Receiver receiver = new Receiver()) {
            JsonNode d = deliver(true, receiver);

            assertThat(d.get("status").asText()).isEqualTo("delivered");
            assertThat(receiver.requests()).hasSize(1);
            assertThat(receiver.requests().get(0).header("host")).startsWith(NAME);
        }
    }

}
