package dev.latchkey.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.admin.AdminServer;
import dev.latchkey.client.api.KeysApi;
import dev.latchkey.client.api.VerifyApi;
import dev.latchkey.client.model.CreateKey;
import dev.latchkey.client.model.CreatedKey;
import dev.latchkey.client.model.Key;
import dev.latchkey.client.model.KeyList;
import dev.latchkey.client.model.Rotate;
import dev.latchkey.client.model.Rotated;
import dev.latchkey.client.model.StatusChange;
import dev.latchkey.client.model.VerifyRequest;
import dev.latchkey.client.model.VerifyResult;
import dev.latchkey.core.InMemoryKeyStore;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@code docs/openapi.json} as a client generator reads it: the Java client that openapi-generator
 * ({@code library=native}) made from it at build time creates, lists, rotates, blocks, verifies and deletes keys
 * on a running admin service (in-memory store), and reads a 404 problem as an {@link ApiException}.
 */
class GeneratedClientIT {

    private static final String ROOT = "root-for-generated-client";

    private static InMemoryKeyStore store;
    private static AdminServer server;
    private static KeysApi keys;
    private static VerifyApi verify;

    @BeforeAll
    static void start() {
        store = new InMemoryKeyStore();
        server = AdminServer.builder(store).port(0).adminToken(ROOT).build().start();
        ApiClient client = new ApiClient();
        // Grizzly and the JDK client's h2c upgrade do not mix (STACK.md): speak HTTP/1.1.
        client.setHttpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)));
        client.updateBaseUri(server.baseUri().toString());
        client.setReadTimeout(Duration.ofSeconds(30));
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + ROOT));
        keys = new KeysApi(client);
        verify = new VerifyApi(client);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void generatedClient_createsListsRotatesBlocksVerifiesAndDeletesAKey() throws ApiException {
        CreatedKey created = keys.createKey(new CreateKey().name("generated client").tenantId("gen")
                .scopes(List.of("reports:read")).environment(CreateKey.EnvironmentEnum.TEST), null);
        assertThat(created.getToken()).startsWith("lk_test_");
        assertThat(created.getStatus()).isEqualTo(CreatedKey.StatusEnum.ACTIVE);
        assertThat(created.getExpiresAt()).isNull();
        String id = created.getId();

        KeyList page = keys.listKeys(0L, 10L, "gen", null, null, null, null);
        assertThat(page.getTotal()).isEqualTo(1);
        assertThat(page.getKeys()).extracting(Key::getId).containsExactly(id);
        assertThat(page.getKeys().get(0).getHint()).doesNotContain(created.getToken());

        VerifyResult ok = verify.verifyToken(new VerifyRequest().token(created.getToken())
                .scopes(List.of("reports:read")), null);
        assertThat(ok.getValid()).isTrue();
        assertThat(ok.getKey().getId()).isEqualTo(id);

        Rotated rotated = keys.rotateKey(id, null, new Rotate().graceSeconds(60L));
        assertThat(rotated.getToken()).isNotEqualTo(created.getToken());
        assertThat(rotated.getKey().getPreviousTokenExpiresAt()).isNotNull();
        assertThat(verify.verifyToken(new VerifyRequest().token(created.getToken()), null).getValid()).isTrue();
        Rotated forced = keys.rotateKey(id, null, new Rotate().force(true));
        assertThat(verify.verifyToken(new VerifyRequest().token(rotated.getToken()), null).getCode())
                .isEqualTo(VerifyResult.CodeEnum.NOT_FOUND);

        Key blocked = keys.setKeyStatus(id, new StatusChange().status(StatusChange.StatusEnum.BLOCKED)
                .reason("leaked"), "\"" + forced.getKey().getVersion() + "\"", null);
        assertThat(blocked.getStatus()).isEqualTo(Key.StatusEnum.BLOCKED);
        assertThat(blocked.getStatusReason()).isEqualTo("leaked");
        VerifyResult refused = verify.verifyToken(new VerifyRequest().token(forced.getToken()), null);
        assertThat(refused.getValid()).isFalse();
        assertThat(refused.getCode()).isEqualTo(VerifyResult.CodeEnum.BLOCKED);

        keys.deleteKey(id, null);
        assertThatThrownBy(() -> keys.getKey(id, "client-it.404")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).isEqualTo(404);
            assertThat(e.getResponseBody()).contains("\"code\":\"key_not_found\"")
                    .contains("\"request_id\":\"client-it.404\"");
        });
        assertThat(keys.listKeys(null, null, "gen", null, null, null, null).getTotal()).isZero();
    }
}
