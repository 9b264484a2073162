package dev.latchkey.admin;

import dev.latchkey.core.KeyStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /health}: whether the store answers. Plain JSON, never a problem body, no authentication. */
@Path("/health")
@Unauthenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
public final class HealthResource {

    private static final Logger LOG = LoggerFactory.getLogger(HealthResource.class);

    @Inject
    private KeyStore store;

    @GET
    @SecurityRequirements
    @Operation(operationId = "health", summary = "Store reachability",
            responses = {
                    @ApiResponse(responseCode = "200", description = "up",
                            content = @Content(schema = @Schema(implementation = Wire.Health.class))),
                    @ApiResponse(responseCode = "503", description = "the store is unreachable",
                            content = @Content(schema = @Schema(implementation = Wire.Health.class)))})
    public Response health() {
        try {
            store.ping();
            return Response.ok(new Wire.Health("up", store.kind(), null)).header("Cache-Control", "no-store").build();
        } catch (RuntimeException e) {
            LOG.warn("Health check: the {} store does not answer: {}", store.kind(), e.toString());
            return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE)
                    .header("Cache-Control", "no-store")
                    .entity(new Wire.Health("down", store.kind(), "the store cannot be reached"))
                    .build();
        }
    }
}
