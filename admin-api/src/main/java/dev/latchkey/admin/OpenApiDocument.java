package dev.latchkey.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the OpenAPI 3.1 document of the admin API from the resource classes (swagger-jaxrs2), then adds what
 * annotations cannot say once for all: the server, the licence, the bearer scheme, the RFC 9457 {@code Problem}
 * schema, and every error response of API.md §4 on every operation it applies to. {@link OpenApiPolish} then gives
 * every header a schema, marks the answers' nullable and always-present fields, and drops unused components, so
 * {@code redocly lint} (recommended rules) and swagger-parser find nothing to say.
 */
final class OpenApiDocument {

    /** Error responses by status, each an {@code application/problem+json} {@code Problem}. */
    static final Map<String, String> ERRORS = errors();

    /** The server the document names: the service's default address (API.md §1). */
    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    private static final Map<String, String> REF_NAMES = Map.of("409", "conflict", "412", "precondition_failed");

    private OpenApiDocument() {
    }

    private static Map<String, String> errors() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("400", "invalid_request: malformed JSON, unknown field, wrong type or bad value (errors lists each field),"
                + " or a malformed request line, URI, Content-Type or Accept");
        m.put("401", "unauthenticated: no or invalid admin token (WWW-Authenticate: Bearer realm=\"latchkey\")");
        m.put("403", "forbidden, ip_not_allowed or insufficient_scope");
        m.put("404", "key_not_found, job_not_found or not_found");
        m.put("405", "method_not_allowed");
        m.put("406", "not_acceptable");
        m.put("409", "conflict: the key's state forbids this (blocked, expired)");
        m.put("412", "precondition_failed: If-Match names a stale version");
        m.put("413", "payload_too_large: the body is over 64 KiB");
        m.put("415", "unsupported_media_type");
        m.put("429", "rate_limited, quota_exceeded or too_many_failures: wait Retry-After seconds "
                + "(also in retry_after)");
        m.put("500", "internal: a bug; quote request_id");
        m.put("503", "store_unavailable");
        return m;
    }

    static String build(Set<Class<?>> resources) {
        OpenAPI base = new OpenAPI(SpecVersion.V31).openapi("3.1.0")
                .info(new Info().title("Latchkey admin API").version("1")
                        .description("Create, list, change, rotate, reset, delete and verify API keys. "
                                + "Errors are RFC 9457 problems (application/problem+json).")
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
                .servers(List.of(new Server().url(DEFAULT_SERVER)
                        .description("the default LATCHKEY_HOST and LATCHKEY_PORT; use your service's address")))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("the root admin token, or a key with latchkey:admin, "
                                        + "latchkey:tenant-admin or (verify only) latchkey:verify")));
        SwaggerConfiguration config = new SwaggerConfiguration().openAPI(base).openAPI31(true).prettyPrint(false);
        OpenAPI api = new Reader(config).read(resources);
        api.openapi("3.1.0");
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.setComponents(components);
        ModelConverters.getInstance(true).readAll(Wire.Problem.class).forEach(components::addSchemas);
        Schema<?> problemRef = new Schema<>().$ref("#/components/schemas/Problem");
        for (Map.Entry<String, String> e : ERRORS.entrySet()) {
            ApiResponse r = new ApiResponse().description(e.getValue()).content(new Content()
                    .addMediaType(Problems.PROBLEM_JSON, new MediaType().schema(problemRef)));
            components.addResponses(REF_NAMES.getOrDefault(e.getKey(), "problem_" + e.getKey()), r);
        }
        if (api.getPaths() != null) {
            for (Map.Entry<String, PathItem> p : api.getPaths().entrySet()) {
                boolean admin = p.getKey().startsWith("/v1/");
                p.getValue().readOperationsMap().forEach((method, op) -> decorate(op, admin));
            }
        }
        ObjectNode tree = Json31.mapper().valueToTree(api);
        OpenApiPolish.apply(tree);
        try {
            return Json31.mapper().writeValueAsString(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the OpenAPI document could not be written", e);
        }
    }

    private static void decorate(Operation op, boolean admin) {
        ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
        op.setResponses(responses);
        List<String> codes = new ArrayList<>();
        if (admin) {
            op.setSecurity(List.of(new SecurityRequirement().addList("bearer")));
            codes.addAll(List.of("400", "401", "403", "404", "405", "406"));
            if (op.getRequestBody() != null) {
                codes.addAll(List.of("413", "415"));
            }
            codes.addAll(List.of("429", "500", "503"));
        } else {
            op.setSecurity(List.of());
            codes.addAll(List.of("400", "404", "405", "406", "500"));
            if ("metrics".equals(op.getOperationId())) {
                codes.remove("406"); // /metrics answers its text format to any Accept (MetricsResource)
            }
        }
        for (String code : codes) {
            if (!responses.containsKey(code)) {
                responses.addApiResponse(code, new ApiResponse().$ref("#/components/responses/problem_" + code));
            }
        }
    }
}
