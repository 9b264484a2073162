package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.admin.webhooks.RetrySchedule;
import dev.latchkey.admin.webhooks.WebhookSettings;
import dev.latchkey.core.Ids;
import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.WebhookConfig;
import dev.latchkey.core.WebhookEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
            Instant now = Instant.now();
            WebhookConfig c = new WebhookConfig(Ids.next(), "default", "http://" + NAME + ":" + receiver.port()
                    + "/hook", List.of(WebhookEvent.ALL), null, true, now, now, WebhookConfig.newSecret(), null, null, 1);
            store.webhookConfigs().create(c);
            store.replaceTenantDefaults(new TenantDefaults("default", null, null, c.id(), null, 1, now), 0);
            Http http = new Http(server.baseUri());
            assertThat(http.send("POST", "/v1/keys", "root", Http.map("name", "k")).status()).isEqualTo(201);
            await().atMost(Receiver.patience()).until(() -> http.send("GET", "/v1/webhook-configs/" + c.id()
                    + "/deliveries?status=pending", "root", null).json().get("total").asLong() == 0
                    && http.send("GET", "/v1/webhook-configs/" + c.id() + "/deliveries", "root", null).json()
                            .get("total").asLong() == 1);
            JsonNode d = http.send("GET", "/v1/webhook-configs/" + c.id() + "/deliveries", "root", null).json()
                    .get("deliveries").get(0);
            return http.send("GET", "/v1/webhook-configs/" + c.id() + "/deliveries/" + d.get("id").asText(), "root",
                    null).json();
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
