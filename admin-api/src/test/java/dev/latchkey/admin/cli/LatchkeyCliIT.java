package dev.latchkey.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.admin.AdminServer;
import dev.latchkey.core.InMemoryKeyStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tests for the {@code latchkey} command line, end to end against a real admin service on the in-memory store:
 * every command, {@code --json} read back with Jackson, and the exit codes for 404, 401, 409, 412, usage errors
 * and an unreachable service.
 */
class LatchkeyCliIT {

    private static final String ROOT = "root-for-cli-it";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static InMemoryKeyStore store;
    private static AdminServer server;

    @BeforeAll
    static void start() {
        store = new InMemoryKeyStore();
        server = AdminServer.builder(store).port(0).adminToken(ROOT).build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out + " / " + err, e);
            }
        }
    }

    private static Run cli(String stdin, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = LatchkeyCli.execute(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("LATCHKEY_ADMIN_URL", server.baseUri().toString());
        env.put("LATCHKEY_ADMIN_TOKEN", ROOT);
        return env;
    }

    private static Run cli(String... args) {
        return cli("", env(), args);
    }

    private static JsonNode create(String name, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "keys";
        args[1] = "create";
        args[2] = "--name";
        args[3] = name;
        System.arraycopy(more, 0, args, 4, more.length);
        String[] withJson = java.util.Arrays.copyOf(args, args.length + 1);
        withJson[args.length] = "--json";
        Run r = cli(withJson);
        assertThat(r.exit()).as(r.err()).isZero();
        return r.json();
    }

    private static boolean valid(String token) {
        Run r = cli(token + "\n", env(), "verify", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        return r.json().get("valid").asBoolean();
    }

    @Test
    void keysCreate_json_answersTheKeyAndItsToken_whichVerifies() {
        JsonNode key = create("cli create", "--scope", "reports:read", "--ip", "10.0.0.0/8=office",
                "--metadata", "team=billing", "--environment", "test");
        assertThat(key.get("name").asText()).isEqualTo("cli create");
        assertThat(key.get("environment").asText()).isEqualTo("test");
        assertThat(key.get("scopes").get(0).asText()).isEqualTo("reports:read");
        assertThat(key.at("/ip_restrictions/0/label").asText()).isEqualTo("office");
        assertThat(key.at("/metadata/team").asText()).isEqualTo("billing");
        String token = key.get("token").asText();
        Run v = cli(token + "\n", env(), "verify", "--json", "--ip", "10.1.2.3", "--scope", "reports:read");
        assertThat(v.json().get("valid").asBoolean()).isTrue();
        assertThat(v.json().at("/key/id").asText()).isEqualTo(key.get("id").asText());
        Run denied = cli(token + "\n", env(), "verify", "--ip", "192.0.2.1");
        assertThat(denied.exit()).isZero();
        assertThat(denied.out()).contains("not valid: ip_not_allowed");
    }

    @Test
    void keysCreate_table_printsTheTokenOnce_andNothingOnStandardError() {
        Run r = cli("keys", "create", "--name", "cli table", "--scope", "a:b");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("name:", "cli table", "shown this once").containsPattern("(?m)^token:  lk_");
        String token = r.out().lines().filter(l -> l.startsWith("token:")).findFirst().orElseThrow()
                .substring("token:".length()).strip();
        assertThat(r.out().split(java.util.regex.Pattern.quote(token), -1)).hasSize(2);
        assertThat(r.err()).isEmpty();
        assertThat(valid(token)).isTrue();
    }

    @Test
    void keysList_json_andTable_showTheKeysMasked() {
        JsonNode key = create("cli list", "--tenant", "acme");
        Run json = cli("keys", "list", "--tenant", "acme", "--json");
        assertThat(json.exit()).isZero();
        assertThat(json.json().get("total").asLong()).isEqualTo(1);
        assertThat(json.json().at("/keys/0/id").asText()).isEqualTo(key.get("id").asText());
        assertThat(json.out()).doesNotContain(key.get("token").asText());
        Run table = cli("keys", "list", "--tenant", "acme", "--limit", "5");
        assertThat(table.out()).startsWith("ID").contains("NAME", "HINT", key.get("id").asText(), "cli list",
                "keys 1-1 of 1");
        assertThat(cli("keys", "list", "--status", "bogus").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void keysGet_json_andTable_showOneKey() {
        JsonNode key = create("cli get");
        Run json = cli("keys", "get", key.get("id").asText(), "--json");
        assertThat(json.exit()).isZero();
        assertThat(json.json().get("name").asText()).isEqualTo("cli get");
        assertThat(json.json().has("token")).isFalse();
        assertThat(cli("keys", "get", key.get("id").asText()).out()).containsPattern("(?m)^name:\\s+cli get$");
    }

    @Test
    void keysUpdate_changesOnlyTheFieldsGiven_andAStaleIfMatchExits4() {
        JsonNode key = create("cli update", "--scope", "a:b", "--owner", "alice");
        String id = key.get("id").asText();
        Run r = cli("keys", "update", id, "--name", "renamed", "--metadata", "k=v", "--if-match",
                key.get("version").asText(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("name").asText()).isEqualTo("renamed");
        assertThat(r.json().get("owner_id").asText()).isEqualTo("alice");
        assertThat(r.json().at("/metadata/k").asText()).isEqualTo("v");
        assertThat(r.json().at("/scopes/0").asText()).isEqualTo("a:b");
        Run cleared = cli("keys", "update", id, "--no-owner", "--no-scopes", "--json");
        assertThat(cleared.json().get("owner_id").isNull()).isTrue();
        assertThat(cleared.json().get("scopes")).isEmpty();

        Run stale = cli("keys", "update", id, "--name", "again", "--if-match", key.get("version").asText());
        assertThat(stale.exit()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(stale.err()).contains("412 precondition_failed");
        assertThat(cli("keys", "update", id).exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void keysRotate_printsANewToken_andTheOldOneWorksUntilForced() {
        JsonNode key = create("cli rotate");
        String id = key.get("id").asText();
        String old = key.get("token").asText();
        Run r = cli("keys", "rotate", id, "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        String next = r.json().get("token").asText();
        assertThat(next).isNotEqualTo(old);
        assertThat(r.json().at("/key/previous_token_expires_at").isNull()).isFalse();
        assertThat(valid(old)).isTrue();
        assertThat(valid(next)).isTrue();

        Run forced = cli("keys", "rotate", id, "--force");
        assertThat(forced.exit()).isZero();
        assertThat(forced.out()).containsPattern("(?m)^token:  lk_");
        assertThat(valid(next)).isFalse();
    }

    @Test
    void keysStatus_andBlock_changeTheStatus_andABlockedKeyCannotRotate() {
        String id = create("cli status").get("id").asText();
        Run inactive = cli("keys", "status", id, "inactive", "--reason", "paused", "--json");
        assertThat(inactive.exit()).as(inactive.err()).isZero();
        assertThat(inactive.json().get("status").asText()).isEqualTo("inactive");
        assertThat(inactive.json().get("status_reason").asText()).isEqualTo("paused");

        Run blocked = cli("keys", "block", id, "--reason", "leaked", "--json");
        assertThat(blocked.json().get("status").asText()).isEqualTo("blocked");
        Run rotate = cli("keys", "rotate", id);
        assertThat(rotate.exit()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(rotate.err()).contains("409 conflict");
        Run rotateJson = cli("keys", "rotate", id, "--json");
        assertThat(rotateJson.json().get("code").asText()).isEqualTo("conflict");
    }

    @Test
    void keysReset_printsTheNewToken_andTheOldOneDiesAtOnce() {
        JsonNode key = create("cli reset");
        Run r = cli("keys", "reset", key.get("id").asText(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("job_name").asText()).isEqualTo("reset_key");
        assertThat(valid(key.get("token").asText())).isFalse();
        assertThat(valid(r.json().get("api_key").asText())).isTrue();
    }

    @Test
    void keysDelete_removesTheKey_andAGetAfterwardsExits2() {
        JsonNode key = create("cli delete");
        String id = key.get("id").asText();
        Run deleted = cli("keys", "delete", id);
        assertThat(deleted.exit()).isZero();
        assertThat(deleted.out()).contains("deleted " + id);
        Run get = cli("keys", "get", id);
        assertThat(get.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(get.err()).contains("404 key_not_found");
        Run getJson = cli("keys", "get", id, "--json");
        assertThat(getJson.json().get("status").asInt()).isEqualTo(404);
        assertThat(valid(key.get("token").asText())).isFalse();
    }

    @Test
    void aWrongAdminToken_exits3_andIsNotPrinted() {
        String wrong = "wrong-admin-token-" + System.nanoTime();
        Run r = cli("keys", "list", "--token", wrong);
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.err()).contains("401 unauthenticated").doesNotContain(wrong);
        assertThat(r.out()).doesNotContain(wrong);
        Map<String, String> noToken = env();
        noToken.remove("LATCHKEY_ADMIN_TOKEN");
        assertThat(cli("", noToken, "keys", "list").exit()).isEqualTo(ExitCodes.DENIED);
    }

    @Test
    void anUnreachableService_exits6() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = cli("keys", "list", "--url", "http://127.0.0.1:" + port);
        assertThat(r.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err()).contains("cannot reach the admin service at http://127.0.0.1:" + port);
    }

    @Test
    void usageErrors_exit1_withAHint() {
        Run unknown = cli("keys", "list", "--bogus");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("--bogus");
        assertThat(cli("keys", "create").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("keys").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli().exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("keys", "get", "x", "--url", "ftp://nowhere").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("", env(), "verify").exit()).isEqualTo(ExitCodes.USAGE);
        Run badBody = cli("keys", "create", "--name", "bad", "--scope", "NOT VALID");
        assertThat(badBody.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badBody.err()).contains("400 invalid_request", "scopes[0]");
    }

    @Test
    void help_andCompletion_printWhatTheyPromise() {
        Run help = cli("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("keys", "verify", "serve", "completion", "Exit codes");
        Run keysHelp = cli("keys", "rotate", "--help");
        assertThat(keysHelp.exit()).isZero();
        assertThat(keysHelp.out()).contains("--grace-seconds");
        Run completion = cli("completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("rotate").contains("--if-match");
    }
}
