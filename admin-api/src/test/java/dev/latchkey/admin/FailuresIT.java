package dev.latchkey.admin;

import static dev.latchkey.admin.AdminApiContract.assertProblem;
import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests for how the admin API answers when the store is unreachable (503) or a bug surfaces (500). */
class FailuresIT {

    private static final String ROOT = "root-for-failures";

    private FailingStore store;
    private AdminServer server;
    private Http http;
    private LogCapture logs;

    @BeforeEach
    void start() {
        logs = new LogCapture();
        store = new FailingStore();
        server = AdminServer.builder(store).port(0).adminToken(ROOT).usageFlushInterval(Duration.ZERO)
                .shutdownGrace(Duration.ofSeconds(1)).build().start();
        http = new Http(server.baseUri());
    }

    @AfterEach
    void stop() {
        store.mode = FailingStore.Mode.OK;
        server.close();
        store.close();
        logs.close();
    }

    @Test
    void storeDown_answers503Problem_andHealthDown() {
        Http.Res created = http.send("POST", "/v1/keys", ROOT, map("name", "k"));
        String id = created.json().get("id").asText();
        store.mode = FailingStore.Mode.DOWN;
        Http.Res read = http.send("GET", "/v1/keys/" + id, ROOT, null);
        assertProblem(read, 503, "store_unavailable");
        assertThat(read.header("Retry-After")).isEqualTo("1"); // as on the gateway; it had none
        Http.Res write = http.send("POST", "/v1/keys", ROOT, map("name", "k2"));
        assertProblem(write, 503, "store_unavailable");
        assertThat(write.header("Retry-After")).isEqualTo("1");
        Http.Res health = http.send("GET", "/health", null, null);
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.header("Content-Type")).startsWith("application/json");
        assertThat(health.json().get("status").asText()).isEqualTo("down");
        assertThat(health.json().get("store").asText()).isEqualTo("failing");
        store.mode = FailingStore.Mode.OK;
        assertThat(http.send("GET", "/health", null, null).json().get("status").asText()).isEqualTo("up");
        assertThat(http.send("GET", "/v1/keys/" + id, ROOT, null).status()).isEqualTo(200);
    }

    @Test
    void bug_answers500InternalWithoutDetails_andLogsTheRequestId() {
        store.mode = FailingStore.Mode.BROKEN;
        Http.Res r = http.send("GET", "/v1/keys", ROOT, null, "X-Request-Id", "trace-me-500");
        assertProblem(r, 500, "internal");
        assertThat(r.body()).doesNotContain("simulated bug", "IllegalStateException", "at ");
        assertThat(logs.lines()).anyMatch(l -> l.contains("request_id=trace-me-500")
                && l.contains("IllegalStateException"));
    }
}
