package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.engine.CountingKeyStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real gateway from Debian's packages in front of a real app, asking a real Latchkey gateway service, all on
 * loopback ports, with the documented config (one subclass per gateway; each started once per class). Clients are
 * raw sockets bound to 127.0.0.2 and friends, so IP rules see real, distinct client addresses. The gateway connects
 * to Latchkey from 127.0.0.1, the one trusted hop (the defaults of {@code LATCHKEY_GATEWAY_CLIENTS} and
 * {@code LATCHKEY_GATEWAY_TRUSTED_PROXIES}).
 */
@Tag("gateways")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractGatewayProcessIT {

    /** Failed authentications one client address may make per minute before it gets 429 {@code too_many_failures}. */
    static final int FAILURES = 3;

    final CountingKeyStore store = new CountingKeyStore();
    final KeyManager manager = Fixtures.manager(store);
    GatewayServer latchkey;
    EchoUpstream app;
    GatewayProcess gateway;

    /** Starts the gateway in front of {@code app}, asking {@code latchkey}. */
    abstract GatewayProcess startGateway(int latchkeyPort, int appPort) throws Exception;

    /** Whether the gateway's config drops every client-sent {@code X-Latchkey-*} header, not only the known ones. */
    boolean dropsEveryLatchkeyHeader() {
        return true;
    }

    @BeforeAll
    void startAll() throws Exception {
        latchkey = GatewayServer.start(GatewaySettings.of(0, Fixtures.auth().authFailureLimit(FAILURES).build()),
                store, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        app = new EchoUpstream();
        gateway = startGateway(latchkey.port(), app.port());
    }

    @AfterAll
    void stopAll() {
        if (gateway != null) {
            gateway.close();
        }
        if (app != null) {
            app.close();
        }
        if (latchkey != null) {
            latchkey.close();
        }
        store.close();
    }

    @AfterEach
    void storeBack() {
        store.down = false;
    }

    RawHttp.Reply send(String from, String method, String target, String... headers) throws Exception {
        return RawHttp.send(from, gateway.port, method, target, headers);
    }

    @Test
    void validKey_reachesTheAppWithIdentity_forgedHeadersDoNot() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read", "billing:read");
        RawHttp.Reply r = send("127.0.0.2", "GET", "/reports/42?page=2", "Authorization: Bearer " + k.token(),
                "X-Latchkey-Key-Id: forged-id", "X-Latchkey-Tenant: other-tenant", "X-Latchkey-Scopes: admin:all",
                "X-Latchkey-Owner: mallory", "X-Latchkey-Environment: test", "X-Latchkey-Status: 200",
                "X-Latchkey-Role: admin");
        assertThat(r.status()).as(gateway.log()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("upstream");
        EchoUpstream.Seen seen = app.last.get();
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.path()).isEqualTo("/reports/42");
        assertThat(seen.header("X-Latchkey-Key-Id")).containsExactly(k.key().id());
        assertThat(seen.header("X-Latchkey-Tenant")).containsExactly("tenant-a");
        assertThat(seen.header("X-Latchkey-Owner")).containsExactly("owner-7");
        assertThat(seen.header("X-Latchkey-Environment")).containsExactly("live");
        assertThat(seen.header("X-Latchkey-Scopes")).containsExactly("reports:read billing:read");
        assertThat(seen.header("X-Latchkey-Status")).isEmpty();
        if (dropsEveryLatchkeyHeader()) {
            assertThat(seen.header("X-Latchkey-Role")).isEmpty();
        }
    }

    @Test
    void excludedPath_reachesTheAppWithoutAKey_andWithoutForgedIdentity() throws Exception {
        RawHttp.Reply r = send("127.0.0.2", "GET", "/public/logo.png", "X-Latchkey-Key-Id: forged-id",
                "X-Latchkey-Tenant: other-tenant");
        assertThat(r.status()).as(gateway.log()).isEqualTo(200);
        assertThat(app.last.get().path()).isEqualTo("/public/logo.png");
        assertThat(app.last.get().header("X-Latchkey-Key-Id")).allMatch(String::isEmpty);
        assertThat(app.last.get().header("X-Latchkey-Tenant")).allMatch(String::isEmpty);
    }

    @Test
    void badKey_401WithChallenge_appNotReached() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        String wrong = k.token().substring(0, k.token().length() - 2) + "zz";
        int before = app.hits.get();
        RawHttp.Reply r = send("127.0.0.2", "GET", "/reports/1", "Authorization: Bearer " + wrong);
        assertThat(r.status()).as(gateway.log()).isEqualTo(401);
        assertThat(r.headers().get("www-authenticate")).singleElement().asString()
                .startsWith("Bearer realm=\"latchkey\"").contains("error=\"invalid_token\"");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        RawHttp.Reply none = send("127.0.0.2", "GET", "/reports/1");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"latchkey\"");
        assertThat(app.hits.get()).isEqualTo(before);
    }

    @Test
    void missingScope_403() throws Exception {
        IssuedKey k = Fixtures.key(manager, "billing:read");
        int before = app.hits.get();
        RawHttp.Reply r = send("127.0.0.2", "GET", "/reports/1", "X-API-Key: " + k.token());
        assertThat(r.status()).as(gateway.log()).isEqualTo(403);
        assertThat(app.hits.get()).isEqualTo(before);
    }

    @Test
    void post_isJudgedAsAPost() throws Exception {
        IssuedKey reader = Fixtures.key(manager, "reports:read");
        IssuedKey writer = Fixtures.key(manager, "reports:write");
        assertThat(send("127.0.0.2", "POST", "/reports", "Authorization: Bearer " + reader.token()).status())
                .as(gateway.log()).isEqualTo(403);
        RawHttp.Reply ok = send("127.0.0.2", "POST", "/reports", "Authorization: Bearer " + writer.token());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(app.last.get().method()).isEqualTo("POST");
        assertThat(app.last.get().header("X-Latchkey-Key-Id")).containsExactly(writer.key().id());
    }

    @Test // the gateway service reads a body it is sent up to 64 KiB; no gateway may forward the client's to it
    void postWithALargeBody_reachesTheApp() throws Exception {
        IssuedKey writer = Fixtures.key(manager, "reports:write");
        String body = "x".repeat(200 * 1024);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            s.connect(new InetSocketAddress("127.0.0.1", gateway.port), 5_000);
            s.setSoTimeout(15_000);
            RawHttp.write(s, "POST /reports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + writer.token()
                    + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                    + body);
            RawHttp.Reply r = RawHttp.read(s);
            assertThat(r.status()).as(gateway.log()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("upstream");
        }
        assertThat(app.last.get().method()).isEqualTo("POST");
        assertThat(app.last.get().header("Content-Length")).containsExactly(Integer.toString(body.length()));
    }

    @Test
    void storeDown_503WithRetryAfter() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        store.down = true;
        RawHttp.Reply r = send("127.0.0.2", "GET", "/reports/1", "Authorization: Bearer " + k.token());
        assertThat(r.status()).as(gateway.log()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void tokenInTheQuery_isNotRead() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        assertThat(send("127.0.0.2", "GET", "/reports/1?api_key=" + k.token()).status()).isEqualTo(401);
    }

    @Test
    void ipRestrictedKey_seesTheRealClientAddress() throws Exception {
        IssuedKey k = Fixtures.restrictedKey(manager, "127.0.0.2/32", "reports:read");
        assertThat(send("127.0.0.2", "GET", "/reports/1", "Authorization: Bearer " + k.token()).status())
                .as(gateway.log()).isEqualTo(200);
        assertThat(send("127.0.0.3", "GET", "/reports/1", "Authorization: Bearer " + k.token()).status())
                .isEqualTo(403);
    }

    @Test
    void spoofedForwardedFor_isNotBelieved() throws Exception {
        IssuedKey k = Fixtures.restrictedKey(manager, "203.0.113.0/24", "reports:read");
        for (String spoof : List.of("X-Forwarded-For: 203.0.113.9", "Forwarded: for=203.0.113.9")) {
            assertThat(send("127.0.0.4", "GET", "/reports/1", spoof, "Authorization: Bearer " + k.token()).status())
                    .as(spoof).isEqualTo(403);
        }
    }

    @Test
    void rateLimitedKey_twoReachTheApp_theThirdIs429WithRetryAfterAndRateLimitHeaders() throws Exception {
        IssuedKey k = Fixtures.rateLimitedKey(manager, 2, "reports:read");
        int before = app.hits.get();
        for (int i = 0; i < 2; i++) {
            RawHttp.Reply ok = send("127.0.0.5", "GET", "/reports/1", "Authorization: Bearer " + k.token());
            assertThat(ok.status()).as(gateway.log()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("upstream");
            assertThat(ok.header("RateLimit-Policy")).as("allow %d", i).isEqualTo("\"rate\";q=2;w=3600");
            assertThat(ok.header("RateLimit")).startsWith("\"rate\";r=" + (1 - i) + ";t=");
        }
        assertThat(app.hits.get()).isEqualTo(before + 2);
        assertThat(app.last.get().header("RateLimit")).as("the app gets no RateLimit header").isEmpty();
        RawHttp.Reply r = send("127.0.0.5", "GET", "/reports/1", "Authorization: Bearer " + k.token());
        assertThat(r.status()).as(gateway.log()).isEqualTo(429);
        assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 3600L);
        assertThat(r.header("RateLimit-Policy")).isEqualTo("\"rate\";q=2;w=3600");
        assertThat(r.header("RateLimit")).startsWith("\"rate\";r=0;t=");
        assertThat(r.has("X-Latchkey-Status")).isFalse();
        assertThat(app.hits.get()).isEqualTo(before + 2);
        RawHttp.Reply unlimited = send("127.0.0.5", "GET", "/reports/1",
                "Authorization: Bearer " + Fixtures.key(manager, "reports:read").token(), "RateLimit: forged");
        assertThat(unlimited.status()).isEqualTo(200);
        assertThat(unlimited.has("RateLimit")).as("no RateLimit header for a key without limits: %s", unlimited.headers())
                .isFalse();
    }

    @Test
    void tooManyFailures_is429WithRetryAfter_forThatClientOnly() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        String wrong = k.token().substring(0, k.token().length() - 2) + "zz";
        for (int i = 0; i < FAILURES; i++) {
            assertThat(send("127.0.0.9", "GET", "/reports/1", "Authorization: Bearer " + wrong).status())
                    .as(gateway.log()).isEqualTo(401);
        }
        IssuedKey fresh = Fixtures.key(manager, "reports:read");
        RawHttp.Reply r = send("127.0.0.9", "GET", "/reports/1", "Authorization: Bearer " + fresh.token());
        assertThat(r.status()).as(gateway.log()).isEqualTo(429);
        assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(r.has("X-Latchkey-Status")).isFalse();
        assertThat(send("127.0.0.8", "GET", "/reports/1", "Authorization: Bearer " + fresh.token()).status())
                .isEqualTo(200);
    }
}
