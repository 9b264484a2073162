package dev.latchkey.admin;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.FieldError;
import dev.latchkey.core.admin.KeyLimits;
import dev.latchkey.core.admin.KeyRules;
import dev.latchkey.core.admin.LimitRules;
import dev.latchkey.core.internal.IpAddresses;
import dev.latchkey.core.internal.Scopes;
import dev.latchkey.engine.Allow;
import dev.latchkey.engine.Decision;
import dev.latchkey.engine.Denial;
import inet.ipaddr.IPAddress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/verify}: the filter's decision for callers that are not Java, taken by the same engine
 * ({@link dev.latchkey.engine.Authenticator}: key cache, verification, usage counting, metrics); callers bound to a tenant
 * ({@code latchkey:verify}, {@code latchkey:tenant-admin}) read other tenants' tokens as {@code not_found}.
 */
@Path("/v1/verify")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "verify", description = "Token verification")
public final class VerifyResource {

    @Inject
    private AdminContext context;
    @Context
    private SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "verifyToken", summary = "Verify a token as the filter would",
            description = "A valid verification counts as a use of the key.",
            responses = @ApiResponse(responseCode = "200", description = "valid or not, with the reason",
                    content = @Content(schema = @Schema(implementation = Wire.VerifyResult.class))))
    public Wire.VerifyResult verify(@RequestBody(required = true) Wire.@Nullable VerifyBody body) {
        if (body == null) {
            throw ApiException.invalid("", "required", "a JSON body is required");
        }
        Actor actor = AdminAuthFilter.actor(security);
        List<FieldError> errors = new ArrayList<>();
        if (body.token() == null) {
            errors.add(new FieldError("token", "required", "is required"));
        }
        IPAddress ip = null;
        if (body.ip() != null) {
            ip = IpAddresses.parseAddress(body.ip());
            if (ip == null) {
                errors.add(new FieldError("ip", "invalid", "must be one IPv4 or IPv6 address"));
            }
        }
        List<String> scopes = body.scopes() == null ? List.of() : body.scopes();
        if (scopes.size() > Scopes.MAX_SCOPES) {
            errors.add(new FieldError("scopes", "size", "must have at most " + Scopes.MAX_SCOPES + " scopes"));
        } else {
            for (int i = 0; i < scopes.size(); i++) {
                String s = scopes.get(i);
                if (s == null || !Scopes.PATTERN.matcher(s).matches()) {
                    errors.add(new FieldError("scopes[" + i + "]", "pattern", "must match [a-z0-9:._*-]{1,64}"));
                }
            }
        }
        long cost = LimitRules.cost("cost", body.cost(), errors);
        KeyRules.throwIfAny(errors);
        String tenant = actor.platformAdmin() ? null : actor.tenantId();
        Decision d = context.verifyAuthenticator().verify(String.valueOf(body.token()), ip, scopes, tenant, cost);
        if (d instanceof Allow allow) {
            Instant now = context.clock().instant();
            ChargeResult c = allow.charge();
            Wire.VerifyRate rate = c == null || c.rate() == null ? null
                    : new Wire.VerifyRate(c.rate().limit(), c.rate().remaining(), c.rate().resetSeconds());
            Wire.VerifyQuota quota = c == null || c.quota() == null ? null
                    : new Wire.VerifyQuota(Math.max(0, c.quota().remaining()),
                            c.quota().refillsAt() == null ? null : Wire.time(c.quota().refillsAt()));
            return new Wire.VerifyResult(true, "valid", Wire.Key.of(allow.key(), now, limitsOf(allow.key(), c)),
                    null, rate, quota);
        }
        Denial denial = (Denial) d;
        if (denial.status() >= 500) {
            throw ApiException.of(denial);
        }
        return Wire.VerifyResult.invalid(denial.reason(), denial.bodyRetryAfter());
    }

    /**
     * The limits the key answer shows. The engine may admit a key without the store (API.md §8: {@code local} and
     * {@code open} while it is unreachable), and the use is then already counted, so an unreadable store must not
     * turn that decision into a 503: the answer then shows the key's own fields (its tenant's defaults cannot be
     * read) with the balance this charge returned, if any.
     */
    private KeyLimits limitsOf(ApiKey key, @Nullable ChargeResult charge) {
        try {
            return context.manager().limits().limitsOf(key);
        } catch (StoreUnavailableException e) {
            KeyLimits own = KeyLimits.ownOnly(key);
            QuotaState balance = charge == null || own.effective().quota() == null ? null : charge.quota();
            return new KeyLimits(own.effective(), balance);
        }
    }
}
