package dev.latchkey.core.admin;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.Page;
import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.StorageKind;
import dev.latchkey.core.TenantConfig;
import dev.latchkey.core.TenantConfigs;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.WebhookConfig;
import dev.latchkey.core.WebhookEvent;
import dev.latchkey.core.internal.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The admin rules of webhook and storage configs (API.md §10) on top of {@link TenantConfigs}, one implementation for
 * both kinds: tenant admins manage their own tenant's configs ({@code tenant_id} defaults to theirs, and to
 * {@code default} for root and {@code latchkey:admin}); another tenant's config reads as 404; a config still named by
 * a key or by its tenant's defaults cannot be deleted (409); a {@code postgresql} storage config is created and
 * changed only by root and {@code latchkey:admin} (403), because the admin service connects to it. Keys and tenant
 * defaults may name only configs of their own tenant ({@link #requireOwn}: else a 400 naming the field).
 *
 * <p>Failures are the exceptions of {@link KeyManager} ({@link ConfigNotFoundException} for 404) and change nothing.
 * Thread-safe.
 */
public final class ConfigManager {

    private static final int MAX_ATTEMPTS = 10;
    private static final int SCAN_PAGE = KeyQuery.MAX_LIMIT;

    /** A webhook config create body before validation. */
    public record WebhookInput(@Nullable String tenantId, @Nullable String url, @Nullable List<String> events,
            @Nullable String description, @Nullable Boolean enabled) {
    }

    /** A webhook config {@code PATCH}: each {@code null} component is left alone. */
    public record WebhookPatch(@Nullable Change<String> url, @Nullable Change<List<String>> events,
            @Nullable Change<String> description, @Nullable Change<Boolean> enabled) {
    }

    /** A storage config create body before validation. */
    public record StorageInput(@Nullable String tenantId, @Nullable String kind, @Nullable Long retentionDays,
            @Nullable String jdbcUrl, @Nullable String description) {
    }

    /** A storage config {@code PATCH} ({@code kind} is not patchable): each {@code null} component is left alone. */
    public record StoragePatch(@Nullable Change<Long> retentionDays, @Nullable Change<String> jdbcUrl,
            @Nullable Change<String> description) {
    }

    private final KeyStore store;
    private final Clock clock;

    /** Creates the rules over a store; {@code clock} stamps {@code created_at} and {@code updated_at}. */
    public ConfigManager(KeyStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ------------------------------------------------------------------ webhook configs

    /**
     * Creates a webhook config with a new signing secret (the answer's {@link WebhookConfig#secret()} is shown once).
     *
     * @param allowPrivate whether URLs may name private addresses ({@code LATCHKEY_WEBHOOK_ALLOW_PRIVATE})
     * @throws ValidationException when a field is invalid
     * @throws OperationException  403 when a tenant admin names another tenant
     */
    public WebhookConfig createWebhook(Actor actor, WebhookInput in, boolean allowPrivate) {
        List<FieldError> errors = new ArrayList<>();
        String tenant = KeyRules.id("tenant_id", in.tenantId(), errors);
        String url = ConfigRules.webhookUrl("url", in.url(), allowPrivate, errors);
        List<WebhookEvent> events = ConfigRules.events("events", in.events(), errors);
        String description = ConfigRules.description("description", in.description(), errors);
        KeyRules.throwIfAny(errors);
        tenant = owningTenant(actor, tenant);
        Instant now = now();
        WebhookConfig c = new WebhookConfig(Ids.next(), tenant, Objects.requireNonNull(url), events, description,
                in.enabled() == null || in.enabled(), now, now, WebhookConfig.newSecret(), null, null, 1);
        configs(WebhookConfig.class).create(c);
        return c;
    }

    /** Returns a webhook config the actor may see, else 404. */
    public WebhookConfig webhook(Actor actor, String id) {
        return visible(actor, WebhookConfig.class, id);
    }

    /** Lists webhook configs, newest first (see {@link #storages} for the tenant rule). */
    public Page<WebhookConfig> webhooks(Actor actor, @Nullable String tenantId, long offset, long limit) {
        return list(actor, WebhookConfig.class, tenantId, offset, limit);
    }

    /**
     * Changes a webhook config.
     *
     * @throws ValidationException when a field is invalid
     * @throws OperationException  404
     */
    public WebhookConfig patchWebhook(Actor actor, String id, WebhookPatch p, boolean allowPrivate) {
        List<FieldError> errors = new ArrayList<>();
        String url = p.url() == null ? null : ConfigRules.webhookUrl("url", p.url().value(), allowPrivate, errors);
        List<WebhookEvent> events = p.events() == null ? null : ConfigRules.events("events", p.events().value(),
                errors);
        String description = p.description() == null ? null
                : ConfigRules.description("description", p.description().value(), errors);
        if (p.enabled() != null && p.enabled().value() == null) {
            errors.add(new FieldError("enabled", "type", "must be true or false"));
        }
        KeyRules.throwIfAny(errors);
        return change(actor, WebhookConfig.class, id, c -> c.withFields(url == null ? c.url() : url,
                events == null ? c.events() : events, p.description() == null ? c.description() : description,
                p.enabled() == null ? c.enabled() : Objects.requireNonNull(p.enabled().value()), now(),
                c.version() + 1));
    }

    /**
     * Gives a webhook config a new signing secret; the old one also signs for
     * {@link WebhookConfig#PREVIOUS_SECRET_GRACE}.
     *
     * @return the changed config, whose {@link WebhookConfig#secret()} is the new secret
     */
    public WebhookConfig rotateSecret(Actor actor, String id) {
        return change(actor, WebhookConfig.class, id,
                c -> c.withRotatedSecret(WebhookConfig.newSecret(), now(), c.version() + 1));
    }

    /** Deletes a webhook config: 404, or 409 while a key or the tenant's defaults name it. */
    public void deleteWebhook(Actor actor, String id) {
        delete(actor, WebhookConfig.class, id);
    }

    // ------------------------------------------------------------------ storage configs

    /**
     * Creates a storage config.
     *
     * @throws ValidationException when a field is invalid (a {@code jdbc_url} outside the allowed form included)
     * @throws OperationException  403 when a tenant admin names another tenant or creates a {@code postgresql} config
     */
    public StorageConfig createStorage(Actor actor, StorageInput in) {
        List<FieldError> errors = new ArrayList<>();
        String tenant = KeyRules.id("tenant_id", in.tenantId(), errors);
        StorageKind kind = ConfigRules.kind("kind", in.kind(), errors);
        int retention = ConfigRules.retentionDays("retention_days", in.retentionDays(), errors);
        String jdbcUrl = ConfigRules.jdbcUrl("jdbc_url", in.jdbcUrl(), kind, errors);
        String description = ConfigRules.description("description", in.description(), errors);
        if (kind == StorageKind.POSTGRESQL) {
            requireManager(actor);
            requirePlatformForPostgres(actor);
        }
        KeyRules.throwIfAny(errors);
        tenant = owningTenant(actor, tenant);
        Instant now = now();
        StorageConfig c = new StorageConfig(Ids.next(), tenant, Objects.requireNonNull(kind), retention, jdbcUrl,
                description, now, now, 1);
        configs(StorageConfig.class).create(c);
        return c;
    }

    /** Returns a storage config the actor may see, else 404. */
    public StorageConfig storage(Actor actor, String id) {
        return visible(actor, StorageConfig.class, id);
    }

    /**
     * Lists storage configs, newest first: a tenant admin its own tenant's (naming another is a 403, as for keys),
     * root and {@code latchkey:admin} every tenant's unless they name one. Offset and limit clamp as for keys.
     */
    public Page<StorageConfig> storages(Actor actor, @Nullable String tenantId, long offset, long limit) {
        return list(actor, StorageConfig.class, tenantId, offset, limit);
    }

    /**
     * Changes a storage config.
     *
     * @throws ValidationException when a field is invalid
     * @throws OperationException  404; 403 when a tenant admin changes a {@code postgresql} config
     */
    public StorageConfig patchStorage(Actor actor, String id, StoragePatch p) {
        StorageConfig current = visible(actor, StorageConfig.class, id);
        if (current.kind() == StorageKind.POSTGRESQL) {
            requirePlatformForPostgres(actor);
        }
        List<FieldError> errors = new ArrayList<>();
        Integer retention = p.retentionDays() == null ? null : ConfigRules.retentionDays("retention_days",
                p.retentionDays().value() == null ? Long.valueOf(ConfigRules.DEFAULT_RETENTION_DAYS)
                        : p.retentionDays().value(), errors);
        String jdbcUrl = p.jdbcUrl() == null ? null
                : ConfigRules.jdbcUrl("jdbc_url", p.jdbcUrl().value(), current.kind(), errors);
        String description = p.description() == null ? null
                : ConfigRules.description("description", p.description().value(), errors);
        KeyRules.throwIfAny(errors);
        return change(actor, StorageConfig.class, id, c -> c.withFields(retention == null ? c.retentionDays()
                : retention, p.jdbcUrl() == null ? c.jdbcUrl() : jdbcUrl,
                p.description() == null ? c.description() : description, now(), c.version() + 1));
    }

    /** Deletes a storage config: 404, or 409 while a key or the tenant's defaults name it. */
    public void deleteStorage(Actor actor, String id) {
        delete(actor, StorageConfig.class, id);
    }

    // ------------------------------------------------------------------ naming rules for keys and defaults

    /**
     * Checks that each non-null id names an existing config of {@code tenant}, adding a 400 error naming the field
     * ({@code webhook_config}, {@code storage_config}) otherwise.
     */
    public void requireOwn(String tenant, @Nullable String webhookConfig, @Nullable String storageConfig,
            List<FieldError> errors) {
        own(tenant, "webhook_config", WebhookConfig.class, webhookConfig, errors);
        own(tenant, "storage_config", StorageConfig.class, storageConfig, errors);
    }

    /**
     * Returns the storage config that applies to a key (its own, else its tenant's default), or empty when none
     * applies, or the one named is gone.
     */
    public Optional<StorageConfig> effectiveStorage(ApiKey key) {
        if (!store.supportsConfigs()) {
            return Optional.empty();
        }
        String id = key.storageConfig();
        if (id == null && store.supportsLimits()) {
            id = store.tenantDefaults(key.tenantId()).storageConfig();
        }
        return id == null ? Optional.empty() : store.storageConfigs().find(id);
    }

    private <T extends TenantConfig> void own(String tenant, String field, Class<T> type, @Nullable String id,
            List<FieldError> errors) {
        if (id == null) {
            return;
        }
        boolean ok = Ids.isValid(id) && store.supportsConfigs()
                && configs(type).find(id).map(c -> c.tenantId().equals(tenant)).orElse(false);
        if (!ok) {
            errors.add(new FieldError(field, "not_found", "names no " + what(type) + " of tenant " + tenant));
        }
    }

    // ------------------------------------------------------------------ shared

    @SuppressWarnings("unchecked")
    private <T extends TenantConfig> TenantConfigs<T> configs(Class<T> type) {
        if (!store.supportsConfigs()) {
            throw new OperationException(OperationException.Reason.CONFLICT,
                    "this key store (" + store.kind() + ") keeps no webhook or storage configs");
        }
        return (TenantConfigs<T>) (type == WebhookConfig.class ? store.webhookConfigs() : store.storageConfigs());
    }

    private <T extends TenantConfig> T visible(Actor actor, Class<T> type, String id) {
        requireManager(actor);
        Optional<T> c = Ids.isValid(id) ? configs(type).find(id) : Optional.empty();
        if (c.isEmpty() || !actor.canSee(c.get().tenantId())) {
            throw new ConfigNotFoundException(what(type), id);
        }
        return c.get();
    }

    private <T extends TenantConfig> Page<T> list(Actor actor, Class<T> type, @Nullable String tenantId,
            long offset, long limit) {
        requireManager(actor);
        List<FieldError> errors = new ArrayList<>();
        String tenant = KeyRules.id("tenant_id", tenantId, errors);
        KeyRules.throwIfAny(errors);
        if (!actor.platformAdmin()) {
            if (tenant != null && !tenant.equals(actor.tenantId())) {
                throw new OperationException(OperationException.Reason.FORBIDDEN,
                        "a tenant admin may only list its own tenant");
            }
            tenant = actor.tenantId();
        }
        KeyQuery clamped = KeyQuery.clamped(tenant, null, null, null, offset, limit, now());
        return configs(type).list(tenant, clamped.offset(), clamped.limit());
    }

    private <T extends TenantConfig> T change(Actor actor, Class<T> type, String id, UnaryOperator<T> edit) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            T current = visible(actor, type, id);
            T next = edit.apply(current);
            if (configs(type).replace(next, current.version())) {
                return next;
            }
            Thread.onSpinWait();
        }
        throw new OperationException(OperationException.Reason.CONFLICT,
                "the config is being changed by too many requests at once; try again");
    }

    private <T extends TenantConfig> void delete(Actor actor, Class<T> type, String id) {
        ConfigNaming.deleting(() -> deleteUnnamed(actor, type, id));
    }

    private <T extends TenantConfig> void deleteUnnamed(Actor actor, Class<T> type, String id) {
        T c = visible(actor, type, id);
        if (c instanceof StorageConfig s && s.kind() == StorageKind.POSTGRESQL) {
            requirePlatformForPostgres(actor);
        }
        String user = user(c);
        if (user != null) {
            throw new OperationException(OperationException.Reason.CONFLICT,
                    "the " + what(type) + " is still named by " + user);
        }
        if (!configs(type).delete(id)) {
            throw new ConfigNotFoundException(what(type), id);
        }
    }

    /** Returns what still names a config (its tenant's defaults or a key), or {@code null}. */
    private @Nullable String user(TenantConfig c) {
        boolean webhook = c instanceof WebhookConfig;
        if (store.supportsLimits()) {
            TenantDefaults d = store.tenantDefaults(c.tenantId());
            if (c.id().equals(webhook ? d.webhookConfig() : d.storageConfig())) {
                return "the defaults of tenant " + c.tenantId();
            }
        }
        for (long offset = 0; ; offset += SCAN_PAGE) {
            Page<ApiKey> page = store.list(KeyQuery.clamped(c.tenantId(), null, null, null, offset, SCAN_PAGE, now()));
            for (ApiKey k : page.items()) {
                if (c.id().equals(webhook ? k.webhookConfig() : k.storageConfig())) {
                    return "key " + k.id();
                }
            }
            if (page.items().size() < SCAN_PAGE) {
                return null;
            }
        }
    }

    private String owningTenant(Actor actor, @Nullable String tenant) {
        requireManager(actor);
        String t = tenant != null ? tenant
                : actor.platformAdmin() ? KeyRules.DEFAULT_TENANT : Objects.requireNonNull(actor.tenantId());
        if (!actor.canSee(t)) {
            throw new OperationException(OperationException.Reason.FORBIDDEN,
                    "a tenant admin may only create configs in its own tenant");
        }
        return t;
    }

    private static void requireManager(Actor actor) {
        if (!actor.manager()) {
            throw new OperationException(OperationException.Reason.FORBIDDEN, "this key may only verify tokens");
        }
    }

    private static void requirePlatformForPostgres(Actor actor) {
        if (!actor.platformAdmin()) {
            throw new OperationException(OperationException.Reason.FORBIDDEN,
                    "only root or a latchkey:admin key may create or change a postgresql storage config");
        }
    }

    private static String what(Class<?> type) {
        return type == WebhookConfig.class ? "webhook config" : "storage config";
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Applies a PATCH's config overrides, each of which must name a config of the key's tenant (else 400). */
    void applyOverrides(ApiKey k, KeyPatch patch, LimitManager.Requested requested, ApiKey.Builder b) {
        if (patch.webhookConfig() == null && patch.storageConfig() == null) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        requireOwn(k.tenantId(), requested.webhookConfig(), requested.storageConfig(), errors);
        KeyRules.throwIfAny(errors);
        if (patch.webhookConfig() != null) {
            b.webhookConfig(requested.webhookConfig());
        }
        if (patch.storageConfig() != null) {
            b.storageConfig(requested.storageConfig());
        }
    }
}
