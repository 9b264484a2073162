package dev.latchkey.core.admin;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.DuplicateKeyException;
import dev.latchkey.core.Environment;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.Job;
import dev.latchkey.core.JobStatus;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Page;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.StatusChange;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.WebhookEvent;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.events.EventRenderer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Every admin operation on keys, with its rules: validation, tenants, status transitions, rotation with grace
 * windows, asynchronous reset, optimistic concurrency. It works on any {@link KeyStore} through reads and the
 * compare-and-set {@link KeyStore#replace}, so the in-memory and Redis stores behave identically.
 *
 * <p>Failures are exceptions that leave the store unchanged: {@link ValidationException} (400),
 * {@link OperationException} (404, 403, 409, 412) and {@link StoreUnavailableException} (503). Thread-safe.
 */
public final class KeyManager {

    private final KeyStore store;
    private final TokenCodec codec;
    private final SecretHasher hasher;
    private final Mutations keys;
    private final LimitManager limits;
    private final KeyEvents events;
    private final ConfigManager configs;

    /**
     * Creates a manager.
     *
     * @param store  the key store
     * @param codec  the token format (prefix)
     * @param hasher the secret hasher (pepper)
     * @param clock  the time source
     * @param jobs   where jobs that outlive their request would run; none does since resets commit before they
     *               answer (kept so callers need not change until the store is split in two layers)
     */
    public KeyManager(KeyStore store, TokenCodec codec, SecretHasher hasher, Clock clock, Executor jobs) {
        this(store, codec, hasher, clock, jobs, null);
    }

    /**
     * Creates a manager that writes a key event (API.md §10) with every change it commits, in the same atomic step.
     *
     * @param events renders an event's webhook body, or {@code null} to raise no events
     */
    public KeyManager(KeyStore store, TokenCodec codec, SecretHasher hasher, Clock clock, Executor jobs,
            @Nullable EventRenderer events) {
        this.events = new KeyEvents(store, events, clock);
        this.store = Objects.requireNonNull(store, "store");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.keys = new Mutations(store, Objects.requireNonNull(clock, "clock"), this.events);
        Objects.requireNonNull(jobs, "jobs");
        this.limits = new LimitManager(store, clock);
        this.configs = new ConfigManager(store, clock);
    }

    /** Returns the rules of webhook and storage configs (API.md §10) on the same store and clock. */
    public ConfigManager configs() {
        return configs;
    }

    /** Returns the rules of rate limits, quotas, credits and tenant defaults on the same store and clock. */
    public LimitManager limits() {
        return limits;
    }

    /** Returns the store this manager works on. */
    public KeyStore store() {
        return store;
    }

    /**
     * Creates a key and issues its token (generated, or the imported value of {@code token}).
     *
     * @throws ValidationException when a field is invalid
     * @throws OperationException  403 when a tenant admin names another tenant or grants a platform scope;
     *                             409 when the imported token is taken
     */
    public IssuedKey create(Actor actor, CreateKeyRequest request) {
        return ConfigNaming.naming(() -> createNaming(actor, request));
    }

    private IssuedKey createNaming(Actor actor, CreateKeyRequest request) {
        Mutations.requireManager(actor);
        Instant now = keys.now();
        List<FieldError> errors = new ArrayList<>();
        String name = KeyRules.name("name", request.name(), errors);
        String tenant = KeyRules.id("tenant_id", request.tenantId(), errors);
        String owner = KeyRules.id("owner_id", request.ownerId(), errors);
        Environment env = KeyRules.environment("environment", request.environment(), errors);
        KeyType type = KeyRules.type("type", request.type(), errors);
        List<String> scopes = KeyRules.scopes("scopes", request.scopes(), errors);
        List<IpRestriction> rules = KeyRules.ipRestrictions("ip_restrictions", request.ipRestrictions(), errors);
        Instant expiresAt = KeyRules.futureInstant("expires_at", request.expiresAt(), now, errors);
        Map<String, String> metadata = KeyRules.metadata("metadata", request.metadata(), errors);
        String imported = request.token();
        if (imported != null) {
            String problem = codec.importProblem(imported);
            if (problem != null) {
                errors.add(new FieldError("token", "invalid", problem));
            }
        }
        LimitManager.Requested requestedLimits = LimitManager.onCreate(request, errors);
        String owning = tenant != null ? tenant
                : actor.platformAdmin() ? KeyRules.DEFAULT_TENANT : actor.tenantId();
        if (owning != null && actor.canSee(owning)) {
            // Only for a tenant the caller may use, so that the answer says nothing of other tenants' configs.
            configs.requireOwn(owning, requestedLimits.webhookConfig(), requestedLimits.storageConfig(), errors);
        }
        KeyRules.throwIfAny(errors);

        if (tenant == null) {
            tenant = actor.platformAdmin() ? KeyRules.DEFAULT_TENANT : Objects.requireNonNull(actor.tenantId());
        }
        if (!actor.canSee(tenant)) {
            throw new OperationException(OperationException.Reason.FORBIDDEN,
                    "a tenant admin may only create keys in its own tenant");
        }
        Mutations.requireMayGrant(actor, scopes, List.of());
        LimitManager.requireMaySet(actor, requestedLimits);
        if (type == KeyType.TRIAL && expiresAt == null) {
            expiresAt = now.plus(KeyRules.TRIAL_DEFAULT_LIFETIME);
        }

        String id = Ids.next();
        String token = imported != null ? imported : codec.generate(Objects.requireNonNull(env), id);
        Credential credential = new Credential(hasher.hash(token), codec.hint(token, imported != null),
                imported != null);
        ApiKey key = ApiKey.builder()
                .id(id)
                .tenantId(tenant)
                .ownerId(owner)
                .name(Objects.requireNonNull(name))
                .environment(Objects.requireNonNull(env))
                .type(Objects.requireNonNull(type))
                .storedStatus(KeyStatus.ACTIVE)
                .scopes(scopes)
                .ipRestrictions(rules)
                .metadata(metadata)
                .createdAt(now)
                .updatedAt(now)
                .expiresAt(expiresAt)
                .current(credential)
                .version(1)
                .rateLimit(requestedLimits.rateLimit())
                .quota(requestedLimits.quota())
                .webhookConfig(requestedLimits.webhookConfig())
                .storageConfig(requestedLimits.storageConfig())
                .build();
        try {
            store.create(key, events.make(WebhookEvent.KEY_CREATED, key, actor,
                    limits.balanceAfterCreate(key, requestedLimits)));
        } catch (DuplicateKeyException e) {
            throw new OperationException(OperationException.Reason.CONFLICT, "that token is already in use");
        }
        limits.afterCreate(key, requestedLimits);
        return new IssuedKey(key, token);
    }

    /**
     * Returns a key the actor may see.
     *
     * @throws OperationException 404 when there is none, or it belongs to a tenant the actor may not see
     */
    public ApiKey get(Actor actor, String id) {
        Mutations.requireManager(actor);
        return keys.visible(actor, id);
    }

    /**
     * Lists keys, newest first. Platform admins see every tenant unless they name one; tenant admins see their own.
     *
     * @throws OperationException 403 when a tenant admin names another tenant
     */
    public Page<ApiKey> list(Actor actor, ListKeysRequest request) {
        Mutations.requireManager(actor);
        String tenant = request.tenantId();
        if (!actor.platformAdmin()) {
            if (tenant != null && !tenant.equals(actor.tenantId())) {
                throw new OperationException(OperationException.Reason.FORBIDDEN,
                        "a tenant admin may only list its own tenant");
            }
            tenant = actor.tenantId();
        }
        return store.list(KeyQuery.clamped(tenant, request.status(), request.type(), request.environment(),
                request.offset(), request.limit(), keys.now()));
    }

    /**
     * Applies a patch.
     *
     * @param ifMatch the version the caller last saw ({@code If-Match}), or {@code null}
     * @throws ValidationException when a field is invalid
     * @throws OperationException  404, 403 (platform scopes), 409 (tenant admin on a blocked key), 412 (stale)
     */
    public ApiKey update(Actor actor, String id, KeyPatch patch, @Nullable Long ifMatch) {
        if (patch.webhookConfig() == null && patch.storageConfig() == null) {
            return updateNaming(actor, id, patch, ifMatch);
        }
        return ConfigNaming.naming(() -> updateNaming(actor, id, patch, ifMatch));
    }

    private ApiKey updateNaming(Actor actor, String id, KeyPatch patch, @Nullable Long ifMatch) {
        Mutations.requireManager(actor);
        Instant now = keys.now();
        List<FieldError> errors = new ArrayList<>();
        String name = patch.name() == null ? null : KeyRules.name("name", patch.name().value(), errors);
        String owner = patch.ownerId() == null ? null : KeyRules.id("owner_id", patch.ownerId().value(), errors);
        List<String> scopes = patch.scopes() == null ? null
                : KeyRules.scopes("scopes", patch.scopes().value(), errors);
        List<IpRestriction> rules = patch.ipRestrictions() == null ? null
                : KeyRules.ipRestrictions("ip_restrictions", patch.ipRestrictions().value(), errors);
        Instant expiresAt = patch.expiresAt() == null ? null
                : KeyRules.futureInstant("expires_at", patch.expiresAt().value(), now, errors);
        Map<String, String> metadata = patch.metadata() == null ? null
                : KeyRules.metadata("metadata", patch.metadata().value(), errors);
        LimitManager.Requested requestedLimits = LimitManager.onPatch(patch, errors);
        KeyRules.throwIfAny(errors);
        boolean clearExpiry = patch.expiresAt() != null && patch.expiresAt().value() == null;
        if (patch.isEmpty()) {
            ApiKey k = keys.visible(actor, id);
            if (ifMatch != null && k.version() != ifMatch) {
                throw new OperationException(OperationException.Reason.PRECONDITION_FAILED,
                        "the key has changed since version " + ifMatch + "; it is at version " + k.version());
            }
            return k;
        }

        AtomicReference<ApiKey> before = new AtomicReference<>();
        ApiKey after = keys.mutate(actor, id, ifMatch, WebhookEvent.KEY_UPDATED, k -> {
            before.set(k);
            if (!actor.platformAdmin() && k.storedStatus() == KeyStatus.BLOCKED) {
                throw new OperationException(OperationException.Reason.CONFLICT,
                        "the key is blocked; only a platform admin may change it");
            }
            if (clearExpiry && k.type() == KeyType.TRIAL) {
                throw ValidationException.of("expires_at", "required", "must not be cleared on a trial key");
            }
            if (scopes != null) {
                Mutations.requireMayGrant(actor, scopes, k.scopes());
            }
            ApiKey.Builder b = k.toBuilder();
            if (name != null) {
                b.name(name);
            }
            if (patch.ownerId() != null) {
                b.ownerId(owner);
            }
            if (scopes != null) {
                b.scopes(scopes);
            }
            if (rules != null) {
                b.ipRestrictions(rules);
            }
            if (patch.expiresAt() != null) {
                b.expiresAt(expiresAt);
                if (k.previousExpiresAt() != null && expiresAt != null && expiresAt.isBefore(k.previousExpiresAt())) {
                    b.previous(k.previous(), expiresAt);
                }
            }
            if (metadata != null) {
                b.metadata(metadata);
            }
            LimitManager.applyPatch(actor, k, patch, requestedLimits, b);
            configs.applyOverrides(k, patch, requestedLimits, b);
            return b;
        }, (k, next) -> limits.balanceAfterPatch(actor, k, next, patch, requestedLimits));
        limits.afterPatch(actor, before.get(), after, patch, requestedLimits);
        return after;
    }

    /**
     * Sets the stored status ({@code active}, {@code inactive} or {@code blocked}).
     *
     * @throws ValidationException when the status or reason is invalid
     * @throws OperationException  404; 403 when a tenant admin blocks or unblocks; 409 when activating an expired key
     */
    public ApiKey setStatus(Actor actor, String id, @Nullable String status, @Nullable String reason,
            @Nullable Long ifMatch) {
        Mutations.requireManager(actor);
        List<FieldError> errors = new ArrayList<>();
        KeyStatus target = KeyStatus.fromWire(status);
        if (target == null || !target.storable()) {
            errors.add(new FieldError("status", status == null ? "required" : "invalid",
                    "must be one of active, inactive, blocked"));
        }
        String why = KeyRules.reason("reason", reason, errors);
        KeyRules.throwIfAny(errors);
        KeyStatus to = Objects.requireNonNull(target);
        Instant now = keys.now();
        return keys.mutate(actor, id, ifMatch, WebhookEvent.KEY_STATUS_CHANGED, k -> {
            if (!actor.platformAdmin() && (to == KeyStatus.BLOCKED || k.storedStatus() == KeyStatus.BLOCKED)) {
                throw new OperationException(OperationException.Reason.FORBIDDEN,
                        "only a platform admin may block or unblock a key");
            }
            if (to == KeyStatus.ACTIVE && k.isExpired(now)) {
                throw new OperationException(OperationException.Reason.CONFLICT,
                        "the key has expired; move expires_at into the future first");
            }
            return k.toBuilder().storedStatus(to).statusChange(new StatusChange(now, actor.name(), why));
        });
    }

    /**
     * Rotates a key's secret. Unless {@code force}, the old token stays valid for the grace window (at most until
     * the key expires); a rotation during a grace window ends the older token at once.
     *
     * @param graceSeconds 0 to 604800, or {@code null} for 6 hours
     * @throws ValidationException when the grace is out of range
     * @throws OperationException  404; 409 when the key is blocked or expired
     */
    public IssuedKey rotate(Actor actor, String id, boolean force, @Nullable Long graceSeconds) {
        Mutations.requireManager(actor);
        List<FieldError> errors = new ArrayList<>();
        long grace = KeyRules.graceSeconds("grace_seconds", graceSeconds, errors);
        KeyRules.throwIfAny(errors);
        ApiKey before = keys.visible(actor, id);
        String token = codec.generate(before.environment(), before.id());
        Credential fresh = new Credential(hasher.hash(token), codec.hint(token, false), false);
        Duration window = force ? Duration.ZERO : Duration.ofSeconds(grace);
        ApiKey after = keys.mutate(actor, id, null, WebhookEvent.KEY_ROTATED, k -> keys.rotation(k, fresh, window));
        return new IssuedKey(after, token);
    }

    /**
     * Resets a key: a new token is issued and the old one dies at once. The change is committed before this returns
     * (on a store that confirms changes, every live node has dropped the old token by then); the job records it, so
     * the answer carries a job that has already succeeded.
     *
     * @throws OperationException 404; 409 when the key is blocked or expired
     */
    public ResetStarted reset(Actor actor, String id) {
        Mutations.requireManager(actor);
        ApiKey before = keys.visible(actor, id);
        Mutations.requireRotatable(before, keys.now());
        String token = codec.generate(before.environment(), before.id());
        Credential fresh = new Credential(hasher.hash(token), codec.hint(token, false), false);
        Job job = new Job(Ids.next(), Job.RESET_KEY, JobStatus.RUNNING, before.id(), before.tenantId(),
                keys.now(), null, null);
        store.saveJob(job);
        try {
            keys.mutate(actor, job.keyId(), null, WebhookEvent.KEY_RESET, k -> keys.rotation(k, fresh, Duration.ZERO));
        } catch (RuntimeException e) {
            keys.finish(job.failed(keys.now(), e instanceof OperationException || e instanceof ValidationException
                    ? e.getMessage() : "the store could not commit the change"));
            throw e;
        }
        return new ResetStarted(keys.finish(job.succeeded(keys.now())), token);
    }

    /**
     * Returns a job the actor may see.
     *
     * @throws OperationException 404 when there is none, or it is another tenant's
     */
    public Job job(Actor actor, String jobId) {
        Mutations.requireManager(actor);
        Optional<Job> job = Ids.isValid(jobId) ? store.findJob(jobId) : Optional.empty();
        if (job.isEmpty() || !actor.canSee(job.get().tenantId())) {
            throw OperationException.jobNotFound(jobId);
        }
        return job.get();
    }

    /**
     * Deletes a key; its tokens stop working at once.
     *
     * @throws OperationException 404; 409 when a tenant admin deletes a blocked key
     */
    public void delete(Actor actor, String id) {
        Mutations.requireManager(actor);
        ApiKey k = keys.visible(actor, id);
        if (!actor.platformAdmin() && k.storedStatus() == KeyStatus.BLOCKED) {
            throw new OperationException(OperationException.Reason.CONFLICT,
                    "the key is blocked; only a platform admin may delete it");
        }
        if (!store.delete(id, events.make(WebhookEvent.KEY_DELETED, k, actor))) {
            throw OperationException.keyNotFound(id);
        }
    }
}
