package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link AdminServer#close()}, what SIGTERM runs (API.md §1): a request in flight when the stop begins
 * still gets its answer, and uses counted but not yet written reach the store.
 */
class AdminServerShutdownIT {

    private static final String ROOT = "root-for-shutdown";

    @Test
    void close_letsAnInFlightRequestFinish_thenFlushesCountedUses() throws Exception {
        try (FailingStore store = new FailingStore()) {
            AdminServer server = AdminServer.builder(store).port(0).adminToken(ROOT)
                    .usageFlushInterval(Duration.ZERO).shutdownGrace(Duration.ofSeconds(20)).build().start();
            Http http = new Http(server.baseUri());
            Http.Res created = http.send("POST", "/v1/keys", ROOT, map("name", "busy"));
            String id = created.json().get("id").asText();
            Http.Res verified = http.send("POST", "/v1/verify", ROOT, map("token", created.json().get("token").asText()));
            assertThat(verified.json().get("code").asText()).isEqualTo("valid");
            assertThat(store.find(id).orElseThrow().usage().count()).as("flush interval zero: only on close").isZero();

            CountDownLatch gate = new CountDownLatch(1);
            store.gate = gate;
            CompletableFuture<Http.Res> inFlight = CompletableFuture.supplyAsync(
                    () -> http.send("GET", "/v1/keys/" + id, ROOT, null));
            assertThat(store.entered.await(10, TimeUnit.SECONDS)).as("request reached the store").isTrue();
            Thread closer = new Thread(server::close, "closer");
            closer.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.TIMED_WAITING
                    || closer.getState() == Thread.State.WAITING);
            assertThat(inFlight).isNotDone();
            store.gate = null;
            gate.countDown();

            Http.Res answer = inFlight.get(15, TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().get("id").asText()).isEqualTo(id);
            closer.join(Duration.ofSeconds(25).toMillis());
            assertThat(closer.isAlive()).isFalse();
            assertThat(store.find(id).orElseThrow().usage().count()).as("counted use flushed on close").isEqualTo(1);
        }
    }
}
