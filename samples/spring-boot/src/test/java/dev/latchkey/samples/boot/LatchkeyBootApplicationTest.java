package dev.latchkey.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.samples.demo.DemoAppChecks;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Tests for the Spring Boot sample over real HTTP on a random port: keys issued by core's {@link KeyManager} on the
 * application's in-memory {@link KeyStore} bean, then 200 / 401 / 403 and the principal the controller sees.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "latchkey.redis-url=")
class LatchkeyBootApplicationTest {

    @LocalServerPort
    private int port;

    @Autowired
    private KeyStore store;

    private KeyManager keys;
    private URI app;

    @BeforeEach
    void setUp() {
        keys = new KeyManager(store, TokenCodec.defaults(), SecretHasher.forPepper(null), Clock.systemUTC(), Runnable::run);
        app = URI.create("http://127.0.0.1:" + port);
    }

    @Test
    void storeBean_isInMemory_withoutARedisUrl() {
        assertThat(store).isInstanceOf(InMemoryKeyStore.class);
    }

    @Test
    void keysFromKeyManager_protectTheController() {
        DemoAppChecks.IssuedKey reader = issue("boot reader", "acme", "reports:read");
        DemoAppChecks.IssuedKey writer = issue("boot writer", "acme", "reports:read", "reports:write");
        DemoAppChecks.checkApp(app, reader, writer, "acme");
    }

    @Test
    void deletedKey_isRefusedAtOnce() {
        DemoAppChecks.IssuedKey key = issue("boot short-lived", "default");
        DemoAppChecks.assertHello(app, key.token(), key.id(), "default");

        keys.delete(Actor.ROOT, key.id());

        assertThat(DemoAppChecks.get(app, "/hello", key.token()).status()).isEqualTo(401);
    }

    @Test
    void badTitle_isAProblem() {
        DemoAppChecks.IssuedKey writer = issue("boot writer", "default", "reports:write");
        DemoAppChecks.Answer answer = DemoAppChecks.call(app, "POST", "/reports", "{\"title\":42}",
                "Authorization", "Bearer " + writer.token(), "Content-Type", "application/json");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    }

    private DemoAppChecks.IssuedKey issue(String name, String tenant, String... scopes) {
        IssuedKey issued = keys.create(Actor.ROOT,
                CreateKeyRequest.named(name).withTenant(tenant).withScopes(List.of(scopes)));
        return new DemoAppChecks.IssuedKey(issued.key().id(), issued.token());
    }
}
