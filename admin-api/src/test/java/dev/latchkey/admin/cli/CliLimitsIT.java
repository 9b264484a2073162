package dev.latchkey.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.admin.AdminServer;
import dev.latchkey.core.InMemoryKeyStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tests for the limit commands of the {@code latchkey} command line (API.md §8, §9), end to end against a real admin
 * service on the in-memory store: {@code keys create|update --rate-limit|--quota}, {@code keys get}'s limit lines,
 * {@code keys credits} and {@code tenants defaults get|set}, with {@code --json} read back and the exit codes for a
 * tenant admin (3), bad values (1), a stale {@code --if-match} (4) and credits below zero (4).
 */
class CliLimitsIT {

    private static final String ROOT = "root-for-cli-limits-it";
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

    private static Run cliAs(String token, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("LATCHKEY_ADMIN_URL", server.baseUri().toString());
        env.put("LATCHKEY_ADMIN_TOKEN", token);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = LatchkeyCli.execute(args, env, new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run cli(String... args) {
        return cliAs(ROOT, args);
    }

    private static JsonNode ok(String... args) {
        List<String> withJson = new ArrayList<>(List.of(args));
        withJson.add("--json");
        Run r = cli(withJson.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.json();
    }

    private static JsonNode create(String name, String... more) {
        List<String> args = new ArrayList<>(List.of("keys", "create", "--name", name));
        args.addAll(List.of(more));
        return ok(args.toArray(String[]::new));
    }

    @Test
    void keysCreate_withRateLimitAndQuota_setsThem_andGetShowsThemWithWhatApplies() {
        JsonNode key = create("limits create", "--rate-limit", "100/60", "--quota", "500/none/200");
        assertThat(key.at("/rate_limit/limit").asLong()).isEqualTo(100);
        assertThat(key.at("/rate_limit/period_seconds").asLong()).isEqualTo(60);
        assertThat(key.at("/quota/limit").asLong()).isEqualTo(500);
        assertThat(key.at("/quota/period").asText()).isEqualTo("none");
        assertThat(key.at("/quota/remaining").asLong()).isEqualTo(200);
        assertThat(key.at("/effective/quota/remaining").asLong()).isEqualTo(200);

        Run table = cli("keys", "get", key.get("id").asText());
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).containsPattern("(?m)^rate_limit:\\s+100/60s$")
                .containsPattern("(?m)^quota:\\s+500/none \\(200 left\\)$")
                .containsPattern("(?m)^effective\\.rate_limit:\\s+100/60s$")
                .containsPattern("(?m)^effective\\.quota:\\s+500/none \\(200 left\\)$")
                .containsPattern("(?m)^effective\\.webhook_config:\\s+-$");
    }

    @Test
    void keysUpdate_replacesTheLimitsWhole_andTheNoOptionsClearThem() {
        String id = create("limits update", "--rate-limit", "100/60", "--quota", "1000/day/10").get("id").asText();
        JsonNode changed = ok("keys", "update", id, "--rate-limit", "10/1h", "--quota", "50/month");
        assertThat(changed.at("/rate_limit/limit").asLong()).isEqualTo(10);
        assertThat(changed.at("/rate_limit/period_seconds").asLong()).isEqualTo(3600);
        assertThat(changed.at("/quota/limit").asLong()).isEqualTo(50);
        assertThat(changed.at("/quota/period").asText()).isEqualTo("month");
        assertThat(changed.at("/quota/remaining").asLong()).as("the balance kept, capped at the limit").isEqualTo(10);

        JsonNode cleared = ok("keys", "update", id, "--no-rate-limit", "--no-quota");
        assertThat(cleared.get("rate_limit").isNull()).isTrue();
        assertThat(cleared.get("quota").isNull()).isTrue();
        assertThat(cleared.at("/effective/rate_limit").isNull()).isTrue();

        Run both = cli("keys", "update", id, "--quota", "5/day", "--no-quota");
        assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("--quota and --no-quota exclude each other");
    }

    @Test
    void keysCredits_incrementDecrementAndSet_changeTheBalance_andBelowZeroExits4() {
        JsonNode key = create("limits credits", "--quota", "100/none/10");
        String id = key.get("id").asText();
        assertThat(ok("keys", "credits", id, "increment", "5").get("remaining").asLong()).isEqualTo(15);
        assertThat(ok("keys", "credits", id, "decrement", "3").get("remaining").asLong()).isEqualTo(12);

        Run below = cli("keys", "credits", id, "decrement", "13");
        assertThat(below.exit()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(below.err()).contains("409 conflict");
        Run belowJson = cli("keys", "credits", id, "decrement", "13", "--json");
        assertThat(belowJson.json().get("status").asInt()).isEqualTo(409);

        Run set = cli("keys", "credits", id, "set", "0");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).containsPattern("(?m)^remaining:\\s+0$").containsPattern("(?m)^refills_at:\\s+-$");
        JsonNode after = ok("keys", "get", id);
        assertThat(after.at("/effective/quota/remaining").asLong()).isZero();
        assertThat(after.get("version").asLong()).as("credits leave the version alone")
                .isEqualTo(key.get("version").asLong());

        String noQuota = create("limits no quota").get("id").asText();
        assertThat(cli("keys", "credits", noQuota, "increment", "1").exit()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(cli("keys", "credits", "k_missing", "increment", "1").exit()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void tenantsDefaultsGet_answersNothingSetAtVersion0_asJsonAndTable() {
        JsonNode d = ok("tenants", "defaults", "get", "fresh-tenant");
        assertThat(d.get("tenant_id").asText()).isEqualTo("fresh-tenant");
        assertThat(d.get("version").asLong()).isZero();
        assertThat(d.get("rate_limit").isNull()).isTrue();
        assertThat(d.get("quota").isNull()).isTrue();
        Run table = cli("tenants", "defaults", "get", "fresh-tenant");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).startsWith("FIELD").containsPattern("(?m)^rate_limit\\s+-$")
                .containsPattern("(?m)^version\\s+0$");
    }

    @Test
    void tenantsDefaultsSet_changesOnlyWhatIsGiven_andKeysInheritIt() {
        JsonNode rate = ok("tenants", "defaults", "set", "inherit-tenant", "--rate-limit", "50/60");
        assertThat(rate.at("/rate_limit/limit").asLong()).isEqualTo(50);
        assertThat(rate.get("quota").isNull()).isTrue();
        assertThat(rate.get("webhook_config").isNull()).isTrue();
        JsonNode both = ok("tenants", "defaults", "set", "inherit-tenant", "--quota", "1000/month");
        assertThat(both.at("/rate_limit/limit").asLong()).as("kept").isEqualTo(50);
        assertThat(both.at("/rate_limit/period_seconds").asLong()).isEqualTo(60);
        assertThat(both.at("/quota/limit").asLong()).isEqualTo(1000);
        assertThat(both.at("/quota/period").asText()).isEqualTo("month");
        assertThat(both.get("version").asLong()).isEqualTo(rate.get("version").asLong() + 1);

        JsonNode key = create("limits inherit", "--tenant", "inherit-tenant");
        assertThat(key.get("rate_limit").isNull()).isTrue();
        assertThat(key.at("/effective/rate_limit/limit").asLong()).isEqualTo(50);
        assertThat(key.at("/effective/quota/remaining").asLong()).isEqualTo(1000);

        Run table = cli("tenants", "defaults", "set", "inherit-tenant", "--no-rate-limit", "--no-quota");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).containsPattern("(?m)^rate_limit\\s+-$").containsPattern("(?m)^quota\\s+-$");
        assertThat(ok("keys", "get", key.get("id").asText()).at("/effective/rate_limit").isNull()).isTrue();
    }

    @Test
    void tenantsDefaultsSet_withAStaleIfMatch_exits4_andChangesNothing() {
        JsonNode first = ok("tenants", "defaults", "set", "stale-tenant", "--rate-limit", "10/60");
        ok("tenants", "defaults", "set", "stale-tenant", "--rate-limit", "20/60", "--if-match",
                first.get("version").asText());
        Run stale = cli("tenants", "defaults", "set", "stale-tenant", "--rate-limit", "30/60", "--if-match",
                first.get("version").asText());
        assertThat(stale.exit()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(stale.err()).contains("412 precondition_failed");
        assertThat(ok("tenants", "defaults", "get", "stale-tenant").at("/rate_limit/limit").asLong()).isEqualTo(20);
    }

    @Test
    void tenantsDefaultsSet_whenTheDefaultsChangeBetweenItsReadAndItsWrite_exits4_andKeepsTheOtherChange()
            throws IOException {
        ok("tenants", "defaults", "set", "race-tenant", "--rate-limit", "10/60");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger raced = new AtomicInteger();
        // Forwards to the real service; right after the CLI's read, another admin changes the defaults.
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            HttpResponse<byte[]> answer = forward(http, exchange);
            if (exchange.getRequestMethod().equals("GET") && raced.get() == 0) {
                HttpResponse<String> other = send(http, HttpRequest.newBuilder(
                        server.baseUri().resolve("/v1/tenants/race-tenant/defaults")).PUT(HttpRequest.BodyPublishers
                        .ofString("{\"rate_limit\":{\"limit\":77,\"period_seconds\":60},\"quota\":null,"
                                + "\"webhook_config\":null,\"storage_config\":null}")));
                raced.set(other.statusCode());
            }
            answer.headers().firstValue("Content-Type")
                    .ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
            answer.headers().firstValue("ETag").ifPresent(v -> exchange.getResponseHeaders().set("ETag", v));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
            exchange.close();
        });
        proxy.start();
        try {
            String via = "http://127.0.0.1:" + proxy.getAddress().getPort();
            Run r = cli("tenants", "defaults", "set", "race-tenant", "--quota", "1000/day", "--url", via);
            assertThat(raced).as("the other admin's PUT").hasValue(200);
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.CONFLICT);
            assertThat(r.err()).contains("412 precondition_failed");
        } finally {
            proxy.stop(0);
        }
        JsonNode now = ok("tenants", "defaults", "get", "race-tenant");
        assertThat(now.at("/rate_limit/limit").asLong()).as("the other admin's change").isEqualTo(77);
        assertThat(now.get("quota").isNull()).as("the CLI's stale write").isTrue();
    }

    private static HttpResponse<byte[]> forward(HttpClient http, HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : List.of("Authorization", "If-Match", "Content-Type", "Accept")) {
            String v = exchange.getRequestHeaders().getFirst(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.header("Authorization", "Bearer " + ROOT)
                    .header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Test
    void aTenantAdmin_readsItsDefaults_butChangingLimitsOrCreditsExits3() {
        String admin = create("limits tenant admin", "--tenant", "ta-tenant", "--scope", "latchkey:tenant-admin")
                .get("token").asText();
        String id = create("limits ta key", "--tenant", "ta-tenant", "--quota", "10/none").get("id").asText();
        ok("tenants", "defaults", "set", "ta-tenant", "--rate-limit", "5/60");

        Run read = cliAs(admin, "tenants", "defaults", "get", "ta-tenant", "--json");
        assertThat(read.exit()).as(read.err()).isZero();
        assertThat(read.json().at("/rate_limit/limit").asLong()).isEqualTo(5);
        Run other = cliAs(admin, "tenants", "defaults", "get", "fresh-tenant");
        assertThat(other.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(other.err()).contains("403 forbidden").doesNotContain(admin);

        Run set = cliAs(admin, "tenants", "defaults", "set", "ta-tenant", "--rate-limit", "500/60");
        assertThat(set.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(cliAs(admin, "keys", "update", id, "--quota", "99/none").exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(cliAs(admin, "keys", "credits", id, "increment", "1").exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(ok("tenants", "defaults", "get", "ta-tenant").at("/rate_limit/limit").asLong()).isEqualTo(5);
        assertThat(ok("keys", "get", id).at("/quota/remaining").asLong()).isEqualTo(10);
    }

    @Test
    void badValues_exit1_beforeOrFromTheService() {
        Run noPeriod = cli("keys", "create", "--name", "bad", "--rate-limit", "100");
        assertThat(noPeriod.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noPeriod.err()).contains("--rate-limit", "LIMIT/PERIOD");
        assertThat(cli("keys", "create", "--name", "bad", "--quota", "10/week").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("keys", "create", "--name", "bad", "--rate-limit", "x/60").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("tenants", "defaults", "set", "t", "--quota", "10/day/5").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("tenants", "defaults", "set", "t").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("keys", "credits", "k_x", "double", "1").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("tenants").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("tenants", "defaults").exit()).isEqualTo(ExitCodes.USAGE);

        Run zero = cli("keys", "create", "--name", "bad", "--rate-limit", "0/60");
        assertThat(zero.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.err()).contains("400 invalid_request", "rate_limit.limit");
        Run badTenant = cli("tenants", "defaults", "get", "bad tenant!", "--json");
        assertThat(badTenant.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badTenant.json().get("status").asInt()).isEqualTo(400);
        String id = create("limits bad credits", "--quota", "10/none").get("id").asText();
        assertThat(cli("keys", "credits", id, "increment", "0").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void completion_includesTheNewCommandsAndOptions() {
        Run completion = cli("completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("tenants", "defaults", "credits", "--rate-limit", "--no-rate-limit",
                "--quota", "--no-quota", "(\"increment\" \"decrement\" \"set\")");
        Run help = cli("tenants", "defaults", "set", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--rate-limit=LIMIT/PERIOD_SECONDS", "--if-match");
    }
}
