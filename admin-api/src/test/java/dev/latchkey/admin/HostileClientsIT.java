package dev.latchkey.admin;

import dev.latchkey.testkit.RawHttp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.InMemoryKeyStore;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for the hostile-client findings of issue #12, over real sockets (the JDK client refuses to send
 * most of these requests): undecodable paths, oversized heads, slow bodies, and {@code nosniff} on every answer.
 */
class HostileClientsIT {

    private static final String ROOT = "root-for-hostile-clients";
    private static final String SLOW_BODY_HEAD = "POST /v1/keys HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n";

    private final List<Socket> sockets = new ArrayList<>();
    private InMemoryKeyStore store;
    private AdminServer server;
    private LogCapture logs;
    private int port;

    @BeforeEach
    void start() {
        logs = new LogCapture();
        store = new InMemoryKeyStore();
        server = AdminServer.builder(store).port(0).adminToken(ROOT).usageFlushInterval(Duration.ZERO)
                .shutdownGrace(Duration.ofSeconds(1)).build().start();
        port = server.port();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        server.close();
        store.close();
        List<String> lines = logs.lines();
        logs.close();
        assertThat(lines).noneMatch(l -> l.contains(ROOT));
    }

    private Socket open() {
        Socket s = RawHttp.open(port, 10_000);
        sockets.add(s);
        return s;
    }

    private RawHttp.Answer get(String path, String... headers) {
        StringBuilder sb = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: t\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return RawHttp.exchange(port, sb.append("Connection: close\r\n\r\n").toString());
    }

    static JsonNode assertProblem(RawHttp.Answer a, int status, String code) throws IOException {
        assertThat(a.status()).as(a.toString()).isEqualTo(status);
        assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
        JsonNode p = Http.JSON.readTree(a.body());
        assertThat(p.get("type").asText()).isEqualTo("urn:latchkey:problem:" + code);
        assertThat(p.get("code").asText()).isEqualTo(code);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(p.has("instance")).isTrue();
        assertThat(p.get("request_id").asText()).isNotBlank().isEqualTo(a.header("X-Request-Id"));
        assertThat(p.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(a.body()).doesNotContain("Exception", "at org.", "at dev.", "<html", "URISyntax");
        return p;
    }

    @Test // #12: was a 500 HTML page naming java.net.URISyntaxException, with stack frames, and nothing logged
    void undecodablePath_beforeAuthentication_is400Problem_andLoggedWithoutToken() throws IOException {
        for (String path : List.of("/v1/keys/%zz", "/%", "/v1/keys/%")) {
            String id = assertProblem(get(path), 400, "invalid_request").get("request_id").asText();
            assertThat(logs.lines()).anyMatch(l -> l.contains("undecodable URI") && l.contains(id));
            RawHttp.Answer withToken = get(path, "Authorization: Bearer " + ROOT, "X-Request-Id: probe-1");
            JsonNode p = assertProblem(withToken, 400, "invalid_request");
            assertThat(p.get("request_id").asText()).isEqualTo("probe-1");
        }
        assertThat(logs.lines()).anyMatch(l -> l.contains("undecodable URI") && l.contains("probe-1"));
    }

    @Test // #12: an Authorization header over 64 KiB got a bare 400 with no body
    void headOver64KiB_is400Problem() throws IOException {
        RawHttp.Answer a = get("/v1/keys", "Authorization: Bearer " + "x".repeat(AdminServer.MAX_HEADER_BYTES + 10));
        JsonNode p = assertProblem(a, 400, "invalid_request");
        assertThat(p.get("detail").asText()).contains("larger than 64 KiB");
        assertThat(a.body()).doesNotContain("xxxx");
        assertThat(logs.lines()).anyMatch(l -> l.contains("Refused an unparsable request"));
    }

    @Test // a request line over 64 KiB got its problem without Content-Type, and "instance":""
    void requestLineOver64KiB_is400Problem_withContentType() throws IOException {
        RawHttp.Answer a = RawHttp.exchange(port, "GET /v1/keys/" + "k".repeat(70_000) + " HTTP/1.1\r\nHost: t\r\n"
                + "Authorization: Bearer " + ROOT + "\r\nConnection: close\r\n\r\n");
        JsonNode p = assertProblem(a, 400, "invalid_request");
        assertThat(p.get("instance").asText()).isEqualTo("/v1/keys/…");
        assertThat(a.body()).doesNotContain("kkkk");
    }

    @Test // TRACE reaches Jersey (its factory passes it on), whose 405 names the resource's own methods
    void trace_is405Problem_withTheResourcesAllow() throws IOException {
        RawHttp.Answer a = RawHttp.exchange(port, "TRACE /v1/keys HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + ROOT
                + "\r\nConnection: close\r\n\r\n");
        assertProblem(a, 405, "method_not_allowed");
        assertThat(a.header("Allow")).contains("GET").doesNotContain("TRACE", "DELETE");
        assertThat(a.body()).doesNotContain(ROOT);
    }

    @Test // #12: as above, for more header fields than Grizzly's limit
    void moreThan100HeaderFields_is400Problem() throws IOException {
        String[] headers = new String[150];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = "X-Filler-" + i + ": v";
        }
        JsonNode p = assertProblem(get("/v1/keys", headers), 400, "invalid_request");
        assertThat(p.get("detail").asText()).contains("more than 100 header fields");
    }

    @Test // #12: the body was read (and waited for) before authentication
    void unauthenticatedSlowBody_gets401_withoutTheBodyBeingWaitedFor() throws IOException {
        Socket s = open();
        RawHttp.send(s, SLOW_BODY_HEAD + "\r\n1\r\n{\r\n");
        long start = System.nanoTime();
        RawHttp.Answer a = RawHttp.read(s);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertProblem(a, 401, "unauthenticated");
        assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"latchkey\"");
        RawHttp.Answer list = get("/v1/keys", "Authorization: Bearer " + ROOT);
        assertThat(Http.JSON.readTree(list.body()).get("total").asLong()).isZero();
    }

    @Test // #12: four such connections stalled the whole API; 500 (half of them authenticated) must not
    void fiveHundredSlowBodies_leaveHealthAnswering() throws IOException {
        for (int i = 0; i < 500; i++) {
            String auth = i % 2 == 0 ? "Authorization: Bearer " + ROOT + "\r\n" : "";
            RawHttp.send(open(), SLOW_BODY_HEAD + auth + "\r\n1\r\n{\r\n");
        }
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            RawHttp.Answer health = get("/health");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(health.status()).isEqualTo(200);
        }
        RawHttp.Answer list = get("/v1/keys", "Authorization: Bearer " + ROOT);
        assertThat(list.status()).isEqualTo(200);
        // the authenticated ones are still waiting for their bodies; finishing one is served as usual
        Socket last = sockets.get(0);
        RawHttp.send(last, "17\r\n\"name\":\"slow but fine\"}\r\n0\r\n\r\n");
        RawHttp.Answer created = RawHttp.read(last);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @Test // #12: no answer carried X-Content-Type-Options
    void everyKindOfAnswer_carriesNosniff() throws IOException {
        String auth = "Authorization: Bearer " + ROOT;
        List<RawHttp.Answer> answers = new ArrayList<>();
        answers.add(get("/health"));
        answers.add(get("/metrics"));
        answers.add(get("/openapi.json"));
        answers.add(get("/v1/keys", auth));
        answers.add(get("/v1/keys"));
        answers.add(get("/v1/keys/01JD00000000000000000000AA", auth));
        answers.add(get("/no/such/path", auth));
        answers.add(get("/%zz"));
        answers.add(RawHttp.exchange(port, "PUT /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
        answers.add(RawHttp.exchange(port, "POST /v1/keys HTTP/1.1\r\nHost: t\r\n" + auth + "\r\nContent-Type: "
                + "application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n{\"name\":\"ok\"}  "));
        answers.add(RawHttp.exchange(port, "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n")); // no Host
        assertThat(answers).extracting(RawHttp.Answer::status)
                .containsExactly(200, 200, 200, 200, 401, 404, 404, 400, 405, 201, 400);
        assertThat(answers).allSatisfy(a -> assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff"));
    }

    @Test // a 413 closed the connection on the unread body, and the reset could destroy the answer (a CI failure)
    void oversizedBodiesSentWhole_getTheir413Answer_thenAnOrderlyClose() throws IOException {
        String auth = "Authorization: Bearer " + ROOT + "\r\n";
        String body = "{\"x\":\"" + "a".repeat(200_000) + "\"}";
        String chunked = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
        for (int i = 0; i < 20; i++) {
            for (String request : List.of(
                    "DELETE /v1/keys/01JD00000000000000000000AA HTTP/1.1\r\nHost: t\r\n" + auth
                            + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
                    "POST /v1/keys HTTP/1.1\r\nHost: t\r\n" + auth + "Content-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n" + chunked)) {
                Socket s = open();
                RawHttp.send(s, request);
                RawHttp.Answer a = RawHttp.read(s);
                assertProblem(a, 413, "payload_too_large");
                assertThat(a.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
        }
        RawHttp.Answer list = get("/v1/keys", "Authorization: Bearer " + ROOT);
        assertThat(Http.JSON.readTree(list.body()).get("total").asLong()).isZero();
    }
}
