package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.testkit.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Tests for {@link ConsoleHandler}: the console's files, their security headers, and nothing else of the class path. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleHandlerIT {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private AdminServer server;
    private Http http;

    @BeforeAll
    void start() {
        server = AdminServer.builder(store).port(0).adminToken("root-token-for-console")
                .shutdownGrace(Duration.ofMillis(200)).build().start();
        http = new Http(server.baseUri());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void page_hasStrictSecurityHeaders_andIsNeverCached() {
        Http.Res res = http.send("GET", "/console/", null, null);
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.header("Content-Type")).startsWith("text/html");
        assertThat(res.header("Content-Security-Policy")).contains("default-src 'self'", "script-src 'self'",
                "style-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(res.header("Cache-Control")).isEqualTo("no-store");
        assertThat(res.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(res.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(res.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(res.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>")
                .doesNotContain("<script>", "style=");
    }

    @Test
    void bareConsolePath_redirectsToTheSlashedOne() {
        Http.Res res = http.send("GET", "/console", null, null);
        assertThat(res.status()).isEqualTo(301);
        assertThat(res.header("Location")).isEqualTo("/console/");
    }

    @Test
    void modules_areJavaScript_revalidatedByEtag() {
        Http.Res res = http.send("GET", "/console/js/app.js", null, null);
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.header("Content-Type")).startsWith("text/javascript");
        assertThat(res.header("Cache-Control")).isEqualTo("no-cache");
        String etag = res.header("ETag");
        assertThat(etag).isNotBlank();
        Http.Res again = http.send("GET", "/console/js/app.js", null, null, "If-None-Match", etag);
        assertThat(again.status()).isEqualTo(304);
    }

    @Test
    void uplot_comesFromTheWebJar_cachedForGoodUnderItsVersion() {
        Http.Res res = http.send("GET", "/console/vendor/uplot-" + ConsoleHandler.UPLOT_VERSION + "/uPlot.esm.js",
                null, null);
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.body()).contains("export");
        assertThat(res.header("Cache-Control")).contains("immutable");
    }

    @Test
    void gzip_isServedWhenAsked() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<byte[]> res = client.send(HttpRequest.newBuilder(server.baseUri().resolve("/console/js/key.js"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(res.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(res.body())).contains("export async function keyPage");
    }

    @Test
    void otherClassPathResources_andTraversal_areNotFound() {
        for (String path : new String[] {"/console/../latchkey-admin-logback.xml", "/console/%2e%2e/x.js",
                "/console/js/../../dev/latchkey/admin/AdminServer.class", "/console/vendor/uplot-1.6.30/package.json",
                "/console/META-INF/MANIFEST.MF", "/console/nope.js"}) {
            Http.Res res = http.send("GET", path, null, null);
            assertThat(res.status()).as(path).isIn(400, 404);
            assertThat(res.body()).as(path).doesNotContain("<configuration", "Manifest-Version");
        }
    }

    @Test
    void undecodableConsolePath_isTheGuardsProblem_notAServerError() {
        RawHttp.Answer res = RawHttp.exchange(server.port(),
                "GET /console/js/%zz.js HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertThat(res.status()).isEqualTo(400);
        assertThat(res.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void theApi_isStillServedBesideTheConsole() {
        assertThat(http.send("GET", "/health", null, null).status()).isEqualTo(200);
        assertThat(http.send("GET", "/v1/keys", "root-token-for-console", null).status()).isEqualTo(200);
        assertThat(http.send("GET", "/consoles", null, null).status()).isEqualTo(404);
    }

    @Test
    void writes_areRefused() {
        Http.Res res = http.send("POST", "/console/", null, null);
        assertThat(res.status()).isEqualTo(405);
        assertThat(res.header("Content-Type")).startsWith("application/problem+json");
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
