package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.KeyStore;
import dev.latchkey.testkit.MutableClock;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of the admin API's HTTP tests: one real server per test class on a loopback port, over a store made by
 * {@link #createStore()}, so the same tests run on the in-memory store and on Redis. Tests isolate themselves by
 * tenant. Every plaintext token the tests receive is remembered, and at the end no captured log line may hold one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdminApiContract {

    static final String ROOT = "root-token-for-tests";
    private static final AtomicInteger TENANTS = new AtomicInteger();

    protected MutableClock clock;
    protected KeyStore store;
    protected AdminServer server;
    protected Http http;
    protected LogCapture logs;
    /** Every plaintext token handed out during the class. */
    protected final Set<String> issued = Collections.newSetFromMap(new ConcurrentHashMap<>());

    /** Returns a new, empty store for one test class; the base closes it. */
    protected abstract KeyStore createStore();

    @BeforeAll
    void startServer() {
        logs = new LogCapture();
        clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        store = createStore();
        server = configure(AdminServer.builder(store).port(0).adminToken(ROOT).clock(clock)
                .usageFlushInterval(Duration.ZERO).shutdownGrace(Duration.ofSeconds(2))).build().start();
        http = new Http(server.baseUri());
    }

    /** Lets a test class change the server's settings before it starts. */
    protected AdminServerBuilder configure(AdminServerBuilder builder) {
        return builder;
    }

    @AfterAll
    void stopServer() {
        try {
            server.close();
            store.close();
            List<String> lines = logs.lines();
            assertThat(lines).isNotEmpty();
            for (String token : issued) {
                assertThat(lines).noneMatch(l -> l.contains(token));
            }
        } finally {
            logs.close();
        }
    }

    static String tenant() {
        return "t" + TENANTS.incrementAndGet() + "-" + System.nanoTime() % 100000;
    }

    Http.Res root(String method, String path, @Nullable Object body, String... headers) {
        return as(ROOT, method, path, body, headers);
    }

    Http.Res as(@Nullable String token, String method, String path, @Nullable Object body, String... headers) {
        Http.Res r = http.send(method, path, token, body, headers);
        remember(r);
        return r;
    }

    private void remember(Http.Res r) {
        if (r.body().startsWith("{")) {
            JsonNode j = r.json();
            for (String f : List.of("token", "api_key")) {
                if (j.hasNonNull(f)) {
                    issued.add(j.get(f).asText());
                }
            }
        }
    }

    /** Creates a key as root and returns the answer (with its token). */
    JsonNode create(Map<String, Object> body) {
        Http.Res r = root("POST", "/v1/keys", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    JsonNode create(String tenant, String... scopes) {
        return create(map("name", "key of " + tenant, "tenant_id", tenant, "scopes", List.of(scopes)));
    }

    /** Creates an admin key with one platform scope in a tenant and returns its token. */
    String adminToken(String tenant, String scope) {
        return create(tenant, scope).get("token").asText();
    }

    String verifyCode(String token, String... extra) {
        Map<String, Object> body = map("token", token);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            body.put(extra[i], extra[i + 1]);
        }
        Http.Res r = root("POST", "/v1/verify", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("code").asText();
    }

    static void assertProblem(Http.Res r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("type").asText()).isEqualTo("urn:latchkey:problem:" + code);
        assertThat(p.get("code").asText()).isEqualTo(code);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(p.has("instance")).isTrue();
        assertThat(p.get("request_id").asText()).isEqualTo(r.header("X-Request-Id"));
        assertThat(p.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(p.get("errors").isArray()).isTrue();
        assertThat(r.body()).doesNotContain("at dev.latchkey", "Exception");
    }

    static List<String> fields(Http.Res r) {
        List<String> out = new ArrayList<>();
        r.json().get("errors").forEach(e -> out.add(e.get("field").asText()));
        return out;
    }

    static Set<String> names(JsonNode node) {
        Set<String> out = new HashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static HttpRequest.BodyPublisher raw(String s) {
        return HttpRequest.BodyPublishers.ofString(s);
    }
}
