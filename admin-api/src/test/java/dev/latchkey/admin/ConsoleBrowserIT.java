package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.KeyStore;
import dev.latchkey.redis.RedisKeyStore;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real headless Chromium against a real admin service on Redis, over HTTP. The service and the
 * browser start once for the class; each test signs in afresh.
 */
@Tag("browser")
@WithRedis
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {

    static final String ROOT = "console-root-token-0123456789";
    static final String XSS = "<img src=x onerror=alert(1)>";

    private final RedisServer redis;
    private KeyStore store;
    private AdminServer server;
    private Http http;
    private ConsoleBrowser browser;

    ConsoleBrowserIT(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeAll
    void start() {
        store = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(redis.uniqueKeyPrefix())
                .commandTimeout(Duration.ofSeconds(5)).build();
        server = AdminServer.builder(store).port(0).adminToken(ROOT).shutdownGrace(Duration.ofMillis(200)).build()
                .start();
        http = new Http(server.baseUri());
        browser = new ConsoleBrowser(server.baseUri());
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private JsonNode create(Map<String, Object> body) {
        return create(ROOT, body);
    }

    private JsonNode create(String token, Map<String, Object> body) {
        Http.Res res = http.send("POST", "/v1/keys", token, body);
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        return res.json();
    }

    private boolean endpointExists(String path) {
        int status = http.send("GET", path, ROOT, null).status();
        return status != 404 && status != 405;
    }

    @Test
    void signIn_withRootToken_showsTheKeys_andAWrongTokenIsRefused() {
        browser.open("#/signin");
        browser.await("#f-token").sendKeys("not-an-admin-token");
        browser.find("form button[type=submit]").click();
        browser.awaitText(".problem", "401");
        assertThat(browser.js("return sessionStorage.getItem('latchkey.console.token')")).isNull();

        browser.signIn(ROOT);
        assertThat(browser.js("return sessionStorage.getItem('latchkey.console.token')")).isEqualTo(ROOT);
        assertThat(browser.js("return localStorage.length + document.cookie.length")).isEqualTo(0L);
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(ROOT);

        browser.find("nav button").click(); // sign out
        browser.await("#f-token");
        assertThat(browser.js("return sessionStorage.getItem('latchkey.console.token')")).isNull();
    }

    @Test
    void expiredSession_401_sendsBackToSignIn() {
        browser.signIn(ROOT);
        browser.js("sessionStorage.setItem('latchkey.console.token', 'revoked-or-wrong-token')");
        browser.route("#/keys?status=active");
        browser.awaitText("main", "Your session has ended");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/signin");
    }

    @Test
    void create_showsTheTokenOnce_andNotAfterAReload() {
        browser.signIn(ROOT);
        browser.route("#/keys/new");
        browser.await("#f-name").sendKeys("console created");
        browser.find("#f-scopes").sendKeys("reports:read");
        browser.find("#key-form button[type=submit]").click();
        WebElement token = browser.await("#secret-value");
        String value = token.getAttribute("value");
        assertThat(value).startsWith("lk_live_");
        assertThat(browser.find(".secret").getText()).contains("shown only this once");
        String keyUrl = browser.driver().getCurrentUrl();
        assertThat(keyUrl).doesNotContain(value);
        Http.Res verify = http.send("POST", "/v1/verify", ROOT, map("token", value));
        assertThat(verify.json().path("valid").asBoolean()).isTrue();

        browser.reload();
        browser.await("#key-fields");
        assertThat(browser.all("#secret-value")).isEmpty();
        assertThat(browser.find("main").getText()).doesNotContain(value);
        assertThat((String) browser.js("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"))
                .doesNotContain(value);
    }

    @Test
    void fieldError_fromTheApi_isShownNextToItsField() {
        browser.signIn(ROOT);
        browser.route("#/keys/new");
        browser.await("#f-name").sendKeys("bad scopes");
        browser.find("#f-scopes").sendKeys("reports:read NOT*A*SCOPE!");
        browser.find("#key-form button[type=submit]").click();
        WebElement error = browser.await("[data-field=scopes] .field-error");
        assertThat(error.getText()).contains("scopes[1]");
        assertThat(browser.find("#f-scopes").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find(".problem").getText()).contains("400").contains("invalid_request");
        assertThat(browser.all("[data-field=name] .field-error")).isEmpty();
    }

    @Test
    void hostileMetadata_isShownAsText_andRunsNothing() {
        JsonNode key = create(map("name", "hostile", "metadata", map("note", XSS, XSS, "x")));
        browser.signIn(ROOT);
        browser.route("#/keys/" + key.path("id").asText());
        WebElement table = browser.await("#metadata-table");
        assertThat(table.getText()).contains(XSS);
        assertThat(browser.all("#metadata-table img")).isEmpty();
        assertThat(browser.all("main img")).isEmpty();
        assertThat(browser.alertOpen()).isFalse();
    }

    @Test
    void hostileWebhookDescription_isShownAsText_andRunsNothing() {
        assumeTrue(endpointExists("/v1/webhook-configs"), "webhook configs have not landed on this server");
        Http.Res res = http.send("POST", "/v1/webhook-configs", ROOT,
                map("url", "https://hooks.example.com/latchkey", "description", XSS));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        browser.signIn(ROOT);
        browser.route("#/webhooks");
        browser.awaitText("#webhooks-table", XSS);
        assertThat(browser.all("main img")).isEmpty();
        browser.route("#/webhooks/" + res.json().path("id").asText());
        browser.awaitText("#webhook-fields", XSS);
        assertThat(browser.all("main img")).isEmpty();
        assertThat(browser.alertOpen()).isFalse();
    }
}
