package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.GuardOptions;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.admin.LimitRules;
import dev.latchkey.core.Quota;
import dev.latchkey.core.RateLimit;
import dev.latchkey.testkit.Fuzz;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and generated request bodies against a real admin service over HTTP (#21): wrong types, nesting 10,000
 * deep, huge numbers, duplicate keys, invalid UTF-8, control characters, 1 MB strings and odd Unicode on every
 * endpoint that reads a body. Every answer must be a 4xx problem, the store must be unchanged afterwards (a snapshot
 * of every key, every key's JSON and the tenant defaults, before and after) and the service still up.
 */
class HostileBodiesFuzzIT {

    private static final String ROOT = "root-for-hostile-bodies";
    private static final String TENANT = "acme";

    private InMemoryKeyStore store;
    private AdminServer server;
    private Http http;
    private String keyId;
    private String otherKeyId;

    @BeforeEach
    void start() {
        store = new InMemoryKeyStore();
        server = AdminServer.builder(store).port(0).adminToken(ROOT).usageFlushInterval(Duration.ZERO)
                .shutdownGrace(Duration.ofSeconds(1)).build().start();
        http = new Http(URI.create("http://127.0.0.1:" + server.port()));
        Http.Res created = root("POST", "/v1/keys", "{\"name\":\"metered\",\"tenant_id\":\"" + TENANT
                + "\",\"scopes\":[\"a:read\"],\"metadata\":{\"k\":\"v\"},\"ip_restrictions\":[{\"value\":\"10.0.0.0/8\"}],"
                + "\"rate_limit\":{\"limit\":100,\"period_seconds\":60},\"quota\":{\"limit\":1000,\"period\":\"month\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        keyId = created.json().get("id").asText();
        Http.Res other = root("POST", "/v1/keys", "{\"name\":\"plain\",\"tenant_id\":\"" + TENANT + "\"}");
        otherKeyId = other.json().get("id").asText();
        Http.Res defaults = root("PUT", "/v1/tenants/" + TENANT + "/defaults",
                "{\"rate_limit\":{\"limit\":50,\"period_seconds\":1},\"quota\":null,\"webhook_config\":null,"
                        + "\"storage_config\":null}");
        assertThat(defaults.status()).as(defaults.toString()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private Http.Res root(String method, String path, String json) {
        return http.send(method, path, ROOT, json);
    }

    private Http.Res raw(String method, String path, byte[] body) {
        return http.send(method, path, ROOT, HttpRequest.BodyPublishers.ofByteArray(body),
                "Content-Type", "application/json");
    }

    /** Everything a hostile request could have changed: every stored key, every key as the API shows it, defaults. */
    private Map<String, Object> snapshot() {
        Map<String, Object> s = new TreeMap<>();
        List<ApiKey> all = store.list(new KeyQuery(null, null, null, null, 0, KeyQuery.MAX_LIMIT, Instant.EPOCH))
                .items();
        for (ApiKey k : all) {
            s.put("store:" + k.id(), k);
            s.put("api:" + k.id(), root("GET", "/v1/keys/" + k.id(), null).body().replaceAll(
                    "\"(last_used_at|refills_at)\":(null|\"[^\"]*\")", ""));
        }
        s.put("defaults", store.tenantDefaults(TENANT));
        return s;
    }

    private static void assertProblem4xx(Http.Res r, String what) throws Exception {
        assertThat(r.status()).as(what + " -> " + r).isBetween(400, 499);
        assertThat(r.header("Content-Type")).as(what).startsWith("application/problem+json");
        JsonNode p = Http.JSON.readTree(r.body());
        assertThat(p.get("status").asInt()).as(what).isEqualTo(r.status());
        assertThat(p.get("code").asText()).as(what).isNotBlank();
    }

    /**
     * A body over the limit is refused with a 413 problem; the server may also close the connection before it read
     * the rest (as nginx does), which a client still writing sees as a reset. Either way nothing is stored
     * (the snapshot) and the 413 body itself is checked by {@code AdminApiTests}.
     */
    private void assertRefusedOversize(String method, String path, byte[] body, String what) throws Exception {
        Http.Res r;
        try {
            r = raw(method, path, body);
        } catch (java.io.UncheckedIOException closedWhileSending) {
            return;
        }
        assertThat(r.status()).as(what + " -> " + r).isEqualTo(413);
        assertProblem4xx(r, what);
    }

    private void assertStillUp() {
        Http.Res health = http.send("GET", "/health", null, null);
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        assertThat(root("GET", "/v1/keys/" + keyId, null).status()).isEqualTo(200);
    }

    /** The endpoints that read a JSON body; verify is last (it spends quota when the body is well-formed). */
    private List<String[]> endpoints() {
        return List.of(
                new String[] {"POST", "/v1/keys"},
                new String[] {"PATCH", "/v1/keys/" + keyId},
                new String[] {"PUT", "/v1/keys/" + keyId + "/status"},
                new String[] {"POST", "/v1/keys/" + keyId + "/rotate"},
                new String[] {"POST", "/v1/keys/" + keyId + "/credits"},
                new String[] {"PUT", "/v1/tenants/" + TENANT + "/defaults"},
                new String[] {"POST", "/v1/verify"});
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof byte[] raw ? raw : p.toString().getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    private static final java.util.Set<String> NO_BODY = java.util.Set.of("empty body", "only whitespace", "JSON null");

    /** Bodies no endpoint may take, whatever its fields (rotate takes the {@link #NO_BODY} ones as no body). */
    private static Map<String, byte[]> structurallyHostile() {
        Map<String, byte[]> b = new LinkedHashMap<>();
        b.put("arrays nested 10,000 deep", bytes("[".repeat(10_000), "]".repeat(10_000)));
        b.put("objects nested 10,000 deep", bytes("{\"a\":".repeat(10_000), "1", "}".repeat(10_000)));
        b.put("objects nested 10,000 deep, unclosed", bytes("{\"name\":".repeat(10_000)));
        b.put("a 1 MB string", bytes("{\"name\":\"", "x".repeat(1 << 20), "\"}"));
        b.put("a 1 MB key", bytes("{\"", "k".repeat(1 << 20), "\":1}"));
        b.put("invalid UTF-8 in a string", bytes("{\"name\":\"a", new byte[] {(byte) 0xc3, 0x28}, "\"}"));
        b.put("overlong UTF-8 slash", bytes("{\"name\":\"", new byte[] {(byte) 0xc0, (byte) 0xaf}, "\"}"));
        b.put("UTF-8 surrogate bytes", bytes("{\"name\":\"", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "\"}"));
        b.put("truncated UTF-8 at the end", bytes("{\"name\":\"", new byte[] {(byte) 0xe2, (byte) 0x82}));
        b.put("a raw NUL in a string", bytes("{\"name\":\"a\u0000b\"}"));
        b.put("a raw newline in a string", bytes("{\"name\":\"a\nb\"}"));
        b.put("raw control characters", bytes("{\"name\":\"\u0001\u001b[31m\u007f\"}"));
        b.put("empty body", new byte[0]);
        b.put("only whitespace", bytes(" \r\n\t "));
        b.put("JSON null", bytes("null"));
        b.put("a JSON string", bytes("\"name\""));
        b.put("a JSON number", bytes("1e400"));
        b.put("a JSON array", bytes("[{\"name\":\"a\"}]"));
        b.put("two documents", bytes("{\"name\":\"a\"}{\"name\":\"b\"}"));
        b.put("trailing garbage", bytes("{\"force\":true} x"));
        b.put("truncated object", bytes("{\"name\":\"a\""));
        b.put("single quotes", bytes("{'name':'a'}"));
        b.put("comments", bytes("{/* c */\"name\":\"a\"}"));
        b.put("trailing comma", bytes("{\"name\":\"a\",}"));
        b.put("NaN", bytes("{\"amount\":NaN,\"cost\":NaN,\"grace_seconds\":NaN}"));
        b.put("UTF-16 with a lone surrogate", bytes("{\"name\":\"a".getBytes(StandardCharsets.UTF_16LE),
                new byte[] {0x00, (byte) 0xd8}, "\"}".getBytes(StandardCharsets.UTF_16LE)));
        b.put("a byte order mark then garbage", bytes(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, "{x}"));
        b.put("duplicate keys", bytes("{\"force\":true,\"force\":false,\"status\":\"active\",\"status\":\"blocked\","
                + "\"op\":\"set\",\"op\":\"set\",\"amount\":1,\"amount\":2,\"token\":\"a\",\"token\":\"b\"}"));
        b.put("unknown members only", bytes("{\"__proto__\":{\"admin\":true},\"constructor\":1}"));
        return b;
    }

    @Test
    void structurallyHostileBodies_onEveryEndpoint_are4xxProblems_changeNothing_andTheServiceStaysUp()
            throws Exception {
        Map<String, Object> before = snapshot();

        for (String[] e : endpoints()) {
            for (Map.Entry<String, byte[]> body : structurallyHostile().entrySet()) {
                if (e[1].endsWith("/rotate") && NO_BODY.contains(body.getKey())) {
                    continue; // rotate's body is optional (API.md): blank or JSON null means no body, not hostile
                }
                String what = e[0] + " " + e[1] + " with " + body.getKey();
                if (body.getValue().length > GuardOptions.DEFAULT_MAX_BODY_BYTES) {
                    assertRefusedOversize(e[0], e[1], body.getValue(), what);
                } else {
                    assertProblem4xx(raw(e[0], e[1], body.getValue()), what);
                }
            }
        }

        assertThat(snapshot()).isEqualTo(before);
        assertStillUp();
    }

    // ---- generated bodies: one field wrong, the rest plausible --------------------------------------------------

    /** A JSON value as text; {@link #str} escapes everything outside printable ASCII, so odd Unicode survives. */
    private static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private enum Kind { STRING, INTEGER, BOOLEAN, ARRAY, OBJECT }

    /** A value that is certainly not valid for a field of the given kind. */
    private static String wrong(Fuzz in, Kind kind, boolean textChecked) {
        List<String> choices = new ArrayList<>();
        if (kind != Kind.STRING) {
            choices.addAll(List.of(str("1"), str(""), str("true"), str("\u0000")));
        } else if (textChecked) {
            // Text fields that refuse control, format and bidirectional characters and unpaired surrogates.
            choices.addAll(List.of(str("a\u0000b"), str("\ud800"), str("x\udc00y"), str("\u202eevil"), str("\u0007"),
                    str("a\u200db"), str("\ue000"), str("\ufeffname")));
        }
        if (kind != Kind.INTEGER) {
            choices.addAll(List.of("1", "-1", "0"));
        } else {
            choices.addAll(List.of("1.5", "1e400", "-1e400", "123456789012345678901234567890", "-9223372036854775809",
                    "1E2", "0.0", "-0.5"));
        }
        if (kind != Kind.BOOLEAN) {
            choices.addAll(List.of("true", "false"));
        }
        if (kind != Kind.ARRAY) {
            choices.addAll(List.of("[]", "[1,2]", "[" + str("a") + "]"));
        }
        if (kind != Kind.OBJECT) {
            choices.addAll(List.of("{}", "{\"a\":1}"));
        }
        return in.oneOf(choices);
    }

    /** One body field: its name, kind, whether its text is checked for odd characters, and a valid value. */
    private record Field(String name, Kind kind, boolean textChecked, String valid) {
    }

    private static final List<Field> CREATE = List.of(
            new Field("name", Kind.STRING, true, str("fuzzed")),
            new Field("tenant_id", Kind.STRING, true, str(TENANT)),
            new Field("owner_id", Kind.STRING, true, str("owner-1")),
            new Field("environment", Kind.STRING, false, str("test")),
            new Field("type", Kind.STRING, false, str("standard")),
            new Field("scopes", Kind.ARRAY, false, "[" + str("a:read") + "]"),
            new Field("ip_restrictions", Kind.ARRAY, false, "[{\"value\":\"192.0.2.0/24\",\"label\":\"office\"}]"),
            new Field("expires_at", Kind.STRING, false, str("2999-01-01T00:00:00Z")),
            new Field("metadata", Kind.OBJECT, false, "{\"team\":\"x\"}"),
            new Field("rate_limit", Kind.OBJECT, false, "{\"limit\":5,\"period_seconds\":60}"),
            new Field("quota", Kind.OBJECT, false, "{\"limit\":5,\"period\":\"day\"}"));

    private static final List<Field> PATCH = CREATE.subList(0, CREATE.size()).stream()
            .filter(f -> !f.name().equals("tenant_id") && !f.name().equals("environment") && !f.name().equals("type"))
            .toList();

    private static final List<Field> STATUS = List.of(
            new Field("status", Kind.STRING, false, str("inactive")),
            new Field("reason", Kind.STRING, true, str("fuzz")));

    private static final List<Field> ROTATE = List.of(
            new Field("force", Kind.BOOLEAN, false, "false"),
            new Field("grace_seconds", Kind.INTEGER, false, "60"));

    private static final List<Field> CREDITS = List.of(
            new Field("op", Kind.STRING, false, str("increment")),
            new Field("amount", Kind.INTEGER, false, "5"));

    private static final List<Field> DEFAULTS = List.of(
            new Field("rate_limit", Kind.OBJECT, false, "{\"limit\":5,\"period_seconds\":60}"),
            new Field("quota", Kind.OBJECT, false, "{\"limit\":5,\"period\":\"day\"}"),
            new Field("webhook_config", Kind.STRING, false, "null"),
            new Field("storage_config", Kind.STRING, false, "null"));

    /** A body with every field of {@code fields} valid or absent, except one that is wrong. */
    private static String bodyWithOneWrongField(Fuzz in, List<Field> fields) {
        Field bad = in.oneOf(fields);
        List<String> members = new ArrayList<>();
        for (Field f : fields) {
            if (f == bad) {
                String value = wrong(in, f.kind(), f.textChecked());
                if (in.chance(0.2) && (f.kind() == Kind.OBJECT || f.kind() == Kind.ARRAY)) {
                    // Wrong one level down: a limit that is not an integer, a metadata value or list item that is
                    // not a string (or, in scopes, not a scope).
                    value = f.name().equals("metadata") ? "{\"k\":" + wrong(in, Kind.STRING, false) + "}"
                            : f.kind() == Kind.OBJECT ? "{\"limit\":" + wrong(in, Kind.INTEGER, false) + "}"
                            : "[" + wrong(in, Kind.STRING, f.name().equals("scopes")) + "]";
                }
                members.add(str(f.name()) + ":" + value);
            } else if (in.chance(0.6) || f.name().equals("name") || f.name().equals("tenant_id")
                    || f.name().equals("op") || f.name().equals("amount")) {
                members.add(str(f.name()) + ":" + f.valid());
            }
        }
        java.util.Collections.shuffle(members, new java.util.Random(in.between(0, Integer.MAX_VALUE)));
        return in.record("{" + String.join(",", members) + "}");
    }

    @Test
    void generatedBodiesWithOneWrongField_are4xxProblems_andChangeNothing() throws Exception {
        Map<String, Object> before = snapshot();
        Fuzz.check(2141L, 400, in -> {
            int which = in.between(0, 5);
            String[] e = endpoints().get(which);
            List<Field> fields = List.of(CREATE, PATCH, STATUS, ROTATE, CREDITS, DEFAULTS).get(which);
            String body = bodyWithOneWrongField(in, fields);
            assertProblem4xx(root(e[0], e[1], body), e[0] + " " + e[1] + " " + body);
        });
        assertThat(snapshot()).isEqualTo(before);
        assertStillUp();
    }

    // ---- the rate-limit and quota bodies: valid ones land, invalid ones are refused ------------------------------

    private static String number(Fuzz in, long low, long high) {
        return switch (in.between(0, 5)) {
            case 0 -> Long.toString(low + in.between(-1L, 1L));
            case 1 -> Long.toString(high + in.between(-1L, 1L));
            case 2 -> Long.toString(in.between(low, high));
            case 3 -> in.oneOf("null", "-1", "0", "1.0", "1e3", "9223372036854775807", "9223372036854775808", "\"5\"");
            default -> Long.toString(in.between(low, Math.min(high, low + 1000)));
        };
    }

    private static boolean inRange(String number, long low, long high) {
        try {
            long v = Long.parseLong(number);
            return v >= low && v <= high;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Test
    void fuzzedRateLimitAndQuotaBodies_landWhenValid_andAreRefusedWithTheFieldOtherwise() throws Exception {
        Fuzz.check(2142L, 150, in -> {
            boolean rate = in.chance(0.5);
            boolean onDefaults = in.chance(0.3);
            String a = number(in, rate ? RateLimit.MIN_LIMIT : Quota.MIN_LIMIT, rate ? RateLimit.MAX_LIMIT
                    : Quota.MAX_LIMIT);
            String b = rate ? number(in, RateLimit.MIN_PERIOD, RateLimit.MAX_PERIOD)
                    : in.oneOf(str("day"), str("month"), str("none"), str("week"), str("DAY"), "null", "1", str(""));
            String value = rate ? "{\"limit\":" + a + ",\"period_seconds\":" + b + "}"
                    : "{\"limit\":" + a + ",\"period\":" + b + "}";
            String field = rate ? "rate_limit" : "quota";
            boolean valid = rate ? inRange(a, RateLimit.MIN_LIMIT, RateLimit.MAX_LIMIT)
                    && inRange(b, RateLimit.MIN_PERIOD, RateLimit.MAX_PERIOD)
                    : inRange(a, Quota.MIN_LIMIT, Quota.MAX_LIMIT) && b.matches("\"(day|month|none)\"");
            String path = onDefaults ? "/v1/tenants/" + TENANT + "/defaults" : "/v1/keys/" + otherKeyId;
            String body = in.record(onDefaults ? "{\"" + field + "\":" + value + ",\"" + (rate ? "quota" : "rate_limit")
                    + "\":null,\"webhook_config\":null,\"storage_config\":null}" : "{\"" + field + "\":" + value + "}");
            Map<String, Object> before = snapshot();

            Http.Res r = root(onDefaults ? "PUT" : "PATCH", path, body);

            if (valid) {
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                JsonNode shown = r.json().get(field);
                assertThat(shown.get("limit").asText()).isEqualTo(a);
                assertThat(rate ? shown.get("period_seconds").asText() : str(shown.get("period").asText()))
                        .isEqualTo(b);
            } else {
                assertProblem4xx(r, body);
                assertThat(r.json().toString()).contains(field);
                assertThat(snapshot()).isEqualTo(before);
            }
        });
        assertStillUp();
    }

    @Test
    void limitRules_neverThrow_andAcceptExactlyTheDocumentedRanges() {
        Fuzz.check(2143L, 20_000, in -> {
            Long limit = in.chance(0.1) ? null : in.oneOf(in.between(Long.MIN_VALUE, Long.MAX_VALUE),
                    in.between(-2L, 2L), RateLimit.MAX_LIMIT + in.between(-1L, 1L), Quota.MAX_LIMIT + in.between(-1L, 1L));
            Long period = in.chance(0.1) ? null : in.oneOf(in.between(Long.MIN_VALUE, Long.MAX_VALUE),
                    in.between(-2L, 2L), RateLimit.MAX_PERIOD + in.between(-1L, 1L));
            List<dev.latchkey.core.admin.FieldError> errors = new ArrayList<>();
            RateLimit r = LimitRules.rateLimit("rate_limit", new dev.latchkey.core.admin.RateLimitInput(limit, period), errors);
            boolean ok = limit != null && period != null && limit >= RateLimit.MIN_LIMIT
                    && limit <= RateLimit.MAX_LIMIT && period >= RateLimit.MIN_PERIOD && period <= RateLimit.MAX_PERIOD;
            assertThat(r != null).as(limit + "/" + period).isEqualTo(ok);
            assertThat(errors.isEmpty()).isEqualTo(ok);

            String periodText = in.oneOf("day", "month", "none", "week", "", "Day", null);
            errors.clear();
            Quota q = LimitRules.quota("quota", new dev.latchkey.core.admin.QuotaInput(limit, periodText, null), true, errors);
            boolean qok = limit != null && limit >= Quota.MIN_LIMIT && limit <= Quota.MAX_LIMIT
                    && periodText != null && List.of("day", "month", "none").contains(periodText);
            assertThat(q != null).as(limit + "/" + periodText).isEqualTo(qok);
        });
    }
}
