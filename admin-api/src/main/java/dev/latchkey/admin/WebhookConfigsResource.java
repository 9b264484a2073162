package dev.latchkey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.Actor;
import dev.latchkey.core.ConfigManager;
import dev.latchkey.core.FieldError;
import dev.latchkey.core.KeyRules;
import dev.latchkey.core.WebhookConfig;
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
 * {@code /v1/webhook-configs} (API.md §10): where a tenant's key events go. Tenant admins manage their own tenant's;
 * another tenant's config is a 404. The signing secret is answered only by create and rotate-secret, with
 * {@code Cache-Control: no-store}. The rules are core's {@link ConfigManager}; deliveries have their own resource.
 */
@Path("/v1/webhook-configs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhook-configs", description = "Webhook configs")
public final class WebhookConfigsResource {

    @Inject
    private ConfigManager configs;
    @Inject
    private AdminContext context;
    @Context
    private SecurityContext security;

    private Actor actor() {
        return AdminAuthFilter.actor(security);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createWebhookConfig", summary = "Create a webhook config; its secret is shown once",
            responses = @ApiResponse(responseCode = "201", description = "the config plus its signing secret",
                    headers = {@Header(name = "Location", description = "/v1/webhook-configs/{id}"),
                            @Header(name = "Cache-Control", description = "no-store")},
                    content = @Content(schema = @Schema(implementation = ConfigWire.CreatedWebhook.class))))
    public Response create(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ConfigWire.WebhookBody.class))) @Nullable JsonNode body) {
        Actor actor = actor();
        WebhookConfig c = configs.createWebhook(actor, ConfigReader.webhook(body), context.webhookAllowPrivate());
        Audit.log(actor, "create_webhook_config", c.id(), "tenant_id=" + c.tenantId());
        return Response.created(URI.create("/v1/webhook-configs/" + c.id()))
                .header("Cache-Control", KeysResource.NO_STORE)
                .entity(ConfigWire.CreatedWebhook.of(c))
                .build();
    }

    @GET
    @Operation(operationId = "listWebhookConfigs", summary = "List webhook configs, newest first",
            responses = @ApiResponse(responseCode = "200", description = "one page",
                    content = @Content(schema = @Schema(implementation = ConfigWire.WebhookList.class))))
    public ConfigWire.WebhookList list(
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
        return ConfigWire.WebhookList.of(configs.webhooks(actor(), tenantId, o, l));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getWebhookConfig", summary = "Read a webhook config",
            responses = @ApiResponse(responseCode = "200", description = "the config",
                    content = @Content(schema = @Schema(implementation = ConfigWire.Webhook.class))))
    public ConfigWire.Webhook get(@PathParam("id") String id) {
        return ConfigWire.Webhook.of(configs.webhook(actor(), id));
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, KeysResource.MERGE_PATCH})
    @Operation(operationId = "updateWebhookConfig", summary = "Change a webhook config's url, events, description"
            + " or enabled",
            responses = @ApiResponse(responseCode = "200", description = "the changed config",
                    content = @Content(schema = @Schema(implementation = ConfigWire.Webhook.class))))
    public ConfigWire.Webhook update(@PathParam("id") String id, @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ConfigWire.WebhookPatchBody.class)),
            @Content(mediaType = KeysResource.MERGE_PATCH,
                    schema = @Schema(implementation = ConfigWire.WebhookPatchBody.class))}) @Nullable JsonNode body) {
        Actor actor = actor();
        WebhookConfig c = configs.patchWebhook(actor, id, ConfigReader.webhookPatch(body),
                context.webhookAllowPrivate());
        Audit.log(actor, "update_webhook_config", c.id(), null);
        return ConfigWire.Webhook.of(c);
    }

    @POST
    @Path("{id}/rotate-secret")
    @Operation(operationId = "rotateWebhookSecret",
            summary = "Give a webhook config a new secret; the old one also signs for 24 h",
            responses = @ApiResponse(responseCode = "200", description = "the new secret, shown once",
                    headers = @Header(name = "Cache-Control", description = "no-store"),
                    content = @Content(schema = @Schema(implementation = ConfigWire.Secret.class))))
    public Response rotateSecret(@PathParam("id") String id) {
        Actor actor = actor();
        WebhookConfig c = configs.rotateSecret(actor, id);
        Audit.log(actor, "rotate_webhook_secret", c.id(), null);
        return Response.ok(new ConfigWire.Secret(c.secret())).header("Cache-Control", KeysResource.NO_STORE).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteWebhookConfig", summary = "Delete a webhook config",
            responses = {@ApiResponse(responseCode = "204", description = "deleted"),
                    @ApiResponse(responseCode = "409", ref = "#/components/responses/conflict")})
    public Response delete(@PathParam("id") String id) {
        Actor actor = actor();
        configs.deleteWebhook(actor, id);
        Audit.log(actor, "delete_webhook_config", id, null);
        return Response.noContent().build();
    }
}
