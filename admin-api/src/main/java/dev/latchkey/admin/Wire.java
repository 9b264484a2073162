package dev.latchkey.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.EffectiveLimits;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.Job;
import dev.latchkey.core.Page;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.admin.FieldError;
import dev.latchkey.core.admin.KeyLimits;
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
            long version,
            @Schema(description = "the key's own rate limit; null inherits the tenant default")
            @Nullable RateLimitView rateLimit,
            @Schema(description = "the key's own quota with its live balance; null inherits the tenant default")
            @Nullable QuotaView quota,
            @Schema(description = "the key's own webhook config id; null inherits") @Nullable String webhookConfig,
            @Schema(description = "the key's own storage config id; null inherits") @Nullable String storageConfig,
            Effective effective) {

        /** Returns the key with its own limits only (no tenant defaults or live balance were read). */
        static Key of(ApiKey k, Instant now) {
            return of(k, now, KeyLimits.ownOnly(k));
        }

        /** Returns the key with what applies after inheritance and its live balance. */
        static Key of(ApiKey k, Instant now, KeyLimits limits) {
            QuotaState balance = limits.balance();
            QuotaView ownQuota = k.quota() == null ? null : QuotaView.of(k.quota(), balance);
            return new Key(k.id(), k.tenantId(), k.ownerId(), k.name(), k.environment().wire(), k.type().wire(),
                    k.effectiveStatus(now).wire(), k.scopes(), k.ipRestrictions().stream().map(IpRule::of).toList(),
                    k.metadata(), k.hint(), time(k.createdAt()), time(k.updatedAt()), time(k.expiresAt()),
                    time(k.usage().lastUsedAt()), k.usage().lastUsedIp(), k.usage().count(),
                    k.previousIfValid(now) == null ? null : time(k.previousExpiresAt()),
                    time(k.statusChange().at()), k.statusChange().by(), k.statusChange().reason(), k.version(),
                    RateLimitView.of(k.rateLimit()), ownQuota, k.webhookConfig(), k.storageConfig(),
                    Effective.of(limits));
        }
    }

    /** A rate limit as answered and written (API.md §8). */
    @Schema(name = "RateLimit")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RateLimitView(@Schema(minimum = "1", maximum = "1000000", example = "100") long limit,
            @Schema(minimum = "1", maximum = "86400", example = "60") long periodSeconds) {
        static @Nullable RateLimitView of(@Nullable RateLimit r) {
            return r == null ? null : new RateLimitView(r.limit(), r.periodSeconds());
        }
    }

    /** A quota as answered: its spec and the live balance. */
    @Schema(name = "Quota")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record QuotaView(@Schema(minimum = "1", maximum = "1000000000000", example = "10000") long limit,
            @Schema(allowableValues = {"day", "month", "none"}) String period,
            @Schema(description = "the live balance; may exceed limit after credits until the next refill")
            @Nullable Long remaining,
            @Schema(description = "when the balance next refills; null for prepaid credits") @Nullable String refillsAt) {
        static QuotaView of(Quota q, @Nullable QuotaState balance) {
            return new QuotaView(q.limit(), q.period().wire(), balance == null ? null : balance.remaining(),
                    balance == null ? null : time(balance.refillsAt()));
        }
    }

    /** A quota as a tenant default holds it: a limit and a period only. */
    @Schema(name = "QuotaSpec")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record QuotaSpec(@Schema(minimum = "1", maximum = "1000000000000", example = "10000") long limit,
            @Schema(allowableValues = {"day", "month", "none"}) String period) {
        static @Nullable QuotaSpec of(@Nullable Quota q) {
            return q == null ? null : new QuotaSpec(q.limit(), q.period().wire());
        }
    }

    /** What applies to a key now after inheritance; read-only. */
    @Schema(name = "Effective", description = "read-only: what applies after inheritance (null where nothing does)")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Effective(@Nullable RateLimitView rateLimit, @Nullable QuotaView quota, @Nullable String webhookConfig,
            @Nullable String storageConfig) {
        static Effective of(KeyLimits limits) {
            EffectiveLimits e = limits.effective();
            return new Effective(RateLimitView.of(e.rateLimit()),
                    e.quota() == null ? null : QuotaView.of(e.quota(), limits.balance()), e.webhookConfig(),
                    e.storageConfig());
        }
    }

    /** A quota as a caller writes it on a key. */
    @Schema(name = "QuotaInput")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record QuotaBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1", maximum = "1000000000000")
            @Nullable Long limit,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"day", "month", "none"})
            @Nullable String period,
            @Schema(description = "0 to limit; create default limit, PATCH default the current balance capped at"
                    + " the new limit; only root and latchkey:admin") @Nullable Long remaining) {
    }

    /** The body of {@code POST /v1/keys/{id}/credits}. */
    @Schema(name = "CreditsChange")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreditsBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
            allowableValues = {"increment", "decrement", "set"}) @Nullable String op,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "1000000000000",
                    description = "1 to 10^12, or 0 for set") @Nullable Long amount) {
    }

    /** The answer of a credits change. */
    @Schema(name = "Credits")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Credits(long remaining, @Nullable String refillsAt) {
        static Credits of(QuotaState s) {
            return new Credits(s.remaining(), time(s.refillsAt()));
        }
    }

    /** A tenant's defaults (API.md §9). */
    @Schema(name = "TenantDefaults")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Defaults(String tenantId, @Nullable RateLimitView rateLimit, @Nullable QuotaSpec quota,
            @Nullable String webhookConfig, @Nullable String storageConfig, long version, @Nullable String updatedAt) {
        static Defaults of(TenantDefaults d) {
            return new Defaults(d.tenantId(), RateLimitView.of(d.rateLimit()), QuotaSpec.of(d.quota()),
                    d.webhookConfig(), d.storageConfig(), d.version(), time(d.updatedAt()));
        }
    }

    /** The body of {@code PUT /v1/tenants/{tenant_id}/defaults}: exactly these four, each required (null allowed). */
    @Schema(name = "TenantDefaultsInput")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DefaultsBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) @Nullable RateLimitView rateLimit,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) @Nullable QuotaSpec quota,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) @Nullable String webhookConfig,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) @Nullable String storageConfig) {
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
            long version, @Nullable RateLimitView rateLimit, @Nullable QuotaView quota, @Nullable String webhookConfig,
            @Nullable String storageConfig, Effective effective, String token) {

        static CreatedKey of(Key k, String token) {
            return new CreatedKey(k.id(), k.tenantId(), k.ownerId(), k.name(), k.environment(), k.type(), k.status(),
                    k.scopes(), k.ipRestrictions(), k.metadata(), k.hint(), k.createdAt(), k.updatedAt(),
                    k.expiresAt(), k.lastUsedAt(), k.lastUsedIp(), k.usageCount(), k.previousTokenExpiresAt(),
                    k.statusChangedAt(), k.statusChangedBy(), k.statusReason(), k.version(), k.rateLimit(), k.quota(),
                    k.webhookConfig(), k.storageConfig(), k.effective(), token);
        }
    }

    /** One page of keys. */
    @Schema(name = "KeyList")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KeyList(long total, int size, int offset, int limit, List<Key> keys) {
        static KeyList of(Page<ApiKey> page, Instant now, List<KeyLimits> limits) {
            List<Key> keys = new java.util.ArrayList<>(page.items().size());
            for (int i = 0; i < page.items().size(); i++) {
                keys.add(Key.of(page.items().get(i), now, limits.get(i)));
            }
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
            @Schema(description = "import a caller-chosen token: 8 to 128 of [A-Za-z0-9+-_/=]") @Nullable String token,
            @Schema(description = "only root and latchkey:admin; null inherits") @Nullable RateLimitView rateLimit,
            @Schema(description = "only root and latchkey:admin; null inherits") @Nullable QuotaBody quota,
            @Schema(description = "only null until webhook configs exist") @Nullable String webhookConfig,
            @Schema(description = "only null until storage configs exist") @Nullable String storageConfig) {

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
            @Nullable Map<String, String> metadata,
            @Schema(description = "replaced whole; null inherits; only root and latchkey:admin may change it")
            @Nullable RateLimitView rateLimit,
            @Schema(description = "replaced whole; null inherits; only root and latchkey:admin may change it")
            @Nullable QuotaBody quota,
            @Nullable String webhookConfig, @Nullable String storageConfig) {
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
            @Schema(example = "203.0.113.7") @Nullable String ip, @Nullable List<String> scopes,
            @Schema(description = "units of the key's rate limit and quota this verification spends, 0 to 1000000",
                    defaultValue = "1") @Nullable Long cost) {

        @Override
        public String toString() {
            return "VerifyBody[ip=" + ip + ", scopes=" + scopes + ", cost=" + cost + "]";
        }
    }

    /** The answer of {@code POST /v1/verify}. */
    @Schema(name = "VerifyResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VerifyResult(boolean valid,
            @Schema(allowableValues = {"valid", "malformed", "not_found", "inactive", "blocked", "expired",
                    "ip_not_allowed", "insufficient_scope", "rate_limited", "quota_exceeded", "quota_exhausted"})
            String code,
            @Nullable Key key,
            @Schema(description = "seconds until a retry may succeed (rate_limited, quota_exceeded)")
            @Nullable Long retryAfter,
            @Schema(description = "the key's rate-limit window after this verification, when it has a rate limit")
            @Nullable VerifyRate rateLimit,
            @Schema(description = "the key's balance after this verification, when it has a quota")
            @Nullable VerifyQuota quota) {

        static VerifyResult invalid(String code, @Nullable Long retryAfter) {
            return new VerifyResult(false, code, null, retryAfter, null, null);
        }
    }

    /** The rate-limit state in a valid verify answer. */
    @Schema(name = "VerifyRate")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VerifyRate(long limit, long remaining, long resetSeconds) {
    }

    /** The quota state in a valid verify answer. */
    @Schema(name = "VerifyQuota")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VerifyQuota(long remaining, @Nullable String refillsAt) {
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
            @Nullable String traceId,
            @Nullable Long retryAfter) {
    }
}
