package dev.latchkey.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.FieldError;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.Job;
import dev.latchkey.core.Page;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of the admin API (API.md §3 and §4), as records that Jackson writes in snake_case and swagger
 * describes. Times are RFC 3339 UTC text; every key field is always present ({@code null}, {@code []} or
 * {@code {}} when unset).
 */
final class Wire {

    private Wire() {
    }

    static @Nullable String time(@Nullable Instant at) {
        return at == null ? null : at.toString();
    }

    /** One IP rule of a key, as answered. */
    @Schema(name = "IpRestriction")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record IpRule(String id, String value, @Nullable String label, String status) {
        static IpRule of(IpRestriction r) {
            return new IpRule(r.id(), r.value(), r.label(), r.status().wire());
        }
    }

    /** One IP rule as a caller writes it. */
    @Schema(name = "IpRestrictionInput")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record IpRuleBody(@Schema(example = "203.0.113.0/24", requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String value,
            @Nullable String label, @Schema(allowableValues = {"active", "inactive"}) @Nullable String status) {
    }

    /** A key as every answer shows it; never a secret. */
    @Schema(name = "Key")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Key(
            String id,
            String tenantId,
            @Nullable String ownerId,
            String name,
            @Schema(allowableValues = {"live", "test"}) String environment,
            @Schema(allowableValues = {"standard", "trial"}) String type,
            @Schema(allowableValues = {"active", "inactive", "blocked", "expired"}) String status,
            List<String> scopes,
            List<IpRule> ipRestrictions,
            Map<String, String> metadata,
            @Schema(example = "lk_live_01JD…7Q4x") String hint,
            String createdAt,
            String updatedAt,
            @Nullable String expiresAt,
            @Nullable String lastUsedAt,
            @Nullable String lastUsedIp,
            long usageCount,
            @Nullable String previousTokenExpiresAt,
            @Nullable String statusChangedAt,
            @Nullable String statusChangedBy,
            @Nullable String statusReason,
            long version) {

        static Key of(ApiKey k, Instant now) {
            return new Key(k.id(), k.tenantId(), k.ownerId(), k.name(), k.environment().wire(), k.type().wire(),
                    k.effectiveStatus(now).wire(), k.scopes(), k.ipRestrictions().stream().map(IpRule::of).toList(),
                    k.metadata(), k.hint(), time(k.createdAt()), time(k.updatedAt()), time(k.expiresAt()),
                    time(k.usage().lastUsedAt()), k.usage().lastUsedIp(), k.usage().count(),
                    k.previousIfValid(now) == null ? null : time(k.previousExpiresAt()),
                    time(k.statusChange().at()), k.statusChange().by(), k.statusChange().reason(), k.version());
        }
    }

    /** A created key with its token, shown exactly once. */
    @Schema(name = "CreatedKey", description = "A key plus its plaintext token, returned only by create")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreatedKey(
            String id, String tenantId, @Nullable String ownerId, String name,
            @Schema(allowableValues = {"live", "test"}) String environment,
            @Schema(allowableValues = {"standard", "trial"}) String type,
            @Schema(allowableValues = {"active", "inactive", "blocked", "expired"}) String status, List<String> scopes, List<IpRule> ipRestrictions, Map<String, String> metadata,
            String hint, String createdAt, String updatedAt, @Nullable String expiresAt, @Nullable String lastUsedAt,
            @Nullable String lastUsedIp, long usageCount, @Nullable String previousTokenExpiresAt,
            @Nullable String statusChangedAt, @Nullable String statusChangedBy, @Nullable String statusReason,
            long version, String token) {

        static CreatedKey of(Key k, String token) {
            return new CreatedKey(k.id(), k.tenantId(), k.ownerId(), k.name(), k.environment(), k.type(), k.status(),
                    k.scopes(), k.ipRestrictions(), k.metadata(), k.hint(), k.createdAt(), k.updatedAt(),
                    k.expiresAt(), k.lastUsedAt(), k.lastUsedIp(), k.usageCount(), k.previousTokenExpiresAt(),
                    k.statusChangedAt(), k.statusChangedBy(), k.statusReason(), k.version(), token);
        }
    }

    /** One page of keys. */
    @Schema(name = "KeyList")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KeyList(long total, int size, int offset, int limit, List<Key> keys) {
        static KeyList of(Page<ApiKey> page, Instant now) {
            List<Key> keys = page.items().stream().map(k -> Key.of(k, now)).toList();
            return new KeyList(page.total(), keys.size(), page.offset(), page.limit(), keys);
        }
    }

    /** The body of {@code POST /v1/keys}. */
    @Schema(name = "CreateKey")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "billing export") @Nullable String name,
            @Schema(example = "default") @Nullable String tenantId,
            @Nullable String ownerId,
            @Schema(allowableValues = {"live", "test"}) @Nullable String environment,
            @Schema(allowableValues = {"standard", "trial"}) @Nullable String type,
            @Nullable List<String> scopes,
            @Nullable List<IpRuleBody> ipRestrictions,
            @Schema(example = "2030-01-31T00:00:00Z") @Nullable String expiresAt,
            @Nullable Map<String, String> metadata,
            @Schema(description = "import a caller-chosen token: 8 to 128 of [A-Za-z0-9+-_/=]") @Nullable String token) {

        @Override
        public String toString() {
            return "CreateBody[name=" + name + ", token=" + (token == null ? "none" : "(hidden)") + "]";
        }
    }

    /** The body of {@code PATCH /v1/keys/{id}}: any subset; {@code null} clears. */
    @Schema(name = "KeyPatch")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PatchBody(@Nullable String name, @Nullable String ownerId, @Nullable List<String> scopes,
            @Nullable List<IpRuleBody> ipRestrictions, @Nullable String expiresAt,
            @Nullable Map<String, String> metadata) {
    }

    /** The body of {@code PUT /v1/keys/{id}/status}. */
    @Schema(name = "StatusChange")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StatusBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"active", "inactive", "blocked"})
            @Nullable String status,
            @Schema(maxLength = 200) @Nullable String reason) {
    }

    /** The optional body of {@code POST /v1/keys/{id}/rotate}. */
    @Schema(name = "Rotate")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RotateBody(@Nullable Boolean force,
            @Schema(minimum = "0", maximum = "604800", example = "21600") @Nullable Long graceSeconds) {
    }

    /** The answer to a rotation. */
    @Schema(name = "Rotated")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Rotated(Key key, String token) {
    }

    /** The answer to a reset: the job and the new token. */
    @Schema(name = "ResetAccepted")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ResetAccepted(String id, String jobName,
            @Schema(allowableValues = {"running", "success", "failed"}) String status, String keyId, String apiKey) {
    }

    /** A job, without any secret. */
    @Schema(name = "Job")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record JobView(String id, String jobName,
            @Schema(allowableValues = {"running", "success", "failed"}) String status, String keyId,
            String createdAt, @Nullable String finishedAt, @Nullable String error) {
        static JobView of(Job j) {
            return new JobView(j.id(), j.jobName(), j.status().wire(), j.keyId(), time(j.createdAt()),
                    time(j.finishedAt()), j.error());
        }
    }

    /** The body of {@code POST /v1/verify}. */
    @Schema(name = "VerifyRequest")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VerifyBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String token,
            @Schema(example = "203.0.113.7") @Nullable String ip, @Nullable List<String> scopes) {

        @Override
        public String toString() {
            return "VerifyBody[ip=" + ip + ", scopes=" + scopes + "]";
        }
    }

    /** The answer of {@code POST /v1/verify}. */
    @Schema(name = "VerifyResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VerifyResult(boolean valid,
            @Schema(allowableValues = {"valid", "malformed", "not_found", "inactive", "blocked", "expired",
                    "ip_not_allowed", "insufficient_scope", "rate_limited"}) String code,
            @Nullable Key key) {
    }

    /** The answer of {@code GET /health}. */
    @Schema(name = "Health")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Health(@Schema(allowableValues = {"up", "down"}) String status, String store, @Nullable String detail) {
    }

    /** One invalid field of a problem. */
    @Schema(name = "FieldError")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record FieldProblem(String field, String code, String description) {
        static FieldProblem of(FieldError e) {
            return new FieldProblem(e.field(), e.code(), e.description());
        }
    }

    /** An RFC 9457 problem, with Latchkey's extension members at the top level. */
    @Schema(name = "Problem")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Problem(
            @Schema(example = "urn:latchkey:problem:invalid_request") String type,
            String title,
            int status,
            String detail,
            String instance,
            String code,
            String requestId,
            String timestamp,
            List<FieldProblem> errors,
            @Nullable String traceId) {
    }
}
