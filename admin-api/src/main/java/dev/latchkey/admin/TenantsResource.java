package dev.latchkey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.DefaultsInput;
import dev.latchkey.core.admin.FieldError;
import dev.latchkey.core.admin.KeyRules;
import dev.latchkey.core.admin.LimitManager;
import dev.latchkey.core.admin.LimitRules;
import dev.latchkey.core.admin.QuotaInput;
import dev.latchkey.core.admin.RateLimitInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code /v1/tenants/{tenant_id}/defaults} (API.md §9): what a tenant's keys inherit where their own field is
 * {@code null}. Any admin of the tenant reads them; {@code rate_limit} and {@code quota} are changed only by root and
 * {@code latchkey:admin} (a tenant admin's {@code PUT} must carry the current two unchanged). The rules are core's
 * {@link LimitManager}; this class reads the body (exactly the four fields, each required) and {@code If-Match}.
 */
@Path("/v1/tenants/{tenant_id}/defaults")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tenants", description = "Tenant defaults")
public final class TenantsResource {

    private static final List<String> FIELDS = List.of("rate_limit", "quota", "webhook_config", "storage_config");

    @Inject
    private LimitManager limits;
    @Context
    private SecurityContext security;

    @GET
    @Operation(operationId = "getTenantDefaults", summary = "Read a tenant's defaults",
            description = "All four null, version 0 and updated_at null until first set, also for a tenant with no"
                    + " keys. Another tenant's admin gets 403.",
            responses = @ApiResponse(responseCode = "200", description = "the defaults",
                    headers = @Header(name = "ETag", description = "\"<version>\""),
                    content = @Content(schema = @Schema(implementation = Wire.Defaults.class))))
    public Response get(@PathParam("tenant_id") String tenantId) {
        TenantDefaults d = limits.defaults(AdminAuthFilter.actor(security), tenantId);
        return Response.ok(Wire.Defaults.of(d)).header("ETag", etag(d)).build();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putTenantDefaults", summary = "Replace a tenant's defaults",
            description = "A body of exactly rate_limit, quota (limit and period only), webhook_config and"
                    + " storage_config, each required (null allowed). Only root and latchkey:admin change rate_limit"
                    + " and quota.",
            responses = {
                    @ApiResponse(responseCode = "200", description = "the defaults",
                            headers = @Header(name = "ETag", description = "\"<version>\""),
                            content = @Content(schema = @Schema(implementation = Wire.Defaults.class))),
                    @ApiResponse(responseCode = "412", ref = "#/components/responses/precondition_failed")})
    public Response put(@PathParam("tenant_id") String tenantId,
            @Parameter(in = ParameterIn.HEADER, description = "the ETag last read") @HeaderParam("If-Match") @Nullable String ifMatch,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Wire.DefaultsBody.class))) @Nullable JsonNode body) {
        DefaultsInput input = read(body);
        Actor actor = AdminAuthFilter.actor(security);
        Long expected = ifMatch(ifMatch, actor, tenantId);
        TenantDefaults d = limits.putDefaults(actor, tenantId, input, expected);
        Audit.log(actor, "put_tenant_defaults", "-", "tenant_id=" + d.tenantId());
        return Response.ok(Wire.Defaults.of(d)).header("ETag", etag(d)).build();
    }

    static DefaultsInput read(@Nullable JsonNode body) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw ApiException.invalid("", "required", "a JSON body is required");
        }
        if (!body.isObject()) {
            throw ApiException.invalid("", "type", "the body must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        RateLimitInput rate = null;
        QuotaInput quota = null;
        String webhook = null;
        String storage = null;
        Iterator<Map.Entry<String, JsonNode>> it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String f = e.getKey();
            JsonNode v = e.getValue();
            switch (f) {
                case "rate_limit" -> rate = LimitsReader.rateLimit(f, v, errors);
                case "quota" -> quota = LimitsReader.quota(f, v, errors);
                case "webhook_config" -> webhook = LimitsReader.configId(f, v, errors);
                case "storage_config" -> storage = LimitsReader.configId(f, v, errors);
                default -> errors.add(new FieldError(PatchReader.safe(f), "unknown", "is not a known field"));
            }
        }
        Set<String> present = new java.util.HashSet<>();
        body.fieldNames().forEachRemaining(present::add);
        for (String f : FIELDS) {
            if (!present.contains(f)) {
                errors.add(new FieldError(f, "required", "is required (null for none)"));
            }
        }
        if (!errors.isEmpty()) {
            // The shape is wrong: also report the well-typed members' values, once per field (as CreateReader does).
            List<FieldError> values = new ArrayList<>();
            LimitRules.rateLimit("rate_limit", rate, values);
            LimitRules.quota("quota", quota, false, values);
            KeyRules.configId("webhook_config", webhook, values);
            KeyRules.configId("storage_config", storage, values);
            Set<String> reported = new java.util.HashSet<>();
            errors.forEach(e -> reported.add(e.field()));
            values.stream().filter(e -> !reported.contains(e.field())).forEach(errors::add);
        }
        KeyRules.throwIfAny(errors);
        return new DefaultsInput(rate, quota, webhook, storage);
    }

    private @Nullable Long ifMatch(@Nullable String header, Actor actor, String tenantId) {
        return EntityTags.expectedVersion(header, () -> limits.defaults(actor, tenantId).version(), -1L);
    }

    static String etag(TenantDefaults d) {
        return "\"" + d.version() + "\"";
    }
}
