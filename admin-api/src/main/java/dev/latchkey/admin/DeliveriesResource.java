package dev.latchkey.admin;

import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.FieldError;
import dev.latchkey.core.admin.KeyRules;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.WebhookConfig;
import dev.latchkey.core.events.Delivery;
import dev.latchkey.core.events.DeliveryStatus;
import dev.latchkey.core.events.EventLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code /v1/webhook-configs/{id}/deliveries}: what became of the events sent to one webhook config (API.md §10),
 * newest first, and one delivery with every attempt. A config of another tenant, or a delivery of one, is a 404
 * {@code not_found}, as unknown ids are.
 */
@Path("/v1/webhook-configs/{id}/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhook-configs", description = "Webhook configs and their deliveries")
public final class DeliveriesResource {

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,18}");

    @Inject
    private KeyStore store;
    @Context
    private SecurityContext security;

    @GET
    @Operation(operationId = "listWebhookDeliveries", summary = "List a webhook config's deliveries, newest first",
            responses = @ApiResponse(responseCode = "200", description = "one page of deliveries",
                    content = @Content(schema = @Schema(implementation = DeliveryViews.DeliveryList.class))))
    public DeliveryViews.DeliveryList list(@PathParam("id") String id,
            @Parameter(schema = @Schema(allowableValues = {"pending", "delivered", "failed"}))
            @QueryParam("status") @Nullable String status,
            @Parameter(description = "deliveries to skip (< 0 reads as 0)",
                    schema = @Schema(type = "integer", format = "int64")) @QueryParam("offset") @Nullable String offset,
            @Parameter(description = "page size (≤ 0 reads as 20, > 500 as 500)",
                    schema = @Schema(type = "integer", format = "int64")) @QueryParam("limit") @Nullable String limit) {
        List<FieldError> errors = new ArrayList<>();
        DeliveryStatus s = null;
        if (status != null) {
            s = DeliveryStatus.fromWire(status);
            if (s == null) {
                errors.add(new FieldError("status", "invalid", "must be one of pending, delivered, failed"));
            }
        }
        long o = integer("offset", offset, 0, errors);
        long l = integer("limit", limit, 20, errors);
        KeyRules.throwIfAny(errors);
        WebhookConfig config = visibleConfig(id);
        int from = (int) Math.max(0, Math.min(o, Integer.MAX_VALUE));
        int size = l <= 0 ? 20 : (int) Math.min(l, 500);
        return DeliveryViews.DeliveryList.of(log().deliveries(config.id(), s, from, size));
    }

    @GET
    @Path("{delivery_id}")
    @Operation(operationId = "getWebhookDelivery", summary = "Read a delivery with every attempt, oldest first",
            responses = @ApiResponse(responseCode = "200", description = "the delivery",
                    content = @Content(schema = @Schema(implementation = DeliveryViews.Detail.class))))
    public DeliveryViews.Detail get(@PathParam("id") String id, @PathParam("delivery_id") String deliveryId) {
        WebhookConfig config = visibleConfig(id);
        Optional<Delivery> d = log().delivery(deliveryId).filter(x -> x.configId().equals(config.id()));
        if (d.isEmpty()) {
            throw new ApiException(404, "not_found", "there is no delivery " + safe(deliveryId) + " of this config");
        }
        return DeliveryViews.Detail.of(d.get());
    }

    /** Returns the config when the caller may see it; else 404, whether it is another tenant's or none at all. */
    private WebhookConfig visibleConfig(String id) {
        Actor actor = AdminAuthFilter.actor(security);
        if (!actor.manager()) {
            throw new ApiException(403, "forbidden", "this key may only verify tokens");
        }
        Optional<WebhookConfig> c = store.supportsConfigs() ? store.webhookConfigs().find(id) : Optional.empty();
        if (c.isEmpty() || !actor.canSee(c.get().tenantId())) {
            throw new ApiException(404, "not_found", "there is no webhook config " + safe(id));
        }
        return c.get();
    }

    private EventLog log() {
        EventLog log = store.events();
        if (log == null) {
            throw new ApiException(404, "not_found", "this store keeps no webhook deliveries");
        }
        return log;
    }

    private static String safe(String id) {
        return id.length() <= 64 && id.chars().allMatch(Character::isLetterOrDigit) ? id : "(that id)";
    }

    private static long integer(String field, @Nullable String value, long absent, List<FieldError> errors) {
        if (value == null) {
            return absent;
        }
        String v = value.trim();
        if (!INTEGER.matcher(v).matches()) {
            errors.add(new FieldError(field, "type", "must be an integer"));
            return absent;
        }
        return Long.parseLong(v);
    }
}
