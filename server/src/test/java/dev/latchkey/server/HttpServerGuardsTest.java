package dev.latchkey.server;

import dev.latchkey.testkit.RawHttp;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tests for {@link HttpServerGuards} on a bare Grizzly server (no Jersey), over real sockets. */
class HttpServerGuardsTest {

    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicInteger served = new AtomicInteger();
    private final List<String> gateSaw = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private int port;

    /** An application that echoes the body length, or fails on /boom. */
    private final HttpHandler app = new HttpHandler() {
        @Override
        public void service(Request request, Response response) throws Exception {
            served.incrementAndGet();
            if (request.getRequestURI().equals("/boom")) {
                throw new IllegalStateException("secret-detail-from-a-bug");
            }
            if (request.getRequestURI().equals("/busy")) {
                response.sendError(503);
                return;
            }
            byte[] body;
            try (InputStream in = request.getInputStream()) {
                body = in.readAllBytes();
            }
            response.setHeader("X-Seen-Id", String.valueOf(request.getHeader("X-Request-Id")));
            response.setContentType("application/json");
            response.getWriter().write("{\"read\":" + body.length + "}");
        }
    };

    private void start(GuardOptions options) throws IOException {
        server = new HttpServer();
        NetworkListener listener = new NetworkListener("test", "127.0.0.1", 0);
        server.addListener(listener);
        server.getServerConfiguration().addHttpHandler(app, "/");
        HttpServerGuards.apply(server, options);
        server.start();
        port = listener.getPort();
    }

    private Socket open() {
        Socket s = RawHttp.open(port, 10_000);
        sockets.add(s);
        return s;
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    private static void assertProblem(RawHttp.Answer a, int status, String code) {
        assertThat(a.status()).isEqualTo(status);
        assertThat(a.header("Content-Type")).startsWith("application/problem+json");
        assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(a.header("X-Request-Id")).isNotBlank();
        assertThat(a.body()).contains("\"type\":\"urn:latchkey:problem:" + code + "\"", "\"status\":" + status,
                "\"code\":\"" + code + "\"", "\"request_id\":\"" + a.header("X-Request-Id") + "\"",
                "\"title\":", "\"detail\":", "\"instance\":", "\"timestamp\":", "\"errors\":[]");
        assertThat(a.body()).doesNotContain("Exception", "at org.", "<html");
    }

    @Test
    void apply_answersOfTheApplication_carryNosniff() throws IOException {
        start(GuardOptions.create());
        RawHttp.Answer a = RawHttp.exchange(port, "GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void apply_givesTheApplicationTheRequestIdOfTheRule() throws IOException {
        start(GuardOptions.builder().requestIds(given -> given != null && given.startsWith("ok") ? given : "new")
                .build());
        assertThat(RawHttp.exchange(port, "GET /x HTTP/1.1\r\nHost: t\r\nX-Request-Id: ok-1\r\n"
                + "Connection: close\r\n\r\n").header("X-Seen-Id")).isEqualTo("ok-1");
        assertThat(RawHttp.exchange(port, "GET /x HTTP/1.1\r\nHost: t\r\nX-Request-Id: bad id\r\n"
                + "Connection: close\r\n\r\n").header("X-Seen-Id")).isEqualTo("new");
        assertThat(RawHttp.exchange(port, "GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                .header("X-Seen-Id")).isEqualTo("new");
    }

    @Test
    void apply_failingGate_is500Problem_andTheBodyIsNotRead() throws IOException {
        start(GuardOptions.builder().bodyGate(request -> {
            throw new IllegalStateException("gate bug");
        }).build());
        Socket s = open();
        RawHttp.send(s, "POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n");
        RawHttp.Answer a = RawHttp.read(s);
        assertProblem(a, 500, "internal");
        assertThat(a.body()).doesNotContain("gate bug");
        assertThat(served).hasValue(0);
    }

    @Test
    void apply_undecodablePath_is400Problem_withoutReachingTheApplication() throws IOException {
        start(GuardOptions.builder().requestIds(given -> "rid-" + (given == null ? "new" : given)).build());
        for (String path : List.of("/v1/keys/%zz", "/%", "/a%2", "/a b%ZZ", "/x?y=%g1")) {
            RawHttp.Answer a = RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: t\r\nX-Request-Id: abc\r\n"
                    + "Connection: close\r\n\r\n");
            assertProblem(a, 400, "invalid_request");
            assertThat(a.header("X-Request-Id")).isEqualTo("rid-abc");
        }
        assertThat(served).hasValue(0);
    }

    @Test
    void apply_headOverTheLimit_is400Problem() throws IOException {
        start(GuardOptions.builder().maxHeaderBytes(8 * 1024).build());
        RawHttp.Answer a = RawHttp.exchange(port, "GET /x HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
                + "a".repeat(9 * 1024) + "\r\n\r\n");
        assertProblem(a, 400, "invalid_request");
        assertThat(a.body()).contains("larger than 8 KiB").doesNotContain("aaaa");
    }

    @Test
    void apply_tooManyHeaderFields_is400Problem() throws IOException {
        start(GuardOptions.builder().maxRequestHeaders(20).build());
        StringBuilder head = new StringBuilder("GET /x HTTP/1.1\r\nHost: t\r\n");
        for (int i = 0; i < 30; i++) {
            head.append("X-H").append(i).append(": v\r\n");
        }
        RawHttp.Answer a = RawHttp.exchange(port, head.append("\r\n").toString());
        assertProblem(a, 400, "invalid_request");
        assertThat(a.body()).contains("more than 20 header fields");
    }

    @Test
    void apply_failureInTheApplication_is500Problem_withoutStackTrace() throws IOException {
        start(GuardOptions.create());
        RawHttp.Answer a = RawHttp.exchange(port, "GET /boom HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertProblem(a, 500, "internal");
        assertThat(a.body()).doesNotContain("secret-detail-from-a-bug");
    }

    @Test // the server's own 503 had code "unavailable" and no Retry-After, unlike every other 503 (API.md §4, §11)
    void apply_serversOwn503_isStoreUnavailable_withRetryAfterOne() throws IOException {
        start(GuardOptions.create());
        RawHttp.Answer a = RawHttp.exchange(port, "GET /busy HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertProblem(a, 503, "store_unavailable");
        assertThat(a.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void apply_chunkedBodyOverTheLimit_is413Problem() throws IOException {
        start(GuardOptions.builder().maxBodyBytes(1000).build());
        String chunk = "x".repeat(600);
        RawHttp.Answer a = RawHttp.exchange(port, "POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
        assertProblem(a, 413, "payload_too_large");
        assertThat(served).hasValue(0);
    }

    @Test
    void apply_bodyWithinTheLimit_reachesTheApplicationWhole() throws IOException {
        start(GuardOptions.builder().maxBodyBytes(1000).build());
        Socket s = open();
        RawHttp.send(s, "POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        RawHttp.send(s, "3\r\nabc\r\n0\r\n\r\n");
        RawHttp.Answer a = RawHttp.read(s);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("{\"read\":8}");
    }

    @Test
    void apply_keepAliveConnection_servesTheNextRequestAfterASlowBody() throws IOException {
        start(GuardOptions.create());
        Socket s = open();
        RawHttp.send(s, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nab");
        RawHttp.send(s, "cd");
        assertThat(RawHttp.read(s).body()).isEqualTo("{\"read\":4}");
        RawHttp.send(s, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok"
                + "GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(RawHttp.read(s).body()).isEqualTo("{\"read\":2}");
        assertThat(RawHttp.read(s).body()).isEqualTo("{\"read\":0}");
        assertThat(served).hasValue(3);
    }

    @Test
    void apply_gateRefusal_answersWithoutReadingTheBody() throws IOException {
        start(GuardOptions.builder().bodyGate(request -> {
            gateSaw.add(request.getMethod().getMethodString());
            return Problem.of(401, "unauthenticated", "an admin token is required");
        }).build());
        Socket s = open();
        // the head and one chunk, then nothing: the answer must not wait for the rest
        RawHttp.send(s, "POST /v1/keys HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n");
        RawHttp.Answer a = RawHttp.read(s);
        assertProblem(a, 401, "unauthenticated");
        assertThat(a.header("Connection")).isEqualTo("close");
        assertThat(gateSaw).containsExactly("POST");
        assertThat(served).hasValue(0);
    }

    @Test
    void apply_bodyThatStopsArriving_isRefusedAfterTheBodyTimeout() throws IOException {
        start(GuardOptions.builder().bodyTimeout(Duration.ofSeconds(1)).build());
        Socket s = open();
        RawHttp.send(s, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n{");
        RawHttp.Answer a = RawHttp.read(s);
        assertProblem(a, 400, "invalid_request");
        assertThat(a.body()).contains("did not arrive within 1000 ms");
        assertThat(served).hasValue(0);
    }

    @Test
    void apply_manySlowBodies_leaveTheWorkersFree() throws IOException {
        start(GuardOptions.builder().workerThreads(2).build());
        for (int i = 0; i < 100; i++) {
            RawHttp.send(open(), "POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n");
        }
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            RawHttp.Answer a = RawHttp.exchange(port, "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            assertThat(a.status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test // a request line over the head limit got its problem without Content-Type, and "instance":""
    void apply_requestLineOverTheLimit_is400Problem_withContentType_andTheStartOfItsPathAsInstance()
            throws IOException {
        start(GuardOptions.create());
        RawHttp.Answer a = RawHttp.exchange(port, "GET /v1/authorize/envoy/" + "a".repeat(70_000)
                + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertProblem(a, 400, "invalid_request");
        assertThat(a.body()).contains("\"instance\":\"/v1/authorize/envoy/…\"", "larger than 64 KiB")
                .doesNotContain("aaaa");
        RawHttp.Answer longQuery = RawHttp.exchange(port, "GET /x/y?q=" + "a".repeat(70_000)
                + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertProblem(longQuery, 400, "invalid_request");
        assertThat(longQuery.body()).contains("\"instance\":\"/x/y\"");
        assertThat(served).hasValue(0);
    }

    @Test // Grizzly writes Content-Type only for a request that names its HTTP version
    void apply_requestWithoutHttpVersion_getsItsContentType() throws IOException {
        start(GuardOptions.create());
        assertProblem(RawHttp.exchange(port, "GET /%zz\r\n\r\n"), 400, "invalid_request");
        RawHttp.Answer ok = RawHttp.exchange(port, "GET /x\r\n\r\n");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Content-Type")).startsWith("application/json");
        assertThat(ok.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test // Grizzly took "GARBAGE\r\nHost:" as the method of an HTTP/0.9 request and the application answered it
    void apply_requestLineWithoutSpaces_is400Problem_withoutReachingTheApplication() throws IOException {
        start(GuardOptions.create());
        RawHttp.Answer a = RawHttp.exchange(port, "GARBAGE\r\nHost: x\r\n\r\n");
        assertProblem(a, 400, "invalid_request");
        assertThat(a.body()).contains("the method is not a token");
        assertThat(served).hasValue(0);
    }

    @Test // the application answered "GET x" and CONNECT example.com:443 (with a 404 and no Content-Length)
    void apply_targetThatIsNotAPath_is400Problem_andConnectIs405Problem() throws IOException {
        start(GuardOptions.create());
        assertProblem(RawHttp.exchange(port, "GET x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), 400,
                "invalid_request");
        RawHttp.Answer connect = RawHttp.exchange(port, "CONNECT example.com:443 HTTP/1.1\r\n"
                + "Host: example.com:443\r\nConnection: close\r\n\r\n");
        assertProblem(connect, 405, "method_not_allowed");
        assertThat(connect.header("Allow")).isNotBlank().doesNotContain("CONNECT");
        assertThat(connect.header("Content-Length")).isNotBlank();
        assertThat(served).hasValue(0);
        // What stays served: an absolute-form target (Grizzly keeps its path) and OPTIONS *.
        assertThat(RawHttp.exchange(port, "GET http://t/y HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                .status()).isEqualTo(200);
        assertThat(RawHttp.exchange(port, "OPTIONS * HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                .status()).isEqualTo(200);
        assertThat(served).hasValue(2);
    }

    @Test // Grizzly refused TRACE itself, with a bare 405
    void apply_trace_is405Problem_withoutReachingTheApplication() throws IOException {
        start(GuardOptions.create());
        RawHttp.Answer a = RawHttp.exchange(port, "TRACE /x HTTP/1.1\r\nHost: t\r\nX-Secret: s3cr3t\r\n"
                + "Connection: close\r\n\r\n");
        assertProblem(a, 405, "method_not_allowed");
        assertThat(a.header("Allow")).isNotBlank().doesNotContain("TRACE");
        assertThat(a.body()).doesNotContain("s3cr3t");
        assertThat(served).hasValue(0);
    }

    @Test
    void apply_refusalRule_choosesTheStatusLineOfTheGuardsOwnProblems_only() throws IOException {
        start(GuardOptions.builder().maxRequestHeaders(20).maxBodyBytes(1000)
                .refusalRule((path, problem) -> "/door".equals(path)
                        ? new RefusalRule.Remap(403, Map.of("X-Real-Status", Integer.toString(problem.status())))
                        : null)
                .build());
        StringBuilder many = new StringBuilder("GET /door HTTP/1.1\r\nHost: t\r\n");
        for (int i = 0; i < 30; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        Map<String, Integer> refusals = new LinkedHashMap<>();
        refusals.put(many.append("\r\n").toString(), 400);
        refusals.put("GET /door HTTP/1.1\r\nHost: t\r\nX-Pad: " + "p".repeat(70_000) + "\r\n\r\n", 400);
        refusals.put("GET /door?q=" + "p".repeat(70_000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        refusals.put("POST /door HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n", 400);
        refusals.put("POST /door HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n", 413);
        refusals.put("GET /door HTTP/x.y\r\nHost: t\r\n\r\n", 400);
        refusals.put("TRACE /door HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 405);
        refusals.forEach((raw, status) -> {
            RawHttp.Answer a = RawHttp.exchange(port, raw);
            assertThat(a.status()).as(raw.substring(0, 20)).isEqualTo(403);
            assertThat(a.header("X-Real-Status")).isEqualTo(Integer.toString(status));
            assertThat(a.header("Content-Type")).startsWith("application/problem+json");
            assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(a.body()).contains("\"status\":" + status, "\"instance\":\"/door\"");
        });
        RawHttp.Answer elsewhere = RawHttp.exchange(port, "TRACE /other HTTP/1.1\r\nHost: t\r\n"
                + "Connection: close\r\n\r\n");
        assertProblem(elsewhere, 405, "method_not_allowed");
        assertThat(elsewhere.header("X-Real-Status")).isNull();
        RawHttp.Answer app = RawHttp.exchange(port, "GET /door HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertThat(app.status()).isEqualTo(200);
        assertThat(app.header("X-Real-Status")).isNull();
        assertThat(served).hasValue(1);
    }

    @Test
    void problem_toJson_escapesAndRedactsTheInstance() {
        String json = Problem.of(400, "invalid_request", "a \"quoted\"\n detail").toJson("id1",
                "/v1/keys/lk_live_0123456789abcdefghijklmnopqrstuvwxyz", java.time.Instant.EPOCH);
        assertThat(json).contains("\"detail\":\"a \\\"quoted\\\"\\n detail\"", "\"instance\":\"/v1/keys/…\"",
                "\"timestamp\":\"1970-01-01T00:00:00Z\"", "\"title\":\"Invalid request\"");
        assertThat(new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(json).doesNotContain("trace_id");
    }

    @Test
    void apply_problemsCarryTheTraceIdOfAValidTraceparent() throws IOException {
        start(GuardOptions.create());
        RawHttp.Answer a = RawHttp.exchange(port, "GET /%zz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                + "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n\r\n");
        assertProblem(a, 400, "invalid_request");
        assertThat(a.body()).endsWith(",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
        RawHttp.Answer head = RawHttp.exchange(port, "GET /x HTTP/1.1\r\nHost: t\r\nX-Pad: " + "p".repeat(70_000)
                + "\r\ntraceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01\r\n\r\n");
        assertProblem(head, 400, "invalid_request");
        assertThat(head.body()).doesNotContain("trace_id");
    }
}
