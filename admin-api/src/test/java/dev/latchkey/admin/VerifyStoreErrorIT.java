package dev.latchkey.admin;

import static dev.latchkey.admin.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.KeyStore;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@code POST /v1/verify} while Redis is unreachable (API.md §8 "Store unreachable"): the admin service
 * reads {@code LATCHKEY_RATE_LIMIT_ON_STORE_ERROR} as the filter and the gateway read theirs, and a verification the
 * setting admits answers {@code valid} (its key answer must not need the store either), while {@code closed} and a
 * quota under {@code local} answer 503. Redis is this class's own process, stopped and restarted by each test.
 */
@WithRedis(isolated = true)
class VerifyStoreErrorIT {

    private static final String ROOT = "verify-store-error-root";

    private final RedisServer redis;

    VerifyStoreErrorIT(RedisServer redis) {
        this.redis = redis;
    }

    /** Creates a key with {@code limits}, verifies it once (so the key is cached), stops Redis and verifies again. */
    private Http.Res verifyWhileRedisIsDown(String mode, Map<String, Object> limits) {
        AdminSettings settings = AdminSettings.fromEnvironment(Map.of("LATCHKEY_REDIS_URL", redis.uri(),
                "LATCHKEY_ADMIN_TOKEN", ROOT, "LATCHKEY_PORT", "0", "LATCHKEY_RATE_LIMIT_ON_STORE_ERROR", mode));
        try (KeyStore store = settings.openStore(); AdminServer server = settings.serverBuilder(store).build().start()) {
            Http http = new Http(server.baseUri());
            Map<String, Object> body = new java.util.LinkedHashMap<>(limits);
            body.put("name", "metered");
            body.put("tenant_id", "store-error");
            Http.Res created = http.send("POST", "/v1/keys", ROOT, body);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String token = created.json().get("token").asText();
            Http.Res warm = http.send("POST", "/v1/verify", ROOT, map("token", token));
            assertThat(warm.json().get("valid").asBoolean()).as(warm.toString()).isTrue();
            redis.stop();
            try {
                return http.send("POST", "/v1/verify", ROOT, map("token", token));
            } finally {
                redis.start();
            }
        }
    }

    @Test
    void local_rateLimitedKey_isJudgedFromThisNodesMemory_andAnsweredValid() {
        Http.Res r = verifyWhileRedisIsDown("local", map("rate_limit", map("limit", 5, "period_seconds", 60)));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("valid").asBoolean()).as(r.toString()).isTrue();
        assertThat(j.get("key").get("rate_limit").get("limit").asLong()).isEqualTo(5);
    }

    @Test
    void open_keyWithAQuota_isAdmitted() {
        Http.Res r = verifyWhileRedisIsDown("open", map("quota", map("limit", 10, "period", "day")));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("valid").asBoolean()).as(r.toString()).isTrue();
    }

    @Test
    void closed_rateLimitedKey_is503StoreUnavailable() {
        Http.Res r = verifyWhileRedisIsDown("closed", map("rate_limit", map("limit", 5, "period_seconds", 60)));

        assertThat(r.status()).as(r.toString()).isEqualTo(503);
        assertThat(r.json().get("code").asText()).isEqualTo("store_unavailable");
        assertThat(r.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void local_keyWithAQuota_is503StoreUnavailable() {
        Http.Res r = verifyWhileRedisIsDown("local", map("quota", map("limit", 10, "period", "day")));

        assertThat(r.status()).as(r.toString()).isEqualTo(503);
        assertThat(r.json().get("code").asText()).isEqualTo("store_unavailable");
    }
}
