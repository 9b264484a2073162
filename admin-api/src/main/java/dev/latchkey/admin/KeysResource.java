package dev.latchkey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.Actor;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.CreateKeyRequest;
import dev.latchkey.core.Environment;
import dev.latchkey.core.FieldError;
import dev.latchkey.core.IpRuleInput;
import dev.latchkey.core.IssuedKey;
import dev.latchkey.core.KeyManager;
import dev.latchkey.core.KeyPatch;
import dev.latchkey.core.KeyRules;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.LimitManager;
import dev.latchkey.core.Page;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.ResetStarted;
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
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code /v1/keys}: create, list, read, patch, status, rotate, reset and delete keys (API.md §3). Each method maps
 * JSON to core's {@link KeyManager}, which holds every rule; answers that carry a plaintext token say
 * {@code Cache-Control: no-store}.
 */
@Path("/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "keys", description = "API keys")
public final class KeysResource {

    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String NO_STORE = "no-store";
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,30}");
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    @Inject
    private KeyManager manager;
    @Inject
    private LimitManager limits;
    @Inject
    private Clock clock;
    @Context
    private SecurityContext security;

    private Actor actor() {
        return AdminAuthFilter.actor(security);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createKey", summary = "Create a key (or import a caller-chosen token)",
            responses = @ApiResponse(responseCode = "201", description = "the key plus its token, shown once",
                    headers = {@Header(name = "Location", description = "/v1/keys/{id}"),
                            @Header(name = "Cache-Control", description = "no-store"),
                            @Header(name = "ETag", description = "\"<version>\"")},
                    content = @Content(schema = @Schema(implementation = Wire.CreatedKey.class))))
    public Response create(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Wire.CreateBody.class))) @Nullable JsonNode body) {
        CreateKeyRequest request = CreateReader.read(body, clock.instant());
        Actor actor = actor();
        IssuedKey issued = manager.create(actor, request);
        ApiKey key = issued.key();
        Audit.log(actor, "create", key.id(), "tenant_id=" + key.tenantId());
        return Response.created(URI.create("/v1/keys/" + key.id()))
                .header("Cache-Control", NO_STORE)
                .header("ETag", etag(key))
                .entity(Wire.CreatedKey.of(view(key), issued.token()))
                .build();
    }

    @GET
    @Operation(operationId = "listKeys", summary = "List keys, newest first, masked",
            responses = @ApiResponse(responseCode = "200", description = "one page of keys",
                    content = @Content(schema = @Schema(implementation = Wire.KeyList.class))))
    public Wire.KeyList list(
            @Parameter(description = "keys to skip (< 0 reads as 0)", schema = @Schema(type = "integer", format = "int64"))
            @QueryParam("offset") @Nullable String offset,
            @Parameter(description = "page size (≤ 0 reads as 20, > 500 as 500)",
                    schema = @Schema(type = "integer", format = "int64")) @QueryParam("limit") @Nullable String limit,
            @Parameter(description = "only this tenant's keys (a tenant admin may name only its own)")
            @QueryParam("tenant_id") @Nullable String tenantId,
            @Parameter(schema = @Schema(allowableValues = {"active", "inactive", "blocked", "expired"}))
            @QueryParam("status") @Nullable String status,
            @Parameter(schema = @Schema(allowableValues = {"standard", "trial"})) @QueryParam("type") @Nullable String type,
            @Parameter(schema = @Schema(allowableValues = {"live", "test"}))
            @QueryParam("environment") @Nullable String environment) {
        List<FieldError> errors = new ArrayList<>();
        long o = integer("offset", offset, 0, errors);
        long l = integer("limit", limit, 0, errors);
        String tenant = KeyRules.id("tenant_id", tenantId, errors);
        KeyStatus s = null;
        if (status != null) {
            s = KeyStatus.fromWire(status);
            if (s == null) {
                errors.add(new FieldError("status", "invalid", "must be one of active, inactive, blocked, expired"));
            }
        }
        KeyType t = null;
        if (type != null) {
            t = KeyType.fromWire(type);
            if (t == null) {
                errors.add(new FieldError("type", "invalid", "must be one of standard, trial"));
            }
        }
        Environment e = null;
        if (environment != null) {
            e = Environment.fromWire(environment);
            if (e == null) {
                errors.add(new FieldError("environment", "invalid", "must be one of live, test"));
            }
        }
        KeyRules.throwIfAny(errors);
        Page<ApiKey> page = manager.list(actor(), tenant, s, t, e, o, l);
        return Wire.KeyList.of(page, clock.instant(), limits.limitsOf(page.items()));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getKey", summary = "Read a key",
            responses = @ApiResponse(responseCode = "200", description = "the key",
                    headers = @Header(name = "ETag", description = "\"<version>\""),
                    content = @Content(schema = @Schema(implementation = Wire.Key.class))))
    public Response get(@PathParam("id") String id) {
        ApiKey key = manager.get(actor(), id);
        return Response.ok(view(key)).header("ETag", etag(key)).build();
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH})
    @Operation(operationId = "updateKey",
            summary = "Change a key's name, owner, scopes, IP rules, expiry, metadata, limits or config overrides",
            description = "A field set to null is cleared (expires_at of a trial key cannot be cleared); lists and"
                    + " maps replace the whole value, rate_limit and quota too (null inherits the tenant default)."
                    + " Only root and latchkey:admin may change rate_limit and quota (sending the current value back"
                    + " is not a change); effective is read-only.",
            responses = {
                    @ApiResponse(responseCode = "200", description = "the changed key",
                            headers = @Header(name = "ETag", description = "\"<version>\""),
                            content = @Content(schema = @Schema(implementation = Wire.Key.class))),
                    @ApiResponse(responseCode = "409", ref = "#/components/responses/conflict"),
                    @ApiResponse(responseCode = "412", ref = "#/components/responses/precondition_failed")})
    public Response update(@PathParam("id") String id,
            @Parameter(in = ParameterIn.HEADER, description = "the ETag last read") @HeaderParam("If-Match") @Nullable String ifMatch,
            @RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Wire.PatchBody.class)),
                    @Content(mediaType = MERGE_PATCH, schema = @Schema(implementation = Wire.PatchBody.class))})
            @Nullable JsonNode body) {
        Actor actor = actor();
        KeyPatch patch = PatchReader.read(body);
        Long expected = ifMatch(ifMatch, id);
        ApiKey key;
        if (patch.isEmpty()) {
            key = manager.get(actor, id);
            if (expected != null && expected != key.version()) {
                throw new ApiException(412, "precondition_failed",
                        "the key has changed since version " + expected + "; it is at version " + key.version());
            }
        } else {
            key = manager.update(actor, id, patch, expected);
            Audit.log(actor, "update", key.id(), "fields=" + PatchReader.fields(patch));
        }
        return Response.ok(view(key)).header("ETag", etag(key)).build();
    }

    @PUT
    @Path("{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setKeyStatus", summary = "Activate, deactivate, block or unblock a key",
            responses = {
                    @ApiResponse(responseCode = "200", description = "the changed key",
                            headers = @Header(name = "ETag", description = "\"<version>\""),
                            content = @Content(schema = @Schema(implementation = Wire.Key.class))),
                    @ApiResponse(responseCode = "409", ref = "#/components/responses/conflict"),
                    @ApiResponse(responseCode = "412", ref = "#/components/responses/precondition_failed")})
    public Response status(@PathParam("id") String id,
            @Parameter(in = ParameterIn.HEADER, description = "the ETag last read") @HeaderParam("If-Match") @Nullable String ifMatch,
            @RequestBody(required = true) Wire.@Nullable StatusBody body) {
        if (body == null) {
            throw ApiException.invalid("", "required", "a JSON body is required");
        }
        Actor actor = actor();
        ApiKey key = manager.setStatus(actor, id, body.status(), body.reason(), ifMatch(ifMatch, id));
        Audit.log(actor, "set_status", key.id(), "status=" + key.storedStatus().wire());
        return Response.ok(view(key)).header("ETag", etag(key)).build();
    }

    @POST
    @Path("{id}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "rotateKey", summary = "Issue a new token; the old one stays valid for the grace window",
            responses = {
                    @ApiResponse(responseCode = "200", description = "the key and its new token, shown once",
                            headers = {@Header(name = "Cache-Control", description = "no-store"),
                                    @Header(name = "ETag", description = "\"<version>\"")},
                            content = @Content(schema = @Schema(implementation = Wire.Rotated.class))),
                    @ApiResponse(responseCode = "409", ref = "#/components/responses/conflict")})
    public Response rotate(@PathParam("id") String id,
            @RequestBody(description = "optional; no body at all is fine") Wire.@Nullable RotateBody body) {
        Actor actor = actor();
        boolean force = body != null && Boolean.TRUE.equals(body.force());
        Long grace = body == null ? null : body.graceSeconds();
        IssuedKey issued = manager.rotate(actor, id, force, grace);
        Audit.log(actor, "rotate", issued.key().id(), "force=" + force);
        return Response.ok(new Wire.Rotated(view(issued.key()), issued.token()))
                .header("Cache-Control", NO_STORE)
                .header("ETag", etag(issued.key()))
                .build();
    }

    @POST
    @Path("{id}/reset")
    @Operation(operationId = "resetKey", summary = "Replace the token now; the old one dies at once (asynchronous job)",
            responses = {
                    @ApiResponse(responseCode = "202", description = "the job and the new token, shown once",
                            headers = {@Header(name = "Location", description = "/v1/jobs/{job id}"),
                                    @Header(name = "Cache-Control", description = "no-store")},
                            content = @Content(schema = @Schema(implementation = Wire.ResetAccepted.class))),
                    @ApiResponse(responseCode = "409", ref = "#/components/responses/conflict")})
    public Response reset(@PathParam("id") String id) {
        Actor actor = actor();
        ResetStarted started = manager.reset(actor, id);
        Audit.log(actor, "reset", started.job().keyId(), "job_id=" + started.job().id());
        return Response.accepted(new Wire.ResetAccepted(started.job().id(), started.job().jobName(),
                        started.job().status().wire(), started.job().keyId(), started.token()))
                .location(URI.create("/v1/jobs/" + started.job().id()))
                .header("Cache-Control", NO_STORE)
                .build();
    }

    @DELETE
    @Path("{id}")
    // A 204 has no body, so a client that accepts only problems (as generated clients do here) must not get a 406.
    @Produces({MediaType.APPLICATION_JSON, Problems.PROBLEM_JSON})
    @Operation(operationId = "deleteKey", summary = "Delete a key; its tokens stop working at once",
            responses = {
                    @ApiResponse(responseCode = "204", description = "deleted"),
                    @ApiResponse(responseCode = "409", ref = "#/components/responses/conflict")})
    public Response delete(@PathParam("id") String id) {
        Actor actor = actor();
        manager.delete(actor, id);
        Audit.log(actor, "delete", id, null);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/credits")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changeCredits", summary = "Increment, decrement or set a key's quota balance",
            description = "Root and latchkey:admin only. Atomic; never below 0; version, ETag and updated_at stay as"
                    + " they are. 409 when the key has no effective quota or a decrement would go below 0.",
            responses = {
                    @ApiResponse(responseCode = "200", description = "the balance afterwards",
                            content = @Content(schema = @Schema(implementation = Wire.Credits.class))),
                    @ApiResponse(responseCode = "409", ref = "#/components/responses/conflict")})
    public Wire.Credits credits(@PathParam("id") String id,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Wire.CreditsBody.class))) @Nullable JsonNode body) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw ApiException.invalid("", "required", "a JSON body is required");
        }
        if (!body.isObject()) {
            throw ApiException.invalid("", "type", "the body must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        String op = null;
        Long amount = null;
        var fields = body.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            switch (f.getKey()) {
                case "op" -> {
                    if (f.getValue().isTextual()) {
                        op = f.getValue().textValue();
                    } else {
                        errors.add(PatchReader.type("op", "one of \"increment\", \"decrement\", \"set\""));
                    }
                }
                case "amount" -> amount = LimitsReader.integer("amount", f.getValue(), errors);
                default -> errors.add(new FieldError(PatchReader.safe(f.getKey()), "unknown", "is not a known field"));
            }
        }
        KeyRules.throwIfAny(errors);
        Actor actor = actor();
        QuotaState state = limits.credits(actor, id, op, amount);
        Audit.log(actor, "credits", id, "op=" + op);
        return Wire.Credits.of(state);
    }

    /** Returns a key as answered, with what applies after inheritance and its live balance. */
    private Wire.Key view(ApiKey key) {
        return Wire.Key.of(key, clock.instant(), limits.limitsOf(key));
    }

    static String etag(ApiKey key) {
        return "\"" + key.version() + "\"";
    }

    private @Nullable Long ifMatch(@Nullable String header, String id) {
        return EntityTags.expectedVersion(header, () -> manager.get(actor(), id).version(), 0L);
    }

    static long integer(String field, @Nullable String value, long absent, List<FieldError> errors) {
        if (value == null) {
            return absent;
        }
        String v = value.trim();
        if (!INTEGER.matcher(v).matches()) {
            errors.add(new FieldError(field, "type", "must be an integer"));
            return absent;
        }
        BigInteger n = new BigInteger(v);
        return n.max(LONG_MIN).min(LONG_MAX).longValue();
    }
}
