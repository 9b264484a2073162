package dev.latchkey.admin;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the OpenAPI 3 document of the admin API from the resource classes (swagger-jaxrs2), then adds what
 * annotations cannot say once for all: the bearer scheme, the RFC 9457 {@code Problem} schema, and every error
 * response of API.md §4 on every operation it applies to.
 */
final class OpenApiDocument {

    /** Error responses by status, each an {@code application/problem+json} {@code Problem}. */
    static final Map<String, String> ERRORS = errors();

    private OpenApiDocument() {
    }

    private static Map<String, String> errors() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("400", "invalid_request: malformed JSON, unknown field, wrong type or bad value (errors lists each field)");
        m.put("401", "unauthenticated: no or invalid admin token (WWW-Authenticate: Bearer realm=\"latchkey\")");
        m.put("403", "forbidden, ip_not_allowed or insufficient_scope");
        m.put("404", "key_not_found, job_not_found or not_found");
        m.put("405", "method_not_allowed");
        m.put("406", "not_acceptable");
        m.put("409", "conflict: the key's state forbids this (blocked, expired)");
        m.put("412", "precondition_failed: If-Match names a stale version");
        m.put("413", "payload_too_large: the body is over 64 KiB");
        m.put("415", "unsupported_media_type");
        m.put("429", "rate_limited");
        m.put("500", "internal: a bug; quote request_id");
        m.put("503", "store_unavailable");
        return m;
    }

    private static final Map<String, String> REF_NAMES = Map.of("409", "conflict", "412", "precondition_failed");

    static String build(Set<Class<?>> resources) {
        OpenAPI base = new OpenAPI()
                .info(new Info().title("Latchkey admin API").version("1")
                        .description("Create, list, change, rotate, reset, delete and verify API keys. "
                                + "Errors are RFC 9457 problems (application/problem+json)."))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("the root admin token, or a key with latchkey:admin, "
                                        + "latchkey:tenant-admin or (verify only) latchkey:verify")));
        SwaggerConfiguration config = new SwaggerConfiguration().openAPI(base).prettyPrint(false);
        OpenAPI api = new Reader(config).read(resources);
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.setComponents(components);
        ModelConverters.getInstance().readAll(Wire.Problem.class).forEach(components::addSchemas);
        Schema<?> problemRef = new Schema<>().$ref("#/components/schemas/Problem");
        for (Map.Entry<String, String> e : ERRORS.entrySet()) {
            ApiResponse r = new ApiResponse().description(e.getValue()).content(new Content()
                    .addMediaType(Problems.PROBLEM_JSON, new MediaType().schema(problemRef)));
            components.addResponses(REF_NAMES.getOrDefault(e.getKey(), "problem_" + e.getKey()), r);
        }
        if (api.getPaths() != null) {
            for (Map.Entry<String, PathItem> p : api.getPaths().entrySet()) {
                boolean admin = p.getKey().startsWith("/v1/");
                p.getValue().readOperationsMap().forEach((method, op) -> decorate(op, admin, method));
            }
        }
        try {
            return Json.mapper().writeValueAsString(api);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the OpenAPI document could not be written", e);
        }
    }

    private static void decorate(Operation op, boolean admin, PathItem.HttpMethod method) {
        ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
        op.setResponses(responses);
        List<String> codes;
        if (admin) {
            op.setSecurity(List.of(new SecurityRequirement().addList("bearer")));
            codes = op.getRequestBody() != null
                    ? List.of("400", "401", "403", "404", "405", "406", "413", "415", "500", "503")
                    : List.of("400", "401", "403", "404", "405", "406", "500", "503");
        } else {
            op.setSecurity(List.of());
            codes = List.of("404", "405", "406", "500");
        }
        for (String code : codes) {
            if (!responses.containsKey(code)) {
                responses.addApiResponse(code, new ApiResponse().$ref("#/components/responses/problem_" + code));
            }
        }
    }
}
