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

    @Test
    void list_filtersAndPages_2000Keys_eachPageWithItsOwnUrl() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<JsonNode>> made = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int n = i;
                made.add(pool.submit(() -> create(map("name", "paged " + n, "tenant_id", "paging",
                        "environment", n % 4 == 0 ? "test" : "live", "type", n % 5 == 0 ? "trial" : "standard"))));
            }
            for (Future<JsonNode> f : made) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        browser.signIn(ROOT);
        browser.route("#/keys");
        browser.await("#f-tenant_id").sendKeys("paging");
        browser.find("#f-status").click();
        new Select(browser.find("#f-environment")).selectByValue("test");
        browser.find(".filters button[type=submit]").click();
        browser.awaitText("#keys-count", "500 keys");
        assertThat(browser.find("#page-of").getText()).isEqualTo("Page 1 of 25");

        browser.find(".pager button:nth-of-type(2)").click(); // Next
        browser.awaitText("#page-of", "Page 2 of 25");
        assertThat(browser.driver().getCurrentUrl()).contains("tenant_id=paging").contains("environment=test")
                .contains("offset=20");
        List<String> shown = browser.all("#keys-table tbody tr td:nth-child(2)").stream().map(WebElement::getText)
                .toList();
        JsonNode page2 = http.send("GET", "/v1/keys?tenant_id=paging&environment=test&offset=20&limit=20", ROOT,
                null).json();
        List<String> expected = new ArrayList<>();
        page2.path("keys").forEach(k -> expected.add(k.path("id").asText()));
        assertThat(shown).hasSize(20).isEqualTo(expected);
        assertThat(browser.all("#keys-table tbody tr td:nth-child(4)")).allSatisfy(td ->
                assertThat(td.getText()).isEqualTo("test"));

        String page2Url = browser.driver().getCurrentUrl();
        browser.driver().get(page2Url);
        browser.reload();
        browser.awaitText("#page-of", "Page 2 of 25");

        WebElement go = browser.find("#f-page");
        go.clear();
        go.sendKeys("25");
        browser.find(".pager button[type=submit]").click();
        browser.awaitText("#page-of", "Page 25 of 25");
        assertThat(browser.all("#keys-table tbody tr")).hasSize(20);
        assertThat(browser.find("#keys-count").getText()).contains("481–500");

        new Select(browser.find("#f-type")).selectByValue("trial");
        browser.find(".filters button[type=submit]").click();
        browser.awaitText("#keys-count", "100 keys"); // every 20th key is test and trial
    }

    @Test
    void goToKey_byId_opensItsPage() {
        JsonNode key = create(map("name", "findable"));
        browser.signIn(ROOT);
        browser.find("#f-key_id").sendKeys(key.path("id").asText());
        browser.find(".goto button").click();
        browser.awaitText("h1", "findable");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/keys/" + key.path("id").asText());
    }

    @Test
    void keyPage_showsEveryFieldOfTheKeyAnswer_andEffectiveLimits() {
        JsonNode key = create(map("name", "every field", "scopes", List.of("reports:read", "reports:write"),
                "ip_restrictions", List.of(map("value", "203.0.113.0/24", "label", "office")),
                "rate_limit", map("limit", 100, "period_seconds", 60),
                "quota", map("limit", 5000, "period", "month")));
        browser.signIn(ROOT);
        browser.route("#/keys/" + key.path("id").asText());
        browser.await("#key-fields");
        List<String> shown = browser.all("#key-fields dt").stream().map(WebElement::getText).toList();
        List<String> expected = new ArrayList<>();
        key.fieldNames().forEachRemaining(expected::add);
        expected.removeAll(List.of("token", "rate_limit", "quota", "webhook_config", "storage_config", "effective"));
        assertThat(shown).containsAll(expected);
        String limits = browser.find("#limits-table").getText();
        assertThat(limits).contains("100 per 60 s").contains("5000 per month").contains("5000 left");
        assertThat(browser.find("#key-fields").getText()).contains("203.0.113.0/24").contains("office")
                .contains("reports:write");
    }

    @Test
    void rotate_withAGraceWindow_showsBothExpiries_andBothTokensWork() {
        Instant expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        JsonNode key = create(map("name", "rotating", "expires_at", expires.toString()));
        browser.signIn(ROOT);
        browser.route("#/keys/" + key.path("id").asText());
        new Select(browser.await("#f-force")).selectByValue("custom");
        WebElement amount = browser.await("#f-grace_seconds");
        amount.clear();
        amount.sendKeys("2");
        new Select(browser.find("#f-unit")).selectByValue("3600");
        browser.find("[aria-labelledby=rotate-h] button[type=submit]").click();
        String newToken = browser.await("#secret-value").getAttribute("value");

        JsonNode after = http.send("GET", "/v1/keys/" + key.path("id").asText(), ROOT, null).json();
        Instant oldExpiry = Instant.parse(after.path("previous_token_expires_at").asText());
        assertThat(Duration.between(Instant.now(), oldExpiry)).isBetween(Duration.ofMinutes(110),
                Duration.ofMinutes(121));
        assertThat(browser.find("#old-expiry").getText()).isEqualTo(human(oldExpiry));
        assertThat(browser.find("#new-expiry").getText()).isEqualTo(human(expires));
        assertThat(verify(key.path("token").asText()).path("valid").asBoolean()).isTrue();
        assertThat(verify(newToken).path("valid").asBoolean()).isTrue();
    }

    private static String human(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString().replace("T", " ").replace("Z", " UTC");
    }

    private JsonNode verify(String token) {
        return http.send("POST", "/v1/verify", ROOT, map("token", token)).json();
    }

    @Test
    void deactivate_thenTheKeyIsDenied_andActivateBringsItBack() {
        JsonNode key = create(map("name", "switch"));
        String token = key.path("token").asText();
        browser.signIn(ROOT);
        browser.route("#/keys/" + key.path("id").asText());
        browser.await("#key-status");
        clickButton("Deactivate");
        browser.awaitText("#key-status", "inactive");
        assertThat(verify(token).path("code").asText()).isEqualTo("inactive");
        clickButton("Activate");
        browser.awaitText("#key-status", "active");
        assertThat(verify(token).path("valid").asBoolean()).isTrue();
    }

    @Test
    void block_withAReason_andUnblock_asRoot() {
        JsonNode key = create(map("name", "suspicious"));
        String token = key.path("token").asText();
        browser.signIn(ROOT);
        browser.route("#/keys/" + key.path("id").asText());
        browser.await("#f-reason").sendKeys("leaked in a public repository");
        clickButton("Block");
        browser.awaitText("#key-status", "blocked");
        assertThat(browser.find("[data-key-field=status_reason]").getText())
                .contains("leaked in a public repository");
        assertThat(verify(token).path("code").asText()).isEqualTo("blocked");
        clickButton("Unblock");
        browser.awaitText("#key-status", "active");
        assertThat(verify(token).path("valid").asBoolean()).isTrue();
    }

    private void clickButton(String text) {
        browser.await("main");
        for (WebElement b : browser.all("main button")) {
            if (b.getText().equals(text)) {
                b.click();
                return;
            }
        }
        throw new AssertionError("no button " + text);
    }

    @Test
    void reset_showsTheJobsProgress_toSuccess() {
        JsonNode key = create(map("name", "resettable"));
        browser.signIn(ROOT);
        browser.route("#/keys/" + key.path("id").asText());
        browser.await("[aria-labelledby=reset-h] button").click();
        browser.awaitText("#job-status", "success");
        String newToken = browser.find("#secret-value").getAttribute("value");
        assertThat(verify(newToken).path("valid").asBoolean()).isTrue();
        assertThat(verify(key.path("token").asText()).path("valid").asBoolean()).isFalse();
    }

    @Test
    void delete_needsTheTypedName() {
        JsonNode key = create(map("name", "doomed"));
        browser.signIn(ROOT);
        browser.route("#/keys/" + key.path("id").asText());
        WebElement confirm = browser.await("#f-confirm");
        WebElement delete = browser.find("[aria-labelledby=delete-h] button");
        confirm.sendKeys("doome");
        assertThat(delete.isEnabled()).isFalse();
        confirm.sendKeys("d");
        assertThat(delete.isEnabled()).isTrue();
        delete.click();
        browser.await("#keys-count");
        assertThat(http.send("GET", "/v1/keys/" + key.path("id").asText(), ROOT, null).status()).isEqualTo(404);
    }

    @Test
    void edit_patchesOnlyWhatChanged() {
        JsonNode key = create(map("name", "editable", "scopes", List.of("a:read")));
        browser.signIn(ROOT);
        browser.route("#/keys/" + key.path("id").asText() + "/edit");
        WebElement scopes = browser.await("#f-scopes");
        scopes.clear();
        scopes.sendKeys("a:read b:write");
        browser.find("#key-form button[type=submit]").click();
        browser.await("#key-fields");
        JsonNode after = http.send("GET", "/v1/keys/" + key.path("id").asText(), ROOT, null).json();
        assertThat(after.path("scopes").toString()).isEqualTo("[\"a:read\",\"b:write\"]");
        assertThat(after.path("name").asText()).isEqualTo("editable");
    }

    @Test
    void tenantAdmin_seesNoOtherTenantsKey_byListOrByUrl_andIsToldWhyItCannotBlock() {
        String admin = create(map("name", "acme admin", "tenant_id", "acme",
                "scopes", List.of("latchkey:tenant-admin"))).path("token").asText();
        JsonNode own = create(map("name", "acme key", "tenant_id", "acme"));
        JsonNode other = create(map("name", "globex secret key", "tenant_id", "globex"));
        browser.signIn(admin);
        assertThat(browser.all("#f-tenant_id")).isEmpty();
        assertThat(browser.all("#keys-table tbody td:nth-child(3)")).isNotEmpty().allSatisfy(td ->
                assertThat(td.getText()).isEqualTo("acme"));
        assertThat(browser.find("main").getText()).doesNotContain("globex");

        browser.route("#/keys/" + other.path("id").asText());
        browser.awaitText("h1", "No such key");
        assertThat(browser.find("main").getText()).doesNotContain("globex secret key");

        browser.route("#/keys?tenant_id=globex");
        browser.awaitText(".problem", "403");

        browser.route("#/keys/" + own.path("id").asText());
        browser.awaitText("h1", "acme key");
        assertThat(browser.all("main button").stream().filter(b -> b.getText().equals("Block")).findFirst()
                .orElseThrow().isEnabled()).isFalse();
        assertThat(browser.find("#block-why").getText()).contains("tenant admin").contains("acme");
    }

    @Test
    void usage_whenTheServerHasNoHistory_saysSo() {
        JsonNode key = create(map("name", "no history"));
        assumeTrue(!endpointExists("/v1/keys/" + key.path("id").asText() + "/usage"),
                "this server has usage history: usage_chart covers it");
        browser.signIn(ROOT);
        browser.route("#/keys/" + key.path("id").asText());
        browser.awaitText("#usage-absent", "not available on this server");
    }

    @Test
    void usage_chart_showsValidDeniedAndRateLimited() {
        JsonNode key = create(map("name", "busy"));
        String id = key.path("id").asText();
        assumeTrue(endpointExists("/v1/keys/" + id + "/usage"), "usage history has not landed on this server");
        verify(key.path("token").asText());
        verify(key.path("token").asText());
        browser.signIn(ROOT);
        browser.route("#/keys/" + id);
        browser.await("#usage-chart canvas");
        assertThat(browser.find("#usage-chart").getAttribute("aria-label")).contains("valid");
        browser.find("[data-range=day]").click();
        browser.await("#usage-chart canvas");
        browser.find("[data-range=month]").click();
        browser.await("#usage-chart canvas");
        assertThat(browser.all("#usage-table tbody tr")).isNotEmpty();
    }

    @Test
    void webhooks_whenTheServerHasNone_saysSo() {
        assumeTrue(!endpointExists("/v1/webhook-configs"), "this server has webhook configs");
        browser.signIn(ROOT);
        browser.route("#/webhooks");
        browser.awaitText("#webhooks-absent", "not available on this server");
    }

    @Test
    void tenantDefaults_areShownAndSaved() {
        browser.signIn(ROOT);
        browser.route("#/defaults/shop");
        WebElement rate = browser.await("#f-rate_limit");
        rate.sendKeys("250");
        browser.find("#defaults-form button[type=submit]").click();
        browser.awaitText("#defaults-form", "Version 1");
        JsonNode d = http.send("GET", "/v1/tenants/shop/defaults", ROOT, null).json();
        assertThat(d.path("rate_limit").path("limit").asInt()).isEqualTo(250);
    }

    /** axe-core on every page: no serious or critical violation. Also keeps screenshots of the main pages. */
    @Test
    void everyPage_hasNoSeriousAccessibilityViolations() {
        JsonNode key = create(map("name", "accessible", "scopes", List.of("reports:read"),
                "metadata", map("team", "billing"), "rate_limit", map("limit", 100, "period_seconds", 60)));
        String id = key.path("id").asText();
        Path shots = Path.of(System.getProperty("latchkey.console.screenshots", "target/console-screenshots"));
        List<String> problems = new ArrayList<>();
        browser.open("#/signin");
        browser.await("#f-token");
        problems.addAll(check("sign-in"));
        browser.screenshot(shots.resolve("sign-in.png"));

        browser.signIn(ROOT);
        problems.addAll(check("keys"));
        browser.screenshot(shots.resolve("keys.png"));

        browser.route("#/keys/" + id);
        browser.await("#key-fields");
        browser.await("#usage-body > *:not(p:only-child), #usage-absent");
        problems.addAll(check("key"));
        browser.screenshot(shots.resolve("key.png"));

        browser.route("#/keys/" + id + "/edit");
        browser.await("#key-form");
        problems.addAll(check("edit"));

        browser.route("#/keys/new");
        browser.await("#f-name").sendKeys("accessible errors");
        browser.find("#f-scopes").sendKeys("BAD!");
        browser.find("#key-form button[type=submit]").click();
        browser.await(".field-error");
        problems.addAll(check("create with a field error"));
        browser.screenshot(shots.resolve("field-error.png"));
        WebElement scopes = browser.find("#f-scopes");
        scopes.clear();
        browser.find("#key-form button[type=submit]").click();
        browser.await("#secret-value");
        problems.addAll(check("created key with its token"));
        browser.screenshot(shots.resolve("created.png"));

        browser.route("#/defaults/default");
        browser.await("#defaults-form");
        problems.addAll(check("tenant defaults"));

        browser.route("#/webhooks");
        browser.await("#webhooks-body > *:not(p:only-child), #webhooks-absent");
        problems.addAll(check("webhooks"));

        browser.route("#/no/such/page");
        browser.awaitText("h1", "Not found");
        problems.addAll(check("not found"));
        assertThat(problems).isEmpty();
    }

    private List<String> check(String page) {
        return browser.seriousAccessibilityViolations().stream().map(v -> page + ": " + v).toList();
    }

    @Test
    void webhookConfig_create_showsTheSecretOnce_andItsDeliveries() {
        assumeTrue(endpointExists("/v1/webhook-configs"), "webhook configs have not landed on this server");
        browser.signIn(ROOT);
        browser.route("#/webhooks");
        browser.await("#f-url").sendKeys("https://hooks.example.com/console");
        WebElement events = browser.find("#f-events");
        events.clear();
        events.sendKeys("key.created key.deleted");
        browser.find("#f-description").sendKeys("console test");
        browser.find("#webhook-create button[type=submit]").click();
        String secret = browser.await("#secret-value").getAttribute("value");
        assertThat(secret).startsWith("whsec_");
        browser.await("#deliveries");
        browser.reload();
        browser.await("#webhook-fields");
        assertThat(browser.all("#secret-value")).isEmpty();
        assertThat(browser.find("main").getText()).doesNotContain(secret);
        assertThat(browser.find("#webhook-fields").getText()).contains("key.created key.deleted");
    }

    @Test
    void webhookConfig_badUrl_isShownNextToTheUrlField() {
        assumeTrue(endpointExists("/v1/webhook-configs"), "webhook configs have not landed on this server");
        browser.signIn(ROOT);
        browser.route("#/webhooks");
        browser.await("#f-url").sendKeys("ftp://example.com/");
        browser.find("#webhook-create button[type=submit]").click();
        browser.await("[data-field=url] .field-error");
        assertThat(browser.find("#f-url").getAttribute("aria-invalid")).isEqualTo("true");
    }
}
