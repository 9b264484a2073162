package dev.latchkey.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /openapi.json}: the OpenAPI 3 document of every endpoint, schema and error. No authentication. */
@Path("/openapi.json")
@Unauthenticated
@Tag(name = "operations")
public final class OpenApiResource {

    private static volatile @org.jspecify.annotations.Nullable String document;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "openapi", summary = "This document",
            responses = @ApiResponse(responseCode = "200", description = "OpenAPI 3",
                    content = @Content(schema = @Schema(type = "object"))))
    public String openapi() {
        String d = document;
        if (d == null) {
            synchronized (OpenApiResource.class) {
                d = document;
                if (d == null) {
                    d = OpenApiDocument.build(AdminServer.RESOURCES);
                    document = d;
                }
            }
        }
        return d;
    }
}
