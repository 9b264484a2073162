package dev.latchkey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.Actor;
import dev.latchkey.core.ConfigManager;
import dev.latchkey.core.FieldError;
import dev.latchkey.core.KeyRules;
import dev.latchkey.core.StorageConfig;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code /v1/storage-configs} (API.md §10): where a tenant's keys keep their usage history. Same tenant, listing, 404,
 * 409 and naming rules as webhook configs; a {@code postgresql} config is created and changed only by root and
 * {@code latchkey:admin}. Answers show the JDBC URL without its password. The rules are core's {@link ConfigManager}.
 */
@Path("/v1/storage-configs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "storage-configs", description = "Storage configs for usage history")
public final class StorageConfigsResource {

    @Inject
    private ConfigManager configs;
    @Context
    private SecurityContext security;

    private Actor actor() {
        return AdminAuthFilter.actor(security);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createStorageConfig", summary = "Create a storage config",
            description = "A postgresql config only by root or latchkey:admin (403 for a tenant admin).",
            responses = @ApiResponse(responseCode = "201", description = "the config",
                    headers = @Header(name = "Location", description = "/v1/storage-configs/{id}"),
                    content = @Content(schema = @Schema(implementation = ConfigWire.Storage.class))))
    public Response create(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ConfigWire.StorageBody.class))) @Nullable JsonNode body) {
        Actor actor = actor();
        StorageConfig c = configs.createStorage(actor, ConfigReader.storage(body));
        Audit.log(actor, "create_storage_config", c.id(), "tenant_id=" + c.tenantId() + " kind=" + c.kind().wire());
        return Response.created(URI.create("/v1/storage-configs/" + c.id()))
                .entity(ConfigWire.Storage.of(c))
                .build();
    }

    @GET
    @Operation(operationId = "listStorageConfigs", summary = "List storage configs, newest first",
            responses = @ApiResponse(responseCode = "200", description = "one page",
                    content = @Content(schema = @Schema(implementation = ConfigWire.StorageList.class))))
    public ConfigWire.StorageList list(
            @Parameter(description = "configs to skip (< 0 reads as 0)", schema = @Schema(type = "integer"))
            @QueryParam("offset") @Nullable String offset,
            @Parameter(description = "page size (≤ 0 reads as 20, > 500 as 500)", schema = @Schema(type = "integer"))
            @QueryParam("limit") @Nullable String limit,
            @Parameter(description = "only this tenant's (a tenant admin may name only its own)")
            @QueryParam("tenant_id") @Nullable String tenantId) {
        List<FieldError> errors = new ArrayList<>();
        long o = KeysResource.integer("offset", offset, 0, errors);
        long l = KeysResource.integer("limit", limit, 0, errors);
        KeyRules.throwIfAny(errors);
        return ConfigWire.StorageList.of(configs.storages(actor(), tenantId, o, l));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getStorageConfig", summary = "Read a storage config",
            responses = @ApiResponse(responseCode = "200", description = "the config",
                    content = @Content(schema = @Schema(implementation = ConfigWire.Storage.class))))
    public ConfigWire.Storage get(@PathParam("id") String id) {
        return ConfigWire.Storage.of(configs.storage(actor(), id));
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, KeysResource.MERGE_PATCH})
    @Operation(operationId = "updateStorageConfig",
            summary = "Change a storage config's retention_days, jdbc_url or description (kind is not patchable)",
            responses = @ApiResponse(responseCode = "200", description = "the changed config",
                    content = @Content(schema = @Schema(implementation = ConfigWire.Storage.class))))
    public ConfigWire.Storage update(@PathParam("id") String id, @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ConfigWire.StoragePatchBody.class)),
            @Content(mediaType = KeysResource.MERGE_PATCH,
                    schema = @Schema(implementation = ConfigWire.StoragePatchBody.class))}) @Nullable JsonNode body) {
        Actor actor = actor();
        StorageConfig c = configs.patchStorage(actor, id, ConfigReader.storagePatch(body));
        Audit.log(actor, "update_storage_config", c.id(), null);
        return ConfigWire.Storage.of(c);
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteStorageConfig", summary = "Delete a storage config",
            responses = {@ApiResponse(responseCode = "204", description = "deleted"),
                    @ApiResponse(responseCode = "409", ref = "#/components/responses/conflict")})
    public Response delete(@PathParam("id") String id) {
        Actor actor = actor();
        configs.deleteStorage(actor, id);
        Audit.log(actor, "delete_storage_config", id, null);
        return Response.noContent().build();
    }
}
