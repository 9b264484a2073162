package dev.latchkey.admin;

import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.OperationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** {@code GET /v1/jobs/{id}}: the state of an asynchronous job (a key reset), never a secret. */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs", description = "Asynchronous jobs")
public final class JobsResource {

    @Inject
    private KeyManager manager;
    @Context
    private SecurityContext security;

    @GET
    @Path("{id}")
    @Operation(operationId = "getJob", summary = "Read a job",
            responses = @ApiResponse(responseCode = "200", description = "the job",
                    content = @Content(schema = @Schema(implementation = Wire.JobView.class))))
    public Wire.JobView get(@PathParam("id") String id) {
        try {
            return Wire.JobView.of(manager.job(AdminAuthFilter.actor(security), id));
        } catch (OperationException e) {
            if (e.reason() == OperationException.Reason.NOT_FOUND) {
                throw new ApiException(404, "job_not_found", String.valueOf(e.getMessage()));
            }
            throw e;
        }
    }
}
