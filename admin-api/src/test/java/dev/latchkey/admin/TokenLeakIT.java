package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.InMemoryKeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Tests that a plaintext token appears only in the answer that creates it (create, rotate, reset): never in another
 * response body, an error body or a log line, even when callers paste tokens into bodies, paths and headers.
 */
class TokenLeakIT {

    private static final String ROOT = "root-for-leak-test";

    @Test
    void plaintext_appearsOnlyInTheAnswerThatIssuesIt() {
        try (LogCapture logs = new LogCapture();
                InMemoryKeyStore store = new InMemoryKeyStore();
                AdminServer server = AdminServer.builder(store).port(0).adminToken(ROOT)
                        .usageFlushInterval(Duration.ZERO).build().start()) {
            Http http = new Http(server.baseUri());
            List<Http.Res> others = new ArrayList<>();

            Http.Res created = http.send("POST", "/v1/keys", ROOT, map("name", "leak", "scopes", List.of("a")));
            String id = created.json().get("id").asText();
            String t1 = created.json().get("token").asText();
            String imported = "My+Imported/Token=" + System.nanoTime();
            String t2 = http.send("POST", "/v1/keys", ROOT, map("name", "imp", "token", imported)).json()
                    .get("token").asText();
            assertThat(t2).isEqualTo(imported);

            others.add(http.send("POST", "/v1/keys", ROOT, "{\"name\": " + t1 + "}"));
            others.add(http.send("POST", "/v1/keys", ROOT, "{\"" + t1 + "\": 1}"));
            others.add(http.send("POST", "/v1/keys", ROOT, "{\"name\":\"x\",\"token\":\"" + imported + "\"}"));
            others.add(http.send("POST", "/v1/keys", ROOT, map("name", "x", "token", t1)));
            others.add(http.send("POST", "/v1/keys", ROOT, map("name", "x", "scopes", List.of(t1))));
            others.add(http.send("POST", "/v1/keys", ROOT, map("name", "x", "metadata", map("k", t1 + "\u0000"))));
            others.add(http.send("PATCH", "/v1/keys/" + id, ROOT, "{\"scopes\":[" + t1 + "]}"));
            others.add(http.send("POST", "/v1/verify", ROOT, map("token", t1)));
            others.add(http.send("POST", "/v1/verify", ROOT, map("token", imported)));
            others.add(http.send("POST", "/v1/verify", ROOT, map("token", t1 + "x")));
            others.add(http.send("POST", "/v1/verify", ROOT, map("token", t1, "ip", t1)));
            others.add(http.send("GET", "/v1/keys", t1, null));
            others.add(http.send("GET", "/v1/keys", imported, null));
            others.add(http.send("GET", "/v1/keys/" + t1, ROOT, null));
            others.add(http.send("GET", "/v1/keys/" + imported, ROOT, null));
            others.add(http.send("GET", "/v1/keys?tenant_id=" + t1, ROOT, null));
            others.add(http.send("GET", "/v1/keys?status=" + t1, ROOT, null));

            Http.Res rotated = http.send("POST", "/v1/keys/" + id + "/rotate", ROOT, null);
            String t3 = rotated.json().get("token").asText();
            Http.Res reset = http.send("POST", "/v1/keys/" + id + "/reset", ROOT, null);
            String t4 = reset.json().get("api_key").asText();
            String job = reset.json().get("id").asText();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    http.send("GET", "/v1/jobs/" + job, ROOT, null).json().get("status").asText().equals("success"));
            others.add(http.send("GET", "/v1/jobs/" + job, ROOT, null));
            others.add(http.send("GET", "/v1/keys/" + id, ROOT, null));
            others.add(http.send("GET", "/v1/keys", ROOT, null));
            others.add(http.send("PATCH", "/v1/keys/" + id, ROOT, map("name", "renamed")));
            others.add(http.send("PUT", "/v1/keys/" + id + "/status", ROOT, map("status", "inactive")));
            others.add(http.send("POST", "/v1/verify", ROOT, map("token", t4)));
            others.add(http.send("GET", "/metrics", null, null));
            others.add(http.send("GET", "/health", null, null));
            server.flushUsage();

            Set<String> secrets = Set.of(t1, t2, t3, t4, ROOT);
            for (Http.Res r : others) {
                for (String s : secrets) {
                    assertThat(r.body()).as("%s", r.raw().request()).doesNotContain(s);
                }
            }
            assertThat(rotated.body()).contains(t3).doesNotContain(t1);
            assertThat(reset.body()).contains(t4).doesNotContain(t3);
            List<String> lines = logs.lines();
            assertThat(lines).anyMatch(l -> l.contains("audit action=reset"));
            for (String s : secrets) {
                assertThat(lines).noneMatch(l -> l.contains(s));
            }
        }
    }
}
