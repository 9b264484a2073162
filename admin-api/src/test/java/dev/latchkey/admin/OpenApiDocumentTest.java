package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link OpenApiDocument}: the document is OpenAPI 3.1 that swagger-parser (the Java twin of
 * {@code redocly lint}) reads without a message, and it has what the linter's recommended rules ask for.
 */
class OpenApiDocumentTest {

    private static String text;
    private static JsonNode doc;

    @BeforeAll
    static void build() throws Exception {
        text = OpenApiDocument.build(AdminServer.RESOURCES);
        doc = Http.JSON.readTree(text);
    }

    @Test
    void build_parsesAsOpenApi31WithNoMessages() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(text, null, options);
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.getOpenAPI().getPaths()).containsKeys("/v1/keys", "/v1/keys/{id}", "/v1/verify");
    }

    @Test
    void build_namesAServerAndALicence() {
        assertThat(doc.at("/servers/0/url").asText()).isEqualTo(OpenApiDocument.DEFAULT_SERVER);
        assertThat(doc.at("/info/license/name").asText()).isEqualTo("Apache-2.0");
    }

    @Test
    void build_givesEveryHeaderASchemaAndEveryResponseARequestId() {
        List<String> missing = new ArrayList<>();
        List<JsonNode> responses = new ArrayList<>();
        doc.path("paths").forEach(path -> path.forEach(op -> op.path("responses").forEach(responses::add)));
        doc.at("/components/responses").forEach(responses::add);
        for (JsonNode r : responses) {
            if (r.has("$ref")) {
                continue;
            }
            if (!r.path("headers").has("X-Request-Id")) {
                missing.add("X-Request-Id in " + r);
            }
            r.path("headers").properties().forEach(h -> {
                JsonNode header = h.getValue().has("$ref")
                        ? doc.at(h.getValue().get("$ref").asText().substring(1)) : h.getValue();
                if (!header.has("schema")) {
                    missing.add(h.getKey());
                }
            });
        }
        assertThat(missing).isEmpty();
        assertThat(doc.at("/components/headers/Retry-After/schema/type").asText()).isEqualTo("integer");
        assertThat(doc.at("/components/responses/problem_429/headers/Retry-After/$ref").asText())
                .isEqualTo("#/components/headers/Retry-After");
        assertThat(doc.at("/paths/~1v1~1keys~1{id}/get/responses/200/headers/ETag/$ref").asText())
                .isEqualTo("#/components/headers/ETag");
        assertThat(doc.at("/paths/~1v1~1keys/post/responses/201/headers").has("Location")).isTrue();
        assertThat(doc.at("/components/responses/problem_401/headers").has("WWW-Authenticate")).isTrue();
    }

    @Test
    void build_letsEveryOperationTakeARequestId() {
        List<String> without = new ArrayList<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            boolean has = false;
            for (JsonNode p : op.getValue().path("parameters")) {
                has |= p.path("$ref").asText().equals("#/components/parameters/X-Request-Id");
            }
            if (!has) {
                without.add(op.getKey() + " " + path.getKey());
            }
        }));
        assertThat(without).isEmpty();
        assertThat(doc.at("/components/parameters/X-Request-Id/in").asText()).isEqualTo("header");
    }

    @Test
    void build_keepsOnlyComponentsSomethingRefersTo() {
        Set<String> refs = new HashSet<>();
        collectRefs(doc, refs);
        List<String> unused = new ArrayList<>();
        doc.path("components").properties().forEach(kind -> {
            if (!kind.getKey().equals("securitySchemes")) {
                kind.getValue().fieldNames().forEachRemaining(name -> {
                    if (!refs.contains("#/components/" + kind.getKey() + "/" + name)) {
                        unused.add(kind.getKey() + "/" + name);
                    }
                });
            }
        });
        assertThat(unused).isEmpty();
        assertThat(doc.at("/components/schemas").has("JsonNode")).isFalse();
    }

    @Test
    void build_marksAnswersNullableAndAlwaysPresent() {
        JsonNode key = doc.at("/components/schemas/Key");
        assertThat(key.get("required")).hasSize(key.get("properties").size());
        assertThat(key.at("/properties/expires_at/type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(key.at("/properties/name/type").asText()).isEqualTo("string");
        assertThat(doc.at("/components/schemas/Problem/properties").has("retry_after")).isTrue();
    }

    @Test
    void build_documentsEveryAdminErrorOfApiMd() {
        for (Map.Entry<String, JsonNode> path : iterable(doc.path("paths"))) {
            if (!path.getKey().startsWith("/v1/")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> op : iterable(path.getValue())) {
                assertThat(op.getValue().path("responses").fieldNames()).toIterable()
                        .as("%s %s", op.getKey(), path.getKey())
                        .contains("400", "401", "403", "404", "429", "500", "503");
            }
        }
        assertThat(doc.at("/paths/~1v1~1keys~1{id}/patch/responses").has("412")).isTrue();
        assertThat(doc.at("/paths/~1v1~1keys~1{id}~1rotate/post/responses").has("409")).isTrue();
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node.properties();
    }

    private static void collectRefs(JsonNode n, Set<String> out) {
        if (n.isObject() && n.has("$ref")) {
            out.add(n.get("$ref").asText());
        }
        n.forEach(child -> collectRefs(child, out));
    }
}
