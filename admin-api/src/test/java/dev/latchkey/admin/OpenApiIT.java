package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.InMemoryKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.model.ResourceModel;
import org.junit.jupiter.api.Test;

/** Tests for {@code /openapi.json}: it lists every resource method Jersey serves, with schemas and errors. */
class OpenApiIT {

    @Test
    void document_listsEveryResourceMethodJerseyServes() {
        try (InMemoryKeyStore store = new InMemoryKeyStore();
                AdminServer server = AdminServer.builder(store).port(0).adminToken("root").build().start()) {
            Http.Res r = new Http(server.baseUri()).send("GET", "/openapi.json", null, null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("application/json");
            JsonNode doc = r.json();
            assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
            JsonNode paths = doc.get("paths");

            ResourceModel model = server.resourceModel();
            assertThat(model).isNotNull();
            List<String> served = new ArrayList<>();
            for (Resource resource : model.getRootResources()) {
                collect(resource, "", served);
            }
            assertThat(served).hasSizeGreaterThanOrEqualTo(12);
            for (String s : served) {
                String[] parts = s.split(" ", 2);
                String path = parts[1];
                assertThat(paths.has(path)).as("path %s in %s", path, paths.fieldNames()).isTrue();
                assertThat(paths.get(path).has(parts[0].toLowerCase(Locale.ROOT))).as(s).isTrue();
            }
            assertThat(paths.has("/application.wadl")).isFalse();

            JsonNode schemas = doc.get("components").get("schemas");
            assertThat(schemas.has("Problem")).isTrue();
            assertThat(schemas.has("Key")).isTrue();
            assertThat(schemas.get("Key").get("properties").has("previous_token_expires_at")).isTrue();
            assertThat(schemas.get("CreateKey").get("properties").has("ip_restrictions")).isTrue();
            JsonNode create = paths.get("/v1/keys").get("post").get("responses");
            for (String code : List.of("201", "400", "401", "403", "404", "413", "415", "503")) {
                assertThat(create.has(code)).as(code).isTrue();
            }
            assertThat(paths.get("/v1/keys/{id}").get("patch").get("responses").has("412")).isTrue();
            assertThat(paths.get("/v1/keys/{id}").get("patch").get("requestBody").get("content")
                    .has("application/merge-patch+json")).isTrue();
            assertThat(doc.get("components").get("responses").get("problem_400").get("content")
                    .has("application/problem+json")).isTrue();
            assertThat(doc.get("components").get("securitySchemes").has("bearer")).isTrue();
        }
    }

    @Test
    void document_equalsTheCheckedInCopyInDocs() throws Exception {
        Path copy = Path.of("..", "docs", "openapi.json");
        try (InMemoryKeyStore store = new InMemoryKeyStore();
                AdminServer server = AdminServer.builder(store).port(0).adminToken("root").build().start()) {
            JsonNode served = new Http(server.baseUri()).send("GET", "/openapi.json", null, null).json();
            if (Boolean.getBoolean("latchkey.openapi.update")) {
                Files.writeString(copy, Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n");
            }
            assertThat(Http.JSON.readTree(Files.readString(copy)))
                    .as("docs/openapi.json is stale: rerun this test with -Dlatchkey.openapi.update=true")
                    .isEqualTo(served);
        }
    }

    private static void collect(Resource resource, String parent, List<String> out) {
        String path = join(parent, resource.getPath());
        for (ResourceMethod m : resource.getResourceMethods()) {
            if (!m.getHttpMethod().equals("OPTIONS") && !m.getHttpMethod().equals("HEAD")) {
                out.add(m.getHttpMethod() + " " + path);
            }
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, out);
        }
    }

    private static String join(String parent, String path) {
        String p = (parent + "/" + (path == null ? "" : path)).replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
