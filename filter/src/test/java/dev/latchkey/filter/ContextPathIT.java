package dev.latchkey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Route rules and excludes under a non-root context path ({@code /app}) on both containers: they see the path inside
 * the application, and no spelling of the URI reaches a protected resource with a key that lacks its scope.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContextPathIT {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final KeyManager manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(),
            Clock.systemUTC(), Runnable::run);
    private WebServer jetty;
    private WebServer tomcat;
    private String unscoped;
    private String reader;

    private ApiKeyFilter filter() {
        return ApiKeyFilter.builder(store).scopes("GET /reports/** reports:read; * /admin/** admin:all")
                .exclude("/public/**", "/health").meterRegistry(new SimpleMeterRegistry()).build();
    }

    @BeforeAll
    void start() throws Exception {
        jetty = WebServer.jetty(filter(), Map.of(), "/app");
        tomcat = WebServer.tomcat(filter(), Map.of(), "/app");
        unscoped = "Authorization: Bearer " + manager.create(Actor.ROOT, CreateKeyRequest.named("none")).token();
        IssuedKey r = manager.create(Actor.ROOT, CreateKeyRequest.named("reader").withScopes(List.of("reports:read")));
        reader = "Authorization: Bearer " + r.token();
    }

    @AfterAll
    void stop() throws Exception {
        jetty.close();
        tomcat.close();
        store.close();
    }

    Stream<String> containers() {
        return Stream.of("jetty", "tomcat");
    }

    private WebServer server(String name) {
        return name.equals("jetty") ? jetty : tomcat;
    }

    @ParameterizedTest
    @MethodSource("containers")
    void rulesAndExcludes_seeThePathInsideTheApp(String container) throws Exception {
        int port = server(container).port();
        assertThat(RawHttp.send(port, "GET", "/app/health", List.of())).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/app/public/a", List.of())).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/app/hello", List.of())).isEqualTo(401);
        assertThat(RawHttp.send(port, "GET", "/app/hello", List.of(unscoped))).isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/app/reports/x", List.of(unscoped))).isEqualTo(403);
        assertThat(RawHttp.send(port, "GET", "/app/reports/x", List.of(reader))).isEqualTo(200);
        assertThat(RawHttp.send(port, "POST", "/app/admin/x", List.of(reader))).isEqualTo(403);
    }

    @ParameterizedTest
    @MethodSource("containers")
    void hostileSpellings_neverReachAProtectedPath(String container) throws Exception {
        int port = server(container).port();
        List<String> paths = List.of("/app/reports/..;/reports/x", "/app/public/..;/reports/x",
                "/app/x/../reports/x", "/app//reports/x", "/app/%2e%2e/app/reports/x", "/app/public/%2e%2e/reports",
                "/app/reports%2Fx", "/app/REPORTS/x", "/app;x=1/reports/x", "/app/./reports", "/%61pp/reports/x",
                "/app/public/%2E%2E/admin/x", "/app/public;/../reports", "/app/public/..%2Freports");
        for (String path : paths) {
            int anonymous = RawHttp.send(port, "GET", path, List.of());
            assertThat(anonymous).as(container + " anonymous " + path).isBetween(400, 499);
            int status = RawHttp.send(port, "GET", path, List.of(unscoped));
            assertThat(status).as(container + " unscoped " + path).isBetween(400, 499);
        }
    }
}
