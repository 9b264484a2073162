package dev.latchkey.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end checks every sample's test runs against its running demo app, as a user would over real HTTP:
 * keys created through the admin API, then 200 / 401 / 403 and the principal the app sees. Shipped in this
 * module's test-jar.
 */
public final class DemoAppChecks {

    /** An HTTP/1.1 client (the JDK client's h2c upgrade confuses some servers). */
    public static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    /** Parses answers. */
    public static final ObjectMapper JSON = new ObjectMapper();

    /** How long a change may take to reach a filter that reads the store through its own connection (pub/sub). */
    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    private DemoAppChecks() {
    }

    /** A key as the admin API issued it. */
    public record IssuedKey(String id, String token) {
        @Override
        public String toString() {
            return "IssuedKey[" + id + "]";
        }
    }

    /** An answer: status, headers and body. */
    public record Answer(int status, HttpResponse<String> raw) {
        /** Returns the body parsed as JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + raw.body(), e);
            }
        }

        /** Returns a header, or the empty string. */
        public String header(String name) {
            return raw.headers().firstValue(name).orElse("");
        }
    }

    /** The admin API over HTTP, as the root admin. */
    public static final class AdminApi {
        private final URI base;
        private final String rootToken;

        /** Talks to the admin service at {@code base} with the root token. */
        public AdminApi(URI base, String rootToken) {
            this.base = base;
            this.rootToken = rootToken;
        }

        /** Creates a key ({@code POST /v1/keys}) and returns its id and token. */
        public IssuedKey create(String name, String tenant, List<String> scopes) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("tenant_id", tenant);
            body.put("scopes", scopes);
            Answer a = send("POST", "/v1/keys", body);
            assertThat(a.status()).as("create: %s", a.raw().body()).isEqualTo(201);
            JsonNode key = a.json();
            return new IssuedKey(key.get("id").asText(), key.get("token").asText());
        }

        /** Rotates a key with the default grace window and returns the new token. */
        public String rotate(String id) {
            Answer a = send("POST", "/v1/keys/" + id + "/rotate", null);
            assertThat(a.status()).as("rotate: %s", a.raw().body()).isEqualTo(200);
            return a.json().get("token").asText();
        }

        /** Deletes a key. */
        public void delete(String id) {
            Answer a = send("DELETE", "/v1/keys/" + id, null);
            assertThat(a.status()).as("delete: %s", a.raw().body()).isEqualTo(204);
        }

        /** Reads a key. */
        public JsonNode get(String id) {
            Answer a = send("GET", "/v1/keys/" + id, null);
            assertThat(a.status()).as("get: %s", a.raw().body()).isEqualTo(200);
            return a.json();
        }

        private Answer send(String method, String path, Object body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + rootToken);
            if (body != null) {
                try {
                    b.header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return exchange(b.build());
        }
    }

    /** Sends a request to the app: {@code path} under {@code app}, with headers as name/value pairs. */
    public static Answer call(URI app, String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app + path)).timeout(Duration.ofSeconds(4))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return exchange(b.build());
    }

    /** {@code GET path} with a bearer token, or none when {@code token} is null. */
    public static Answer get(URI app, String path, String token) {
        return token == null ? call(app, "GET", path, null) : call(app, "GET", path, null, "Authorization", "Bearer " + token);
    }

    private static Answer exchange(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The whole journey through the admin API and the app: keys in tenant {@code acme} created over HTTP, the
     * app's answers to them ({@link #checkApp}), then rotation (old and new token both work in the grace window) and
     * deletion (both stop working).
     */
    public static void checkUserJourney(AdminApi admin, URI app) {
        IssuedKey reader = admin.create("sample reader", "acme", List.of("reports:read"));
        IssuedKey writer = admin.create("sample writer", "acme", List.of("reports:read", "reports:write"));
        checkApp(app, reader, writer, "acme");

        String rotated = admin.rotate(reader.id());
        assertThat(rotated).isNotEqualTo(reader.token());
        await().atMost(PROPAGATION).untilAsserted(() -> assertHello(app, rotated, reader.id(), "acme"));
        assertHello(app, reader.token(), reader.id(), "acme");

        admin.delete(reader.id());
        await().atMost(PROPAGATION).untilAsserted(() -> {
            assertThat(get(app, "/hello", rotated).status()).as("new token after delete").isEqualTo(401);
            assertThat(get(app, "/hello", reader.token()).status()).as("old token after delete").isEqualTo(401);
        });
        assertThat(get(app, "/hello", writer.token()).status()).as("another key is unaffected").isEqualTo(200);
        admin.delete(writer.id());
    }

    /**
     * What the app answers: {@code /health} without a key; 401 without a key or with an unknown one; the principal
     * on {@code /hello}; {@code reports:read} and {@code reports:write} enforced on {@code /reports}, over
     * {@code Authorization: Bearer} and {@code X-API-Key}.
     *
     * @param reader a key with {@code reports:read} only
     * @param writer a key with {@code reports:read} and {@code reports:write}, in the same tenant
     */
    public static void checkApp(URI app, IssuedKey reader, IssuedKey writer, String tenant) {
        Answer health = get(app, "/health", null);
        assertThat(health.status()).as("/health needs no key").isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("up");

        Answer anonymous = get(app, "/hello", null);
        assertThat(anonymous.status()).as("/hello without a key").isEqualTo(401);
        assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer realm=\"latchkey\"").doesNotContain("error=");
        assertThat(anonymous.json().get("code").asText()).isEqualTo("unauthenticated");

        String t = reader.token();
        String unknown = t.substring(0, t.length() - 1) + (t.endsWith("A") ? "B" : "A");
        Answer bad = get(app, "/hello", unknown);
        assertThat(bad.status()).as("/hello with a made-up token").isEqualTo(401);
        assertThat(bad.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(bad.raw().body()).doesNotContain(unknown);

        awaitAccepted(app, reader.token());
        assertHello(app, reader.token(), reader.id(), tenant);

        Answer list = call(app, "GET", "/reports", null, "X-API-Key", reader.token());
        assertThat(list.status()).as("GET /reports with reports:read").isEqualTo(200);
        assertThat(list.json().get("tenant_id").asText()).isEqualTo(tenant);

        Answer denied = call(app, "POST", "/reports", "{\"title\":\"denied\"}", "Authorization",
                "Bearer " + reader.token(), "Content-Type", "application/json");
        assertThat(denied.status()).as("POST /reports without reports:write").isEqualTo(403);
        assertThat(denied.json().get("code").asText()).isEqualTo("insufficient_scope");
        assertThat(denied.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"").contains("reports:write");

        awaitAccepted(app, writer.token());
        Answer created = call(app, "POST", "/reports", "{\"title\":\"Q3 usage\"}", "Authorization",
                "Bearer " + writer.token(), "Content-Type", "application/json");
        assertThat(created.status()).as("POST /reports with reports:write: %s", created.raw().body()).isEqualTo(201);
        assertThat(created.json().get("title").asText()).isEqualTo("Q3 usage");
        assertThat(created.json().get("created_by").asText()).isEqualTo(writer.id());

        List<String> titles = new ArrayList<>();
        JsonNode reports = call(app, "GET", "/reports", null, "X-API-Key", reader.token()).json().get("reports");
        reports.forEach(r -> titles.add(r.get("title").asText()));
        assertThat(titles).as("the reader sees its tenant's new report").contains("Q3 usage");
    }

    /** An answer read off a raw socket: status, headers by lower-case name (last value wins) and body. */
    public record RawAnswer(int status, Map<String, String> headers, String body) {
        /** Returns a header, or the empty string. */
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    /**
     * Sends one HTTP/1.1 request exactly as written ({@code rawPath} unnormalized, which the JDK client refuses for
     * {@code %zz} or {@code \}) with header lines such as {@code "Authorization: Bearer …"}, and reads the answer
     * until the server closes the connection.
     */
    public static RawAnswer raw(URI app, String method, String rawPath, String... headerLines) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(rawPath).append(" HTTP/1.1\r\n")
                .append("Host: ").append(app.getHost()).append(':').append(app.getPort()).append("\r\n");
        for (String h : headerLines) {
            sb.append(h).append("\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket(app.getHost(), app.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(sb.toString().getBytes(StandardCharsets.UTF_8));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            String[] lines = all.substring(0, end < 0 ? all.length() : end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            return new RawAnswer(Integer.parseInt(lines[0].split(" ")[1]), headers,
                    end < 0 ? "" : all.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + rawPath, e);
        }
    }

    /**
     * Asserts that paths the filter must refuse (API.md §5: encoded {@code /} or {@code \}, {@code //},
     * {@code %2e}, {@code ..;}, bad percent-encoding) are answered 400 as §4 problems, exactly
     * {@code application/problem+json} with {@code nosniff}, whoever refuses them (the container or the filter),
     * with or without a key.
     */
    public static void checkRefusedPathsAreProblems(URI app, String token) {
        for (String path : List.of("/reports%2Fx", "//reports", "/%2e/reports", "/health/..;/reports",
                "/reports%5Cx", "/%zz", "/health%2F..%2Freports")) {
            for (String[] headers : new String[][] {{}, {"Authorization: Bearer " + token}}) {
                RawAnswer a = raw(app, "GET", path, headers);
                String as = path + (headers.length == 0 ? "" : " with a key") + ": " + a;
                assertThat(a.status()).as(as).isEqualTo(400);
                assertThat(a.header("Content-Type")).as(as).isEqualTo("application/problem+json");
                assertThat(a.header("X-Content-Type-Options")).as(as).isEqualTo("nosniff");
                assertThat(a.body()).as(as).doesNotContain(token);
                try {
                    assertThat(JSON.readTree(a.body()).get("code").asText()).as(as).isEqualTo("invalid_request");
                } catch (IOException e) {
                    throw new AssertionError(as, e);
                }
            }
        }
    }

    /**
     * Asserts that every kind of answer the app gives carries {@code X-Content-Type-Options: nosniff} (API.md §4):
     * the routes' own (200, 201, {@code HEAD}, {@code OPTIONS}), the filter's denials (401, 403) and the container's
     * (404, 405).
     *
     * @param writer a key with {@code reports:read} and {@code reports:write}
     * @param reader a key without {@code reports:write}
     */
    public static void checkNosniffOnEveryAnswer(URI app, String writer, String reader) {
        String w = "Authorization: Bearer " + writer;
        Map<String, RawAnswer> answers = new LinkedHashMap<>();
        answers.put("GET /health", raw(app, "GET", "/health"));
        answers.put("HEAD /health", raw(app, "HEAD", "/health"));
        answers.put("OPTIONS /hello", raw(app, "OPTIONS", "/hello", w));
        answers.put("GET /hello", raw(app, "GET", "/hello", w));
        answers.put("GET /reports", raw(app, "GET", "/reports", w));
        answers.put("POST /reports", raw(app, "POST", "/reports", w, "Content-Length: 0"));
        answers.put("GET /hello without a key", raw(app, "GET", "/hello"));
        answers.put("POST /reports without the scope", raw(app, "POST", "/reports",
                "Authorization: Bearer " + reader, "Content-Length: 0"));
        answers.put("GET /nowhere", raw(app, "GET", "/nowhere", w));
        answers.put("PUT /health", raw(app, "PUT", "/health", "Content-Length: 0"));
        assertThat(answers.values()).extracting(RawAnswer::status)
                .containsExactly(200, 200, 200, 200, 200, 201, 401, 403, 404, 405);
        answers.forEach((what, a) -> assertThat(a.header("X-Content-Type-Options")).as("%s: %s", what, a)
                .isEqualTo("nosniff"));
    }

    /** Asserts {@code /hello} answers 200 with the principal of {@code keyId}. */
    public static void assertHello(URI app, String token, String keyId, String tenant) {
        Answer hello = get(app, "/hello", token);
        assertThat(hello.status()).as("/hello with a valid key: %s", hello.raw().body()).isEqualTo(200);
        Map<String, Object> body = JSON.convertValue(hello.json(), new TypeReference<Map<String, Object>>() {
        });
        assertThat(body).containsOnlyKeys("key_id", "tenant_id", "environment", "scopes", "client_ip");
        assertThat(body.get("key_id")).isEqualTo(keyId);
        assertThat(body.get("tenant_id")).isEqualTo(tenant);
        assertThat(body.get("environment")).isEqualTo("live");
        assertThat(body.get("client_ip")).isEqualTo("127.0.0.1");
    }

    /**
     * Waits until the app accepts a new token: a filter with a store connection of its own may have cached the id
     * as unknown a moment before the key was created (negative cache, a few seconds at most).
     */
    private static void awaitAccepted(URI app, String token) {
        await().atMost(PROPAGATION).untilAsserted(() -> {
            Answer hello = get(app, "/hello", token);
            assertThat(hello.status()).as("/hello with a new token: %s", hello.raw().body()).isEqualTo(200);
        });
    }
}
