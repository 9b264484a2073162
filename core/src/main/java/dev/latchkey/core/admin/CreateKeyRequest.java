package dev.latchkey.core.admin;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fields of a new key as the caller sent them, before validation by {@link KeyRules}. Every field may be
 * missing; {@code expiresAt} is text so that a bad timestamp is reported like any other bad field.
 */
public record CreateKeyRequest(
        @Nullable String name,
        @Nullable String tenantId,
        @Nullable String ownerId,
        @Nullable String environment,
        @Nullable String type,
        @Nullable List<String> scopes,
        @Nullable List<IpRuleInput> ipRestrictions,
        @Nullable String expiresAt,
        @Nullable Map<String, String> metadata,
        @Nullable String token,
        @Nullable RateLimitInput rateLimit,
        @Nullable QuotaInput quota,
        @Nullable String webhookConfig,
        @Nullable String storageConfig) {

    /** A request without the limit fields of API.md §8 (all inherit). */
    public CreateKeyRequest(@Nullable String name, @Nullable String tenantId, @Nullable String ownerId,
            @Nullable String environment, @Nullable String type, @Nullable List<String> scopes,
            @Nullable List<IpRuleInput> ipRestrictions, @Nullable String expiresAt,
            @Nullable Map<String, String> metadata, @Nullable String token) {
        this(name, tenantId, ownerId, environment, type, scopes, ipRestrictions, expiresAt, metadata, token, null, null,
                null, null);
    }

    /** Starts a request with only a name; the other fields take their defaults. */
    public static CreateKeyRequest named(String name) {
        return new CreateKeyRequest(name, null, null, null, null, null, null, null, null, null);
    }

    /** Returns a copy for another tenant. */
    public CreateKeyRequest withTenant(@Nullable String tenant) {
        return new CreateKeyRequest(name, tenant, ownerId, environment, type, scopes, ipRestrictions, expiresAt,
                metadata, token, rateLimit, quota, webhookConfig, storageConfig);
    }

    /** Returns a copy with other scopes. */
    public CreateKeyRequest withScopes(@Nullable List<String> newScopes) {
        return new CreateKeyRequest(name, tenantId, ownerId, environment, type, newScopes, ipRestrictions, expiresAt,
                metadata, token, rateLimit, quota, webhookConfig, storageConfig);
    }

    /** Returns a copy with other IP restrictions. */
    public CreateKeyRequest withIpRestrictions(@Nullable List<IpRuleInput> rules) {
        return new CreateKeyRequest(name, tenantId, ownerId, environment, type, scopes, rules, expiresAt, metadata,
                token, rateLimit, quota, webhookConfig, storageConfig);
    }

    /** Returns a copy with another expiry (RFC 3339 text). */
    public CreateKeyRequest withExpiresAt(@Nullable String at) {
        return new CreateKeyRequest(name, tenantId, ownerId, environment, type, scopes, ipRestrictions, at, metadata,
                token, rateLimit, quota, webhookConfig, storageConfig);
    }

    /** Returns a copy with another type. */
    public CreateKeyRequest withType(@Nullable String newType) {
        return new CreateKeyRequest(name, tenantId, ownerId, environment, newType, scopes, ipRestrictions, expiresAt,
                metadata, token, rateLimit, quota, webhookConfig, storageConfig);
    }

    /** Returns a copy with another environment. */
    public CreateKeyRequest withEnvironment(@Nullable String env) {
        return new CreateKeyRequest(name, tenantId, ownerId, env, type, scopes, ipRestrictions, expiresAt, metadata,
                token, rateLimit, quota, webhookConfig, storageConfig);
    }

    /** Returns a copy with other metadata. */
    public CreateKeyRequest withMetadata(@Nullable Map<String, String> md) {
        return new CreateKeyRequest(name, tenantId, ownerId, environment, type, scopes, ipRestrictions, expiresAt, md,
                token, rateLimit, quota, webhookConfig, storageConfig);
    }

    /** Returns a copy that imports a caller-chosen token. */
    public CreateKeyRequest withToken(@Nullable String imported) {
        return new CreateKeyRequest(name, tenantId, ownerId, environment, type, scopes, ipRestrictions, expiresAt,
                metadata, imported, rateLimit, quota, webhookConfig, storageConfig);
    }

    /** Returns a copy with other limit fields (API.md §8); {@code null} inherits. */
    public CreateKeyRequest withLimits(@Nullable RateLimitInput newRateLimit, @Nullable QuotaInput newQuota) {
        return new CreateKeyRequest(name, tenantId, ownerId, environment, type, scopes, ipRestrictions, expiresAt,
                metadata, token, newRateLimit, newQuota, webhookConfig, storageConfig);
    }

    /** Returns a copy with other config overrides (API.md §8); {@code null} inherits. */
    public CreateKeyRequest withConfigs(@Nullable String newWebhookConfig, @Nullable String newStorageConfig) {
        return new CreateKeyRequest(name, tenantId, ownerId, environment, type, scopes, ipRestrictions, expiresAt,
                metadata, token, rateLimit, quota, newWebhookConfig, newStorageConfig);
    }

    /** Hides an imported token so it cannot reach a log. */
    @Override
    public String toString() {
        return "CreateKeyRequest[name=" + name + ", tenantId=" + tenantId + ", token=" + (token == null ? "none" : "(hidden)")
                + "]";
    }
}
