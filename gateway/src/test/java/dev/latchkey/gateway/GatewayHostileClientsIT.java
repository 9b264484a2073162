package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.engine.CountingKeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression tests of issue #12 for the gateway service, over raw sockets (the JDK client refuses to send most of
 * these requests): the shared Grizzly guards answer undecodable paths, oversized heads and too many header fields with
 * §4 problems, every answer carries {@code nosniff}, and slow or idle clients do not keep {@code /health} from
 * answering.
 */
class GatewayHostileClientsIT {

    private final ObjectMapper json = new ObjectMapper();
    private final List<Socket> sockets = new ArrayList<>();
    private CountingKeyStore store;
    private KeyManager manager;
    private GatewayServer gateway;
    private int port;

    @BeforeEach
    void start() {
        store = new CountingKeyStore();
        manager = Fixtures.manager(store);
        gateway = GatewayServer.start(GatewaySettings.of(0, Fixtures.auth().build()), store,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        port = gateway.port();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        gateway.close();
        store.close();
    }

    private RawHttp.Reply get(String path, String... headers) throws IOException {
        StringBuilder sb = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: t\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return RawHttp.exchange(port, sb.append("Connection: close\r\n\r\n").toString());
    }

    private JsonNode assertProblem(RawHttp.Reply r, int status, String code) throws IOException {
        assertThat(r.status()).as("%s %s", r.status(), r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        JsonNode p = json.readTree(r.body());
        assertThat(p.get("type").asText()).isEqualTo("urn:latchkey:problem:" + code);
        assertThat(p.get("code").asText()).isEqualTo(code);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(p.get("request_id").asText()).isNotBlank().isEqualTo(r.header("X-Request-Id"));
        assertThat(r.body()).doesNotContain("Exception", "at org.", "at dev.", "<html", "URISyntax");
        return p;
    }

    @Test // #12: Grizzly answered an undecodable path with its HTML error page
    void undecodablePath_is400Problem() throws IOException {
        for (String path : List.of("/%zz", "/%", "/v1/authorize/envoy/%zz", "/v1/authorize%")) {
            assertProblem(get(path), 400, "invalid_request");
        }
        JsonNode p = assertProblem(get("/v1/authorize/%zz", "X-Request-Id: probe-1"), 400, "invalid_request");
        assertThat(p.get("request_id").asText()).isEqualTo("probe-1");
    }

    @Test // #12: a head over the limit got a bare 400 with no body
    void headOf70KiB_is400Problem() throws IOException {
        RawHttp.Reply r = get("/v1/authorize", "X-Forwarded-Method: GET", "X-Forwarded-Uri: /reports/1",
                "Authorization: Bearer " + "x".repeat(70 * 1024));
        JsonNode p = assertProblem(r, 400, "invalid_request");
        assertThat(p.get("detail").asText()).contains("larger than 64 KiB");
        assertThat(r.body()).doesNotContain("xxxx");
    }

    @Test // #12: as above, for more header fields than the limit
    void hundredAndFiftyHeaderFields_is400Problem() throws IOException {
        String[] headers = new String[150];
        Arrays.setAll(headers, i -> "X-Filler-" + i + ": v");
        JsonNode p = assertProblem(get("/v1/authorize", headers), 400, "invalid_request");
        assertThat(p.get("detail").asText()).contains("more than 100 header fields");
    }

    @Test // nginx turned the server's own plain 400s (and a 405 on POST) into a 500 for its client
    void nginxDoor_everyRefusalOfTheServer_is403WithXLatchkeyStatus() throws IOException {
        String ask = "/v1/authorize/nginx HTTP/1.1\r\nHost: t\r\nX-Original-Method: GET\r\n"
                + "X-Original-URI: /reports/1\r\n";
        StringBuilder manyHeaders = new StringBuilder("GET " + ask);
        for (int i = 0; i < 120; i++) {
            manyHeaders.append("X-H").append(i).append(": v\r\n");
        }
        Map<String, Integer> refusals = new LinkedHashMap<>();
        refusals.put(manyHeaders.append("Connection: close\r\n\r\n").toString(), 400);
        refusals.put("GET " + ask + "X-Big: " + "b".repeat(65 * 1024) + "\r\nConnection: close\r\n\r\n", 400);
        refusals.put("GET " + ask + "Content-Length: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab", 400);
        refusals.put("GET " + ask + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n", 400);
        refusals.put("GET " + ask + "Content-Length: 100000\r\nConnection: close\r\n\r\n", 413);
        refusals.put("GET /v1/authorize/nginx HTTP/x.y\r\nHost: t\r\nConnection: close\r\n\r\n", 400);
        refusals.put("GET /v1/authorize/nginx?q=" + "q".repeat(70_000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        refusals.put("POST " + ask + "Content-Length: 0\r\nConnection: close\r\n\r\n", 405);
        refusals.put("TRACE " + ask + "Connection: close\r\n\r\n", 405);
        for (Map.Entry<String, Integer> e : refusals.entrySet()) {
            RawHttp.Reply r = RawHttp.exchange(port, e.getKey());
            String real = Integer.toString(e.getValue());
            assertThat(r.status()).as("%s…: %s", e.getKey().substring(0, 24), r.body()).isEqualTo(403);
            assertThat(r.header("X-Latchkey-Status")).isEqualTo(real);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            JsonNode p = json.readTree(r.body());
            assertThat(p.get("status").asInt()).isEqualTo(e.getValue());
            assertThat(p.get("request_id").asText()).isNotBlank().isEqualTo(r.header("X-Request-Id"));
            assertThat(p.get("instance").asText()).isEqualTo("/v1/authorize/nginx");
        }
    }

    @Test // the other doors keep the refusal's own status, and never send X-Latchkey-Status
    void forwardAndEnvoyDoors_refusalsOfTheServer_keepTheirStatus() throws IOException {
        RawHttp.Reply trace = RawHttp.exchange(port, "TRACE /v1/authorize HTTP/1.1\r\nHost: t\r\n"
                + "Connection: close\r\n\r\n");
        assertProblem(trace, 405, "method_not_allowed");
        RawHttp.Reply big = RawHttp.exchange(port, "GET /v1/authorize/envoy/reports HTTP/1.1\r\nHost: t\r\n"
                + "Content-Length: 100000\r\nConnection: close\r\n\r\n");
        assertProblem(big, 413, "payload_too_large");
        assertThat(List.of(trace, big)).allSatisfy(r -> assertThat(r.has("X-Latchkey-Status")).isFalse());
    }

    @Test // a request line over 64 KiB got a problem body with no Content-Type and "instance":""
    void requestLineOver64KiB_is400Problem_withContentType() throws IOException {
        RawHttp.Reply r = RawHttp.exchange(port, "GET /v1/authorize/envoy/" + "a".repeat(70_000) + " HTTP/1.1\r\n"
                + "Host: t\r\nConnection: close\r\n\r\n");
        JsonNode p = assertProblem(r, 400, "invalid_request");
        assertThat(p.get("instance").asText()).isEqualTo("/v1/authorize/envoy/…");
        assertThat(r.body()).doesNotContain("aaaa");
    }

    @Test // #12: no answer carried X-Content-Type-Options
    void everyKindOfAnswer_carriesNosniff() throws IOException {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        List<RawHttp.Reply> answers = new ArrayList<>();
        answers.add(get("/v1/authorize", "X-Forwarded-Method: GET", "X-Forwarded-Uri: /reports/1",
                "Authorization: Bearer " + k.token()));
        answers.add(get("/v1/authorize", "X-Forwarded-Method: GET", "X-Forwarded-Uri: /reports/1"));
        answers.add(get("/no/such/path"));
        answers.add(get("/%zz"));
        answers.add(get("/health"));
        answers.add(get("/metrics"));
        answers.add(RawHttp.exchange(port, "PUT /health HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n"));
        answers.add(RawHttp.exchange(port, "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n")); // no Host
        assertThat(answers).extracting(RawHttp.Reply::status).containsExactly(200, 401, 404, 400, 200, 200, 405, 400);
        assertThat(answers).allSatisfy(a -> assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff"));
        assertThat(answers.get(0).headers().get("x-content-type-options")).hasSize(1);
    }

    @Test // an ask with a body (no gateway sends one) is judged as usual; the body is read off the workers, ignored
    void askWithABody_isJudgedAsUsual() throws IOException {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        RawHttp.Reply r = RawHttp.exchange(port, "POST /v1/authorize HTTP/1.1\r\nHost: t\r\nX-Forwarded-Method: GET"
                + "\r\nX-Forwarded-Uri: /reports/1\r\nAuthorization: Bearer " + k.token()
                + "\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Latchkey-Key-Id")).isEqualTo(k.key().id());
        RawHttp.Reply big = RawHttp.exchange(port, "POST /v1/authorize HTTP/1.1\r\nHost: t\r\nContent-Length: "
                + (1024 * 1024) + "\r\nConnection: close\r\n\r\n");
        assertProblem(big, 413, "payload_too_large");
    }

    @Test // #12: slow and idle clients held workers; 200 half heads and 200 slow bodies must not stop /health
    void twoHundredHalfHeadsAndSlowBodies_leaveHealthAnswering() throws IOException {
        for (int i = 0; i < 200; i++) {
            Socket half = RawHttp.open(port);
            sockets.add(half);
            RawHttp.write(half, "GET /v1/authorize HTTP/1.1\r\nHost: t\r\nX-Forwarded-Method: GET\r\nX-Forw");
            Socket slow = RawHttp.open(port);
            sockets.add(slow);
            RawHttp.write(slow, "POST /v1/authorize HTTP/1.1\r\nHost: t\r\nX-Forwarded-Method: GET\r\n"
                    + "X-Forwarded-Uri: /reports/1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n");
        }
        IssuedKey k = Fixtures.key(manager, "reports:read");
        long[] nanos = new long[50];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            RawHttp.Reply health = get("/health");
            nanos[i] = System.nanoTime() - start;
            assertThat(health.status()).isEqualTo(200);
        }
        Arrays.sort(nanos);
        assertThat(Duration.ofNanos(nanos[nanos.length - 1])).as("slowest /health").isLessThan(Duration.ofSeconds(2));
        assertThat(get("/v1/authorize", "X-Forwarded-Method: GET", "X-Forwarded-Uri: /reports/1",
                "Authorization: Bearer " + k.token()).status()).isEqualTo(200);
        // a slow body that finishes is served as usual
        Socket last = sockets.get(1);
        RawHttp.write(last, "0\r\n\r\n");
        assertThat(RawHttp.read(last).status()).isEqualTo(401);
        System.out.printf("/health with 200 half heads and 200 slow bodies open: p50 %.2f ms, max %.2f ms%n",
                nanos[nanos.length / 2] / 1e6, nanos[nanos.length - 1] / 1e6);
    }
}
