package dev.latchkey.core.admin;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.CreditOp;
import dev.latchkey.core.CreditResult;
import dev.latchkey.core.EffectiveLimits;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.internal.LimitWindows;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The admin rules of rate limits, quotas and tenant defaults (API.md §8, §9) on top of the {@link KeyStore} SPI:
 * credits, tenant defaults, the live {@code effective} view of a key, and the limit half of key create and
 * {@code PATCH} that {@link KeyManager} delegates here.
 *
 * <p>Only root and {@code latchkey:admin} admins set {@code rate_limit} and {@code quota}: a tenant admin whose
 * request would change either gets 403 and nothing changes; sending the current value back is not a change
 * ({@code rate_limit} compared whole, {@code quota} by limit and period; a tenant admin's {@code remaining} is
 * ignored). Failures are the exceptions of {@link KeyManager}, and leave the store unchanged. Thread-safe.
 */
public final class LimitManager {


    private final KeyStore store;
    private final Clock clock;
    private final ConfigManager configs;

    /**
     * Creates a manager.
     *
     * @param store the key store
     * @param clock the admin clock (for {@code updated_at}; limit windows run on the store's time)
     */
    public LimitManager(KeyStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.configs = new ConfigManager(store, clock);
    }

    // ------------------------------------------------------------------ views

    /**
     * Returns what applies to a key now and its live balance.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    public KeyLimits limitsOf(ApiKey key) {
        return limitsOf(List.of(key)).get(0);
    }

    /** Returns {@link #limitsOf(ApiKey)} for each key, in order, reading each tenant's defaults once. */
    public List<KeyLimits> limitsOf(List<ApiKey> keys) {
        List<KeyLimits> out = new ArrayList<>(keys.size());
        if (!store.supportsLimits()) {
            keys.forEach(k -> out.add(KeyLimits.ownOnly(k)));
            return out;
        }
        Map<String, TenantDefaults> defaults = new HashMap<>();
        for (ApiKey k : keys) {
            TenantDefaults d = defaults.computeIfAbsent(k.tenantId(), store::tenantDefaults);
            EffectiveLimits e = EffectiveLimits.of(k, d);
            QuotaState balance = e.quota() == null ? null : store.quotaState(k.id(), e.quota()).orElse(null);
            out.add(new KeyLimits(e, balance));
        }
        return out;
    }

    // ------------------------------------------------------------------ credits

    /**
     * Changes a key's balance ({@code POST /v1/keys/{id}/credits}).
     *
     * @throws ValidationException when {@code op} or {@code amount} is invalid
     * @throws OperationException  404 when the actor may not see the key; 403 for a tenant admin; 409 when no quota
     *                             applies or a decrement would go below 0
     */
    public QuotaState credits(Actor actor, String keyId, @Nullable String op, @Nullable Long amount) {
        List<FieldError> errors = new ArrayList<>();
        CreditOp o = LimitRules.creditOp("op", op, errors);
        long a = LimitRules.creditAmount("amount", amount, o, errors);
        KeyRules.throwIfAny(errors);
        ApiKey key = visible(actor, keyId);
        if (!actor.platformAdmin()) {
            throw new OperationException(OperationException.Reason.FORBIDDEN,
                    "only root or a latchkey:admin key may change credits");
        }
        requireSupported();
        Quota quota = EffectiveLimits.of(key, store.tenantDefaults(key.tenantId())).quota();
        if (quota == null) {
            throw new OperationException(OperationException.Reason.CONFLICT,
                    "the key has no quota (effective.quota is null)");
        }
        CreditResult r = write(key.id(), Objects.requireNonNull(o), a, quota, true);
        return switch (r.status()) {
            case APPLIED, STALE -> Objects.requireNonNull(r.state());
            case BELOW_ZERO -> throw new OperationException(OperationException.Reason.CONFLICT,
                    "the balance is " + Objects.requireNonNull(r.state()).remaining() + "; it cannot go below 0");
            case ABOVE_MAXIMUM -> throw new OperationException(OperationException.Reason.CONFLICT,
                    "the balance cannot exceed " + Quota.MAX_BALANCE);
            case UNKNOWN_KEY -> throw OperationException.keyNotFound(keyId);
        };
    }

    /**
     * Applies one admin write of a balance with the sequence it read, reading again and retrying when another admin
     * wrote in between, so a write never lands on a balance it did not see.
     */
    private CreditResult write(String keyId, CreditOp op, long amount, Quota quota, boolean retry) {
        for (int attempt = 0; attempt < CasRetry.MAX_ATTEMPTS; attempt++) {
            Optional<QuotaState> now = store.quotaState(keyId, quota);
            if (now.isEmpty()) {
                return new CreditResult(CreditResult.Status.UNKNOWN_KEY, null, 0, false, false);
            }
            CreditResult r = store.credit(keyId, Ids.next(), op, amount, quota, now.get().sequence());
            if (r.status() != CreditResult.Status.STALE || !retry) {
                return r;
            }
            CasRetry.backOff(attempt);
        }
        throw new OperationException(OperationException.Reason.CONFLICT,
                "the balance is being changed by too many requests at once; try again");
    }

    // ------------------------------------------------------------------ tenant defaults

    /**
     * Returns a tenant's defaults ({@code GET /v1/tenants/{tenant_id}/defaults}).
     *
     * @throws ValidationException when the tenant id breaks the id rule
     * @throws OperationException  403 when a tenant admin names another tenant, or for a verifier
     */
    public TenantDefaults defaults(Actor actor, String tenantId) {
        String tenant = tenantFor(actor, tenantId);
        requireSupported();
        return store.tenantDefaults(tenant);
    }

    /**
     * Replaces a tenant's defaults ({@code PUT}).
     *
     * @param ifMatch the version the caller last saw, or {@code null}
     * @throws ValidationException when a field is invalid
     * @throws OperationException  403 (another tenant; a tenant admin changing a limit), 412 (stale version)
     */
    public TenantDefaults putDefaults(Actor actor, String tenantId, DefaultsInput input, @Nullable Long ifMatch) {
        return ConfigNaming.naming(() -> putDefaultsNaming(actor, tenantId, input, ifMatch));
    }

    private TenantDefaults putDefaultsNaming(Actor actor, String tenantId, DefaultsInput input,
            @Nullable Long ifMatch) {
        List<FieldError> errors = new ArrayList<>();
        KeyRules.id("tenant_id", tenantId, errors);
        RateLimit rate = LimitRules.rateLimit("rate_limit", input.rateLimit(), errors);
        Quota quota = LimitRules.quota("quota", input.quota(), false, errors);
        String webhook = KeyRules.configId("webhook_config", input.webhookConfig(), errors);
        String storage = KeyRules.configId("storage_config", input.storageConfig(), errors);
        KeyRules.throwIfAny(errors);
        String tenant = tenantFor(actor, tenantId);
        requireSupported();
        configs.requireOwn(tenant, webhook, storage, errors);
        KeyRules.throwIfAny(errors);
        for (int attempt = 0; attempt < CasRetry.MAX_ATTEMPTS; attempt++) {
            TenantDefaults current = store.tenantDefaults(tenant);
            if (ifMatch != null && current.version() != ifMatch) {
                throw new OperationException(OperationException.Reason.PRECONDITION_FAILED,
                        "the defaults have changed since version " + ifMatch + "; they are at version "
                                + current.version());
            }
            if (!actor.platformAdmin() && (!Objects.equals(rate, current.rateLimit())
                    || !Objects.equals(quota, current.quota()))) {
                throw new OperationException(OperationException.Reason.FORBIDDEN,
                        "only root or a latchkey:admin key may change rate_limit and quota");
            }
            Instant at = now();
            if (current.updatedAt() != null && !at.isAfter(current.updatedAt())) {
                at = current.updatedAt().plusMillis(1);
            }
            TenantDefaults next = new TenantDefaults(tenant, rate, quota, webhook, storage, current.version() + 1,
                    at);
            if (store.replaceTenantDefaults(next, current.version())) {
                return next;
            }
            if (ifMatch != null) {
                throw new OperationException(OperationException.Reason.PRECONDITION_FAILED,
                        "the defaults changed while this request was applied");
            }
            CasRetry.backOff(attempt);
        }
        throw new OperationException(OperationException.Reason.CONFLICT,
                "the defaults are being changed by too many requests at once; try again");
    }

    private String tenantFor(Actor actor, String tenantId) {
        List<FieldError> errors = new ArrayList<>();
        String tenant = KeyRules.id("tenant_id", tenantId, errors);
        KeyRules.throwIfAny(errors);
        if (!actor.manager() || !actor.canSee(Objects.requireNonNull(tenant))) {
            throw new OperationException(OperationException.Reason.FORBIDDEN,
                    "a tenant admin may only read and change its own tenant's defaults");
        }
        return tenant;
    }

    // ------------------------------------------------------------------ the limit half of create and PATCH

    /** A key's validated limit fields of a create or PATCH body. */
    record Requested(@Nullable RateLimit rateLimit, @Nullable Quota quota, @Nullable Long remaining,
            @Nullable String webhookConfig, @Nullable String storageConfig) {
    }

    /** Validates the limit fields of a create body; configs must be {@code null} until §10's configs exist. */
    static Requested onCreate(CreateKeyRequest request, List<FieldError> errors) {
        RateLimit rate = LimitRules.rateLimit("rate_limit", request.rateLimit(), errors);
        Quota quota = LimitRules.quota("quota", request.quota(), true, errors);
        Long remaining = LimitRules.quotaRemaining("quota", request.quota(), quota, errors);
        String webhook = KeyRules.configId("webhook_config", request.webhookConfig(), errors);
        String storage = KeyRules.configId("storage_config", request.storageConfig(), errors);
        return new Requested(rate, quota, remaining, webhook, storage);
    }

    /** Refuses a create by a tenant admin that sets a limit. */
    static void requireMaySet(Actor actor, Requested requested) {
        if (!actor.platformAdmin() && (requested.rateLimit() != null || requested.quota() != null)) {
            throw new OperationException(OperationException.Reason.FORBIDDEN,
                    "only root or a latchkey:admin key may set rate_limit and quota");
        }
    }

    /** Validates the limit fields a PATCH carries (absent ones stay {@code null} in the answer). */
    static Requested onPatch(KeyPatch patch, List<FieldError> errors) {
        RateLimit rate = patch.rateLimit() == null ? null
                : LimitRules.rateLimit("rate_limit", patch.rateLimit().value(), errors);
        Quota quota = patch.quota() == null ? null : LimitRules.quota("quota", patch.quota().value(), true, errors);
        Long remaining = patch.quota() == null ? null
                : LimitRules.quotaRemaining("quota", patch.quota().value(), quota, errors);
        String webhook = patch.webhookConfig() == null ? null
                : KeyRules.configId("webhook_config", patch.webhookConfig().value(), errors);
        String storage = patch.storageConfig() == null ? null
                : KeyRules.configId("storage_config", patch.storageConfig().value(), errors);
        return new Requested(rate, quota, remaining, webhook, storage);
    }

    /**
     * Applies a PATCH's limit fields to a key being changed, or refuses when a tenant admin's patch would change a
     * limit (403, before anything is written).
     */
    static void applyPatch(Actor actor, ApiKey current, KeyPatch patch, Requested requested, ApiKey.Builder b) {
        boolean rateChanges = patch.rateLimit() != null && !Objects.equals(requested.rateLimit(), current.rateLimit());
        boolean quotaChanges = patch.quota() != null && !Objects.equals(requested.quota(), current.quota());
        if (!actor.platformAdmin() && (rateChanges || quotaChanges)) {
            throw new OperationException(OperationException.Reason.FORBIDDEN,
                    "only root or a latchkey:admin key may change rate_limit and quota");
        }
        if (patch.rateLimit() != null) {
            b.rateLimit(requested.rateLimit());
        }
        if (patch.quota() != null) {
            b.quota(requested.quota());
        }
    }

    /**
     * Returns the balance a new key starts with once {@link #afterCreate} has run, for its {@code key.created} body
     * (rendered before the commit, when the store has no balance yet): {@code null} when no quota applies.
     * {@code refills_at} is reckoned on the admin clock, which the store's time is kept close to.
     */
    @Nullable QuotaState balanceAfterCreate(ApiKey key, Requested requested) {
        if (!store.supportsLimits()) {
            return null;
        }
        Quota quota = EffectiveLimits.of(key, store.tenantDefaults(key.tenantId())).quota();
        if (quota == null) {
            return null;
        }
        Long remaining = requested.quota() != null ? requested.remaining() : null;
        return settled(quota, remaining != null ? remaining : quota.limit());
    }

    /**
     * Returns the balance {@link #afterPatch} will settle, for the {@code key.updated} body rendered before the
     * commit, or {@code null} when the patch leaves the stored balance as it is.
     */
    @Nullable QuotaState balanceAfterPatch(Actor actor, ApiKey before, ApiKey after, KeyPatch patch,
            Requested requested) {
        Settlement s = settlementOf(actor, before, after, patch, requested);
        if (s == null) {
            return null;
        }
        if (s.setTo() != null) {
            return settled(s.quota(), s.setTo());
        }
        return store.quotaState(after.id(), s.capFrom())
                .map(old -> settled(s.quota(), Math.min(old.remaining(), s.quota().limit()))).orElse(null);
    }

    /**
     * What a patch does to the stored balance, one rule for {@link #afterPatch} and its event: set it to
     * {@code setTo}, or cap the balance kept under {@code capFrom} at the new limit; {@code null} leaves it.
     */
    private record Settlement(Quota quota, @Nullable Long setTo, @Nullable Quota capFrom) {
    }

    private @Nullable Settlement settlementOf(Actor actor, ApiKey before, ApiKey after, KeyPatch patch,
            Requested requested) {
        if (patch.quota() == null || !store.supportsLimits()) {
            return null;
        }
        TenantDefaults defaults = store.tenantDefaults(after.tenantId());
        Quota now = EffectiveLimits.of(after, defaults).quota();
        if (now == null) {
            return null;
        }
        Quota was = EffectiveLimits.of(before, defaults).quota();
        Long remaining = actor.platformAdmin() ? requested.remaining() : null;
        if (remaining != null) {
            return new Settlement(now, remaining, null);
        }
        if (was == null) {
            return new Settlement(now, now.limit(), null);
        }
        return was.equals(now) ? null : new Settlement(now, null, was);
    }

    private QuotaState settled(Quota quota, long remaining) {
        return new QuotaState(remaining, LimitWindows.refillsAt(clock, quota.period()), 0);
    }

    /** Sets the first balance of a new key created with an explicit {@code quota.remaining}. */
    void afterCreate(ApiKey key, Requested requested) {
        Quota quota = requested.quota();
        Long remaining = requested.remaining();
        if (quota != null && remaining != null && remaining != quota.limit() && store.supportsLimits()) {
            store.credit(key.id(), Ids.next(), CreditOp.SET, remaining, quota, null);
        }
    }

    /**
     * Settles the balance after a PATCH was written (API.md §8): a root or {@code latchkey:admin} {@code remaining}
     * sets it; otherwise a changed limit or period keeps the current balance, capped at the new limit; a quota that
     * newly applies starts at its limit.
     */
    void afterPatch(Actor actor, ApiKey before, ApiKey after, KeyPatch patch, Requested requested) {
        Settlement s = settlementOf(actor, before, after, patch, requested);
        if (s == null) {
            return;
        }
        if (s.setTo() != null) {
            store.credit(after.id(), Ids.next(), CreditOp.SET, s.setTo(), s.quota(), null);
            return;
        }
        for (int attempt = 0; attempt < CasRetry.MAX_ATTEMPTS; attempt++) {
            Optional<QuotaState> old = store.quotaState(after.id(), Objects.requireNonNull(s.capFrom()));
            if (old.isEmpty()) {
                return;
            }
            long capped = Math.min(old.get().remaining(), s.quota().limit());
            CreditResult r = store.credit(after.id(), Ids.next(), CreditOp.SET, capped, s.quota(),
                    old.get().sequence());
            if (r.status() != CreditResult.Status.STALE) {
                return;
            }
            CasRetry.backOff(attempt);
        }
    }

    // ------------------------------------------------------------------ helpers

    private ApiKey visible(Actor actor, String id) {
        if (!actor.manager()) {
            throw new OperationException(OperationException.Reason.FORBIDDEN, "this key may only verify tokens");
        }
        Optional<ApiKey> k = Ids.isValid(id) ? store.find(id) : Optional.empty();
        if (k.isEmpty() || !actor.canSee(k.get().tenantId())) {
            throw OperationException.keyNotFound(id);
        }
        return k.get();
    }

    private void requireSupported() {
        if (!store.supportsLimits()) {
            throw new OperationException(OperationException.Reason.CONFLICT,
                    "this key store (" + store.kind() + ") keeps no rate limits, quotas or tenant defaults");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
