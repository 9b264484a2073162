package dev.latchkey.samples.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.latchkey.admin.AdminServer;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreProvider;
import dev.latchkey.samples.demo.DemoAppChecks.AdminApi;
import dev.latchkey.samples.demo.DemoAppChecks;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link JettyWebapp}: the app and an admin service on one real Redis, as two separate parties would run
 * them. The filter reads its store from {@code ${LATCHKEY_REDIS_URL}}, set here as a system property (the
 * placeholder reads system properties before environment variables).
 */
@WithRedis
class JettyWebappIT {

    private static KeyStore adminStore;
    private static AdminServer admin;
    private static Server app;

    @BeforeAll
    static void start(RedisServer redis) throws Exception {
        String url = redis.uri(5);
        System.setProperty("LATCHKEY_REDIS_URL", url);
        adminStore = KeyStoreProvider.openFirst(url, JettyWebappIT.class.getClassLoader());
        admin = AdminServer.builder(adminStore).port(0).adminToken("jetty-sample-root").build().start();
        app = JettyWebapp.create("127.0.0.1", 0, JettyWebapp.filterInitParams());
        app.start();
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("LATCHKEY_REDIS_URL");
        if (app != null) {
            app.stop();
        }
        if (admin != null) {
            admin.close();
        }
        if (adminStore != null) {
            adminStore.close();
        }
    }

    @Test
    void keysFromTheAdminApi_protectTheApp() {
        URI appUri = URI.create("http://127.0.0.1:" + JettyWebapp.port(app));
        DemoAppChecks.checkUserJourney(new AdminApi(admin.baseUri(), "jetty-sample-root"), appUri);
    }

    @Test // audit: Jetty refused these before the filter ran, with its own text/html page and no nosniff
    void refusedPaths_areProblemJsonWithNosniff_notJettysHtmlPage() {
        URI appUri = URI.create("http://127.0.0.1:" + JettyWebapp.port(app));
        DemoAppChecks.IssuedKey key = new AdminApi(admin.baseUri(), "jetty-sample-root")
                .create("refused paths", "default", List.of());
        DemoAppChecks.checkRefusedPathsAreProblems(appUri, key.token());
    }

    @Test // audit: the app's answers and Jetty's 404 had no nosniff; the filter's denials did
    void everyAnswer_carriesNosniff() {
        URI appUri = URI.create("http://127.0.0.1:" + JettyWebapp.port(app));
        AdminApi api = new AdminApi(admin.baseUri(), "jetty-sample-root");
        DemoAppChecks.IssuedKey writer = api.create("nosniff writer", "acme", List.of("reports:read",
                "reports:write"));
        DemoAppChecks.IssuedKey reader = api.create("nosniff reader", "acme", List.of("reports:read"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                DemoAppChecks.checkNosniffOnEveryAnswer(appUri, writer.token(), reader.token()));
    }

    @Test
    void withoutARedisUrl_theServerRefusesToStart_namingThePlaceholder() throws Exception {
        Map<String, String> params = new java.util.LinkedHashMap<>(JettyWebapp.filterInitParams());
        params.put("latchkey.redis-url", "${LATCHKEY_TEST_UNSET_REDIS_URL}");
        Server broken = JettyWebapp.create("127.0.0.1", 0, params);
        try {
            assertThatThrownBy(broken::start).hasStackTraceContaining("LATCHKEY_TEST_UNSET_REDIS_URL");
            assertThat(broken.isStarted()).isFalse();
        } finally {
            broken.stop();
        }
    }
}
