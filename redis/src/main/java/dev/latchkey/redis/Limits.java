package dev.latchkey.redis;

import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.CreditOp;
import dev.latchkey.core.CreditResult;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.TenantDefaults;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Rate limits, quota balances, credits and tenant defaults of {@link RedisKeyStore} (API.md §8, §9).
 *
 * <p><b>One script per charge</b> ({@code charge.lua}, with the time functions of {@code limits-time.lua}): it reads
 * Redis {@code TIME}, so node clocks never matter; checks the aligned rate-limit window, then the balance (refilling
 * it first when its period ended); commits both or neither; and remembers its verdict under the request id. Every
 * key it touches carries the key's hash tag ({@link Layout}: record, window, balance, marker), so it runs as one
 * atomic step on Cluster too. A Lettuce replay of the same command after a reconnect, or a caller's retry with the
 * same id, finds the marker and gets the first verdict back without charging again. The marker lives
 * {@link #markerTtl}, which is far longer than any command timeout plus reconnect.
 *
 * <p><b>Balances</b> are a hash per key ({@code remaining}, {@code period_start}, {@code seq}) beside the record,
 * never in it, so credits and charges never touch {@code version}. Credits ({@code credit.lua}) compare the
 * sequence when the caller names one and announce {@link KeyEvent.Type#LIMITS_CHANGED} in the same step; they are
 * remembered by operation id like charges. Tenant defaults are a hash per tenant, replaced by compare-and-set on
 * their version ({@code defaults-put.lua}), which publishes {@link KeyEvent.Type#TENANT_DEFAULTS_CHANGED}.
 *
 * <p>Thread-safe; every call fails with {@code StoreUnavailableException} as {@link RedisKeyStore}'s do.
 */
final class Limits {

    private static final Script CHARGE = Script.load("charge", "limits-time");
    private static final Script PEEK = Script.load("quota-peek", "limits-time");
    private static final Script CREDIT = Script.load("credit", "limits-time");
    private static final Script PUT_DEFAULTS = Script.load("defaults-put");

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Layout layout;
    private final Events events;
    private final Duration commandTimeout;
    private final String markerTtl;

    Limits(RedisClusterAsyncCommands<String, String> redis, Layout layout, Events events, Duration commandTimeout,
            Duration markerTtl) {
        this.redis = redis;
        this.layout = layout;
        this.events = events;
        this.commandTimeout = commandTimeout;
        this.markerTtl = Long.toString(markerTtl.toMillis());
    }

    ChargeResult charge(String keyId, String requestId, long cost, @Nullable RateLimit rate, @Nullable Quota quota) {
        return charge(keyId, requestId, cost, rate, quota, null);
    }

    /** Charges, waiting at most {@code bound} when given, else the command timeout. */
    ChargeResult charge(String keyId, String requestId, long cost, @Nullable RateLimit rate, @Nullable Quota quota,
            java.time.@Nullable Duration bound) {
        ChargeResult.checkArguments(requestId, cost, rate, quota);
        var script = CHARGE.<List<Object>>run(redis, ScriptOutputType.MULTI,
                new String[] {layout.record(keyId), layout.rateWindow(keyId), layout.balance(keyId),
                        layout.chargeMarker(keyId, requestId)},
                Long.toString(cost), rate == null ? "0" : Long.toString(rate.limit()),
                rate == null ? "0" : Long.toString(rate.periodSeconds()),
                quota == null ? "0" : Long.toString(quota.limit()), quota == null ? "none" : quota.period().wire(),
                markerTtl);
        List<Object> answer = bound == null || bound.compareTo(commandTimeout) >= 0 ? await(script)
                : Failures.awaitWithin(script, bound);
        String verdict = String.valueOf(answer.get(1));
        if (verdict.isEmpty()) {
            return new ChargeResult(ChargeResult.Verdict.UNKNOWN_KEY, 0, null, null, false, false, false,
                    Instant.now());
        }
        ChargeResult r = decodeVerdict(verdict, rate, quota);
        return ((Number) answer.get(0)).longValue() == 1 ? r.asReplay() : r;
    }

    /** Reads a verdict of {@code charge.lua}: code|retry|rate left|reset|window end|quota left|refills at|... */
    static ChargeResult decodeVerdict(String text, @Nullable RateLimit rate, @Nullable Quota quota) {
        String[] p = text.split("\\|", -1);
        ChargeResult.Verdict verdict = switch (p[0]) {
            case "A" -> ChargeResult.Verdict.ADMITTED;
            case "R" -> ChargeResult.Verdict.RATE_LIMITED;
            case "Q" -> ChargeResult.Verdict.QUOTA_EXCEEDED;
            case "X" -> ChargeResult.Verdict.QUOTA_EXHAUSTED;
            default -> throw new IllegalStateException("unreadable charge verdict from Redis");
        };
        long refillsAt = Long.parseLong(p[6]);
        ChargeResult.RateWindow window = rate == null ? null : new ChargeResult.RateWindow(rate.limit(),
                Long.parseLong(p[2]), Long.parseLong(p[3]), Long.parseLong(p[4]));
        QuotaState state = quota == null ? null : new QuotaState(Long.parseLong(p[5]),
                refillsAt < 0 ? null : Instant.ofEpochSecond(refillsAt), Long.parseLong(p[11]));
        Instant at = Instant.ofEpochSecond(Long.parseLong(p[9]), Long.parseLong(p[10]) * 1_000);
        return new ChargeResult(verdict, Long.parseLong(p[1]), window, state, "1".equals(p[7]), "1".equals(p[8]),
                false, at);
    }

    Optional<QuotaState> quotaState(String keyId, Quota quota) {
        List<Object> answer = await(PEEK.<List<Object>>run(redis, ScriptOutputType.MULTI,
                new String[] {layout.record(keyId), layout.balance(keyId)}, Long.toString(quota.limit()),
                quota.period().wire()));
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        long refillsAt = Long.parseLong(String.valueOf(answer.get(1)));
        return Optional.of(new QuotaState(Long.parseLong(String.valueOf(answer.get(0))),
                refillsAt < 0 ? null : Instant.ofEpochSecond(refillsAt),
                Long.parseLong(String.valueOf(answer.get(2)))));
    }

    CreditResult credit(String keyId, String operationId, CreditOp op, long amount, Quota quota,
            @Nullable Long expectedSequence) {
        ChargeResult.checkArguments(operationId, 0, null, quota);
        List<Object> answer;
        try {
            answer = await(CREDIT.<List<Object>>run(redis, ScriptOutputType.MULTI,
                    new String[] {layout.record(keyId), layout.balance(keyId), layout.creditMarker(keyId, operationId)},
                    op.wire(), Long.toString(amount), Long.toString(quota.limit()), quota.period().wire(),
                    expectedSequence == null ? "" : Long.toString(expectedSequence), markerTtl, layout.channel(),
                    events.message(KeyEvent.Type.LIMITS_CHANGED, keyId, 0)));
        } catch (StoreUnavailableException e) {
            // The change may have been applied: end this node's verdicts for the key rather than trust them.
            events.local(KeyEvent.limitsChanged(keyId));
            throw e;
        }
        String outcome = String.valueOf(answer.get(1));
        if (outcome.isEmpty()) {
            return new CreditResult(CreditResult.Status.UNKNOWN_KEY, null, 0, false, false);
        }
        boolean replayed = ((Number) answer.get(0)).longValue() == 1;
        String[] p = outcome.split("\\|", -1);
        CreditResult.Status status = switch (p[0]) {
            case "A" -> CreditResult.Status.APPLIED;
            case "B" -> CreditResult.Status.BELOW_ZERO;
            case "M" -> CreditResult.Status.ABOVE_MAXIMUM;
            case "S" -> CreditResult.Status.STALE;
            default -> throw new IllegalStateException("unreadable credit outcome from Redis");
        };
        long refillsAt = Long.parseLong(p[2]);
        QuotaState state = new QuotaState(Long.parseLong(p[1]), refillsAt < 0 ? null : Instant.ofEpochSecond(refillsAt),
                Long.parseLong(p[3]));
        if (status == CreditResult.Status.APPLIED && !replayed) {
            events.local(KeyEvent.limitsChanged(keyId));
        }
        return new CreditResult(status, state, Long.parseLong(p[4]), "1".equals(p[5]), replayed);
    }

    TenantDefaults tenantDefaults(String tenant) {
        Map<String, String> f = await(redis.hgetall(layout.tenantDefaults(tenant)));
        if (f == null || f.isEmpty()) {
            return TenantDefaults.none(tenant);
        }
        return new TenantDefaults(tenant, RecordCodec.parseRateLimit(f.get("rate_limit")),
                RecordCodec.parseQuota(f.get("quota")), f.get("webhook_config"), f.get("storage_config"),
                Long.parseLong(Objects.requireNonNull(f.get("version"), "version")),
                RecordCodec.parseTime(f.get("updated_at")));
    }

    boolean replaceTenantDefaults(TenantDefaults updated, long expectedVersion) {
        if (updated.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("the new version must be the expected version + 1");
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("tenant_id", updated.tenantId());
        if (updated.rateLimit() != null) {
            f.put("rate_limit", RecordCodec.rateLimit(updated.rateLimit()));
        }
        if (updated.quota() != null) {
            f.put("quota", RecordCodec.quota(updated.quota()));
        }
        if (updated.webhookConfig() != null) {
            f.put("webhook_config", updated.webhookConfig());
        }
        if (updated.storageConfig() != null) {
            f.put("storage_config", updated.storageConfig());
        }
        f.put("version", Long.toString(updated.version()));
        f.put("updated_at", RecordCodec.time(Objects.requireNonNull(updated.updatedAt(), "updatedAt")));
        List<String> args = new ArrayList<>();
        args.add(Long.toString(expectedVersion));
        args.add(layout.channel());
        args.add(events.message(KeyEvent.Type.TENANT_DEFAULTS_CHANGED, updated.tenantId(), updated.version()));
        f.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        Long written = await(PUT_DEFAULTS.run(redis, ScriptOutputType.INTEGER,
                new String[] {layout.tenantDefaults(updated.tenantId())}, args.toArray(String[]::new)));
        if (written == null || written != 1) {
            return false;
        }
        events.local(KeyEvent.tenantDefaultsChanged(updated.tenantId(), updated.version()));
        return true;
    }

    private <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        return Failures.await(stage, commandTimeout);
    }
}
