package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.latchkey.admin.webhooks.WebhookSettings;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.WebhookConfig;
import dev.latchkey.core.WebhookEvent;
import dev.latchkey.redis.RedisKeyStore;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of webhook delivery across admin nodes on one Redis (API.md §10): several nodes send each event once, and
 * an event whose change committed just before its admin process was killed ({@code kill -9}, a separate JVM) is
 * still delivered once a node runs again. Slow (a dead node's stream entries are taken over after 30 s): tagged
 * {@code webhooks} so it can run alone with {@code -Dgroups=webhooks}.
 */
@WithRedis
@Tag("webhooks")
class WebhookNodesIT {

    private static final String ROOT = "root-for-webhook-nodes-it";

    private static WebhookConfig defaultConfig(KeyStore store, String tenant, String url) {
        Instant now = Instant.now();
        WebhookConfig c = new WebhookConfig(Ids.next(), tenant, url, List.of(WebhookEvent.KEY_CREATED), null, true,
                now, now, WebhookConfig.newSecret(), null, null, 1);
        store.webhookConfigs().create(c);
        TenantDefaults d = store.tenantDefaults(tenant);
        store.replaceTenantDefaults(new TenantDefaults(tenant, null, null, c.id(), null, d.version() + 1, now),
                d.version());
        return c;
    }

    @Test
    void twoAdminNodes_sendEachEventOnce(RedisServer redis) throws Exception {
        String prefix = redis.uniqueKeyPrefix();
        List<KeyStore> stores = new ArrayList<>();
        List<AdminServer> nodes = new ArrayList<>();
        try (Receiver receiver = new Receiver()) {
            for (int i = 0; i < 2; i++) {
                KeyStore s = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix)
                        .commandTimeout(Duration.ofSeconds(5)).build();
                stores.add(s);
                nodes.add(AdminServer.builder(s).port(0).adminToken(ROOT).shutdownGrace(Duration.ofSeconds(1))
                        .webhooks(WebhookSettings.defaults().withAllowPrivate(true)).build().start());
            }
            String tenant = "nodes-" + System.nanoTime();
            WebhookConfig c = defaultConfig(stores.get(0), tenant, receiver.url());
            int keys = 40;
            for (int i = 0; i < keys; i++) {
                Http http = new Http(nodes.get(i % 2).baseUri());
                assertThat(http.send("POST", "/v1/keys", ROOT, map("name", "k" + i, "tenant_id", tenant)).status())
                        .isEqualTo(201);
            }
            Http first = new Http(nodes.get(0).baseUri());
            await().atMost(Receiver.patience()).until(() -> first.send("GET", "/v1/webhook-configs/" + c.id()
                    + "/deliveries?status=delivered&limit=500", ROOT, null).json().get("total").asLong() == keys);

            Set<String> ids = new HashSet<>();
            receiver.requests().forEach(r -> ids.add(r.header("webhook-id")));
            assertThat(ids).hasSize(keys);
            assertThat(receiver.requests()).hasSize(keys);
            first.send("GET", "/v1/webhook-configs/" + c.id() + "/deliveries?limit=500", ROOT, null).json()
                    .get("deliveries").forEach(d -> assertThat(d.get("attempts").asInt()).isEqualTo(1));
        } finally {
            nodes.forEach(AdminServer::close);
            stores.forEach(KeyStore::close);
        }
    }

    private static Process adminProcess(String redisUrl, Path err) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AdminMain.class.getName()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LATCHKEY_"));
        pb.environment().put("LATCHKEY_PORT", "0");
        pb.environment().put("LATCHKEY_REDIS_URL", redisUrl);
        pb.environment().put("LATCHKEY_ADMIN_TOKEN", ROOT);
        pb.environment().put("LATCHKEY_WEBHOOK_ALLOW_PRIVATE", "true");
        return pb.start();
    }

    private static Http listening(Process p, Path err) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as(() -> err.toFile().exists() ? readQuietly(err) : "").startsWith("listening on ");
        return new Http(URI.create(line.substring("listening on ".length())));
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void killedAdminProcess_rightAfterACommittedChange_stillDeliversItsEvent_afterRestart(RedisServer redis,
            @TempDir Path dir) throws Exception {
        String url = redis.uri(9);
        try (Receiver receiver = new Receiver();
                KeyStore store = RedisKeyStore.builder().uri(url).commandTimeout(Duration.ofSeconds(5)).build()) {
            String tenant = "killed-" + System.nanoTime();
            defaultConfig(store, tenant, receiver.url());

            Process first = adminProcess(url, dir.resolve("first.txt"));
            String id;
            try {
                Http http = listening(first, dir.resolve("first.txt"));
                Http.Res created = http.send("POST", "/v1/keys", ROOT, map("name", "doomed", "tenant_id", tenant));
                assertThat(created.status()).isEqualTo(201);
                id = created.json().get("id").asText();
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
                assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }

            Process second = adminProcess(url, dir.resolve("second.txt"));
            try {
                listening(second, dir.resolve("second.txt"));
                await().atMost(Duration.ofSeconds(90)).until(() -> receiver.requests().stream()
                        .anyMatch(r -> r.body().contains(id) && r.body().contains("key.created")));
                assertThat(receiver.requests().stream().filter(r -> r.body().contains(id))
                        .map(r -> r.header("webhook-id")).distinct()).hasSize(1);
            } finally {
                second.destroy();
                second.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }
}
