package dev.latchkey.samples.quickstart;

import static dev.latchkey.samples.demo.DemoAppChecks.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.samples.demo.DemoAppChecks.AdminApi;
import dev.latchkey.samples.demo.DemoAppChecks.IssuedKey;
import dev.latchkey.samples.demo.DemoAppChecks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link Quickstart} on the in-memory store: both servers in this JVM, called over HTTP. */
class QuickstartIT {

    @Test
    void start_onFreePorts_printsBothListeningLinesAndTheGeneratedToken() {
        try (Running r = Running.start(Map.of())) {
            Quickstart q = r.quickstart();
            assertThat(r.output())
                    .startsWith("listening on " + q.adminUri() + "\napp listening on " + q.appUri() + "\n")
                    .containsOnlyOnce(q.adminToken());
            assertThat(r.printedAdminToken()).isEqualTo(q.adminToken());
            assertThat(q.adminUri().getPort()).isPositive().isNotEqualTo(q.appUri().getPort());
        }
    }

    @Test
    void inMemory_keysFromTheAdminApi_protectTheDemoApp() {
        try (Running r = Running.start(Map.of())) {
            DemoAppChecks.checkUserJourney(new AdminApi(r.quickstart().adminUri(), r.printedAdminToken()),
                    r.quickstart().appUri());
        }
    }

    @Test
    void givenAdminToken_isUsedAndNeverPrinted() {
        String root = "my-own-root-token-for-tests";
        try (Running r = Running.start(Map.of("LATCHKEY_ADMIN_TOKEN", root))) {
            assertThat(r.output()).doesNotContain(root).contains("ADMIN_TOKEN=\"$LATCHKEY_ADMIN_TOKEN\"");
            IssuedKey key = new AdminApi(r.quickstart().adminUri(), root).create("k", "default", List.of());
            DemoAppChecks.assertHello(r.quickstart().appUri(), key.token(), key.id(), "default");
        }
    }

    @Test
    void pepperAndPrefix_areSharedByTheAdminServiceAndTheFilter() {
        try (Running r = Running.start(Map.of("LATCHKEY_PEPPER", "pepper-for-tests", "LATCHKEY_TOKEN_PREFIX", "acme"))) {
            IssuedKey key = new AdminApi(r.quickstart().adminUri(), r.printedAdminToken())
                    .create("k", "default", List.of());
            assertThat(key.token()).startsWith("acme_live_");
            DemoAppChecks.assertHello(r.quickstart().appUri(), key.token(), key.id(), "default");
        }
    }

    @Test
    void trustedProxies_letTheAppSeeTheForwardedClientIp() {
        try (Running r = Running.start(Map.of("LATCHKEY_TRUSTED_PROXIES", "127.0.0.1/32"))) {
            IssuedKey key = new AdminApi(r.quickstart().adminUri(), r.printedAdminToken())
                    .create("k", "default", List.of());
            DemoAppChecks.Answer hello = call(r.quickstart().appUri(), "GET", "/hello", null,
                    "Authorization", "Bearer " + key.token(), "X-Forwarded-For", "203.0.113.7");
            assertThat(hello.status()).isEqualTo(200);
            assertThat(hello.json().get("client_ip").asText()).isEqualTo("203.0.113.7");
        }
    }

    @Test // audit: the demo showed the socket address (the proxy's) where the filter had decided "unknown"
    void unknownClientBehindATrustedProxy_helloShowsNoClientIp_notTheProxysAddress() {
        try (Running r = Running.start(Map.of("LATCHKEY_TRUSTED_PROXIES", "127.0.0.1/32"))) {
            IssuedKey key = new AdminApi(r.quickstart().adminUri(), r.printedAdminToken())
                    .create("k", "default", List.of());
            DemoAppChecks.Answer hello = call(r.quickstart().appUri(), "GET", "/hello", null,
                    "Authorization", "Bearer " + key.token(), "X-Forwarded-For", "unknown");
            assertThat(hello.status()).isEqualTo(200);
            assertThat(hello.json().has("client_ip")).isTrue();
            assertThat(hello.json().get("client_ip").isNull()).as(hello.raw().body()).isTrue();
        }
    }

    @Test
    void withoutTrustedProxies_forwardedHeadersAreIgnored() {
        try (Running r = Running.start(Map.of())) {
            IssuedKey key = new AdminApi(r.quickstart().adminUri(), r.printedAdminToken())
                    .create("k", "default", List.of());
            DemoAppChecks.Answer hello = call(r.quickstart().appUri(), "GET", "/hello", null,
                    "Authorization", "Bearer " + key.token(), "X-Forwarded-For", "203.0.113.7");
            assertThat(hello.json().get("client_ip").asText()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void invalidPort_failsWithTheVariableName() {
        assertThatThrownBy(() -> Running.start(Map.of("LATCHKEY_APP_PORT", "http")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LATCHKEY_APP_PORT");
    }

    @Test
    void demoRoutes_reportsNeedTheirScopes_helloAnyKey_healthNothing() {
        try (Running r = Running.start(Map.of())) {
            AdminApi admin = new AdminApi(r.quickstart().adminUri(), r.printedAdminToken());
            IssuedKey none = admin.create("no scopes", "default", List.of());
            IssuedKey writer = admin.create("writer only", "default", List.of("reports:write"));
            java.net.URI app = r.quickstart().appUri();
            assertThat(DemoAppChecks.get(app, "/health", null).status()).isEqualTo(200);
            assertThat(DemoAppChecks.get(app, "/hello", none.token()).status()).isEqualTo(200);
            DemoAppChecks.Answer read = DemoAppChecks.get(app, "/reports", none.token());
            assertThat(read.status()).isEqualTo(403);
            assertThat(read.json().get("code").asText()).isEqualTo("insufficient_scope");
            assertThat(read.header("WWW-Authenticate")).contains("scope=\"reports:read\"");
            assertThat(DemoAppChecks.get(app, "/reports", writer.token()).status()).isEqualTo(403);
            DemoAppChecks.Answer created = call(app, "POST", "/reports", "{\"title\":\"w\"}", "Authorization",
                    "Bearer " + writer.token(), "Content-Type", "application/json");
            assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
            assertThat(created.header("Content-Type")).startsWith("application/json");
            assertThat(DemoAppChecks.get(app, "/reports", null).status()).isEqualTo(401);
        }
    }

    @Test // Jetty's header cache matched values ignoring case: the valid token was read as the mistyped one before it
    void aTokenAfterItsCaseVariant_onOneConnection_isReadAsSent() throws IOException {
        try (Running r = Running.start(Map.of())) {
            IssuedKey key = new AdminApi(r.quickstart().adminUri(), r.printedAdminToken())
                    .create("k", "default", List.of());
            String token = key.token();
            int at = token.length() - 7;
            while (!Character.isLetter(token.charAt(at))) {
                at--;
            }
            char c = token.charAt(at);
            String variant = token.substring(0, at)
                    + (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c))
                    + token.substring(at + 1);
            URI app = r.quickstart().appUri();
            try (Socket socket = new Socket(app.getHost(), app.getPort())) {
                socket.setSoTimeout(5_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                OutputStream out = socket.getOutputStream();
                for (String[] sent : new String[][] {{variant, "401"}, {token, "200"}, {variant, "401"}}) {
                    out.write(("GET /hello HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + sent[0] + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    assertThat(statusOfNextAnswer(in))
                            .as("answer to %s", sent[0].equals(token) ? "the token" : "its variant")
                            .startsWith("HTTP/1.1 " + sent[1]);
                }
            }
        }
    }

    /** Reads one HTTP/1.1 answer off a keep-alive connection (length or chunked body) and returns its status line. */
    private static String statusOfNextAnswer(BufferedReader in) throws IOException {
        String status = in.readLine();
        int length = 0;
        boolean chunked = false;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
            chunked |= line.regionMatches(true, 0, "Transfer-Encoding: chunked", 0, 26);
        }
        if (chunked) {
            for (int n = Integer.parseInt(in.readLine().trim(), 16); n > 0;
                    n = Integer.parseInt(in.readLine().trim(), 16)) {
                in.skip(n);
                in.readLine();
            }
            in.readLine();
        } else {
            in.skip(length);
        }
        return status;
    }
}
