package dev.latchkey.samples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.admin.AdminServer;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreProvider;
import dev.latchkey.samples.demo.DemoAppChecks.AdminApi;
import dev.latchkey.samples.demo.DemoAppChecks.Answer;
import dev.latchkey.samples.demo.DemoAppChecks;
import dev.latchkey.testkit.Promtool;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for the packaged WAR ({@code target/latchkey-tomcat-sample.war}): deployed as a file on embedded Tomcat
 * 10.1, configured by nothing but its {@code web.xml}, against a real Redis shared with an admin service. The
 * filter's {@code ${LATCHKEY_REDIS_URL}} is set here as a system property (read before the environment).
 */
@WithRedis
class TomcatWarIT {

    private static final String CONTEXT = "/latchkey-tomcat-sample";
    private static final Path WAR = Path.of(System.getProperty("latchkey.sample.war", "target/latchkey-tomcat-sample.war"));

    private static KeyStore adminStore;
    private static AdminServer admin;
    private static Tomcat tomcat;
    private static URI app;

    @BeforeAll
    static void deploy(RedisServer redis, @TempDir Path dir) throws Exception {
        assertThat(WAR).as("run 'package' first: the test deploys the WAR file").isRegularFile();
        String url = redis.uri(6);
        System.setProperty("LATCHKEY_REDIS_URL", url);
        adminStore = KeyStoreProvider.openFirst(url, TomcatWarIT.class.getClassLoader());
        admin = AdminServer.builder(adminStore).port(0).adminToken("tomcat-sample-root").build().start();

        tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Path webapps = Files.createDirectories(dir.resolve("webapps"));
        tomcat.getHost().setAppBase(webapps.toString());
        // No embedded defaults (JSP, default servlet): the WAR's web.xml is all there is, as with metadata-complete.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp(CONTEXT, WAR.toAbsolutePath().toString());
        tomcat.start();
        assertThat(context.getState()).as("the web application started").isEqualTo(LifecycleState.STARTED);
        app = URI.create("http://127.0.0.1:" + connector.getLocalPort() + CONTEXT);
    }

    @AfterAll
    static void undeploy() throws Exception {
        System.clearProperty("LATCHKEY_REDIS_URL");
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
        if (admin != null) {
            admin.close();
        }
        if (adminStore != null) {
            adminStore.close();
        }
    }

    @Test
    void war_keysFromTheAdminApi_protectTheDemoRoutes_underTheContextPath() {
        DemoAppChecks.checkUserJourney(new AdminApi(admin.baseUri(), "tomcat-sample-root"), app);
    }

    @Test
    void metrics_needNoKey_showTheFiltersMeters_andPassPromtool() {
        assertThat(DemoAppChecks.get(app, "/hello", null).status()).isEqualTo(401);

        Answer metrics = DemoAppChecks.get(app, "/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.raw().body())
                .containsPattern("latchkey_auth_requests_total\\{[^}]*outcome=\"[a-z_]+\"")
                .contains("latchkey_auth_duration_seconds")
                .contains("cache=\"latchkey.keys\"");
        Promtool.assertClean(metrics.raw().body());
    }

    @Test
    void war_carriesTheFilterAndRedisInWebInfLib_andNoServletApi() throws IOException {
        List<String> libs = new ArrayList<>();
        try (ZipFile zip = new ZipFile(WAR.toFile())) {
            zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/")).forEach(libs::add);
            assertThat(zip.getEntry("WEB-INF/web.xml")).isNotNull();
        }
        assertThat(libs).anyMatch(n -> n.startsWith("WEB-INF/lib/latchkey-filter-"))
                .anyMatch(n -> n.startsWith("WEB-INF/lib/latchkey-redis-"))
                .anyMatch(n -> n.startsWith("WEB-INF/lib/lettuce-core-"))
                .anyMatch(n -> n.startsWith("WEB-INF/lib/micrometer-registry-prometheus-"))
                .noneMatch(n -> n.contains("servlet-api"))
                .noneMatch(n -> n.contains("tomcat"));
    }
}
