package dev.latchkey.core.admin;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A partial update of a key ({@code PATCH /v1/keys/{id}}): each non-null {@link Change} replaces that field; a
 * change to {@code null} clears it ({@code owner_id}, {@code expires_at}, and empties {@code scopes},
 * {@code ip_restrictions} and {@code metadata}); a {@code null} name is invalid. Lists and maps replace the whole
 * value, never merge; {@code rate_limit} and {@code quota} are replaced whole, and {@code null} makes them inherit.
 */
public record KeyPatch(
        @Nullable Change<String> name,
        @Nullable Change<String> ownerId,
        @Nullable Change<List<String>> scopes,
        @Nullable Change<List<IpRuleInput>> ipRestrictions,
        @Nullable Change<String> expiresAt,
        @Nullable Change<Map<String, String>> metadata,
        @Nullable Change<RateLimitInput> rateLimit,
        @Nullable Change<QuotaInput> quota,
        @Nullable Change<String> webhookConfig,
        @Nullable Change<String> storageConfig) {

    /** A patch that changes nothing. */
    public static final KeyPatch EMPTY = new KeyPatch(null, null, null, null, null, null);

    /** A patch without the limit fields of API.md §8. */
    public KeyPatch(@Nullable Change<String> name, @Nullable Change<String> ownerId,
            @Nullable Change<List<String>> scopes, @Nullable Change<List<IpRuleInput>> ipRestrictions,
            @Nullable Change<String> expiresAt, @Nullable Change<Map<String, String>> metadata) {
        this(name, ownerId, scopes, ipRestrictions, expiresAt, metadata, null, null, null, null);
    }

    /** Returns whether this patch carries no field. */
    public boolean isEmpty() {
        return name == null && ownerId == null && scopes == null && ipRestrictions == null && expiresAt == null
                && metadata == null && rateLimit == null && quota == null && webhookConfig == null
                && storageConfig == null;
    }

    public KeyPatch withName(@Nullable String v) { return new KeyPatch(Change.to(v), ownerId, scopes, ipRestrictions, expiresAt, metadata, rateLimit, quota, webhookConfig, storageConfig); }
    public KeyPatch withOwnerId(@Nullable String v) { return new KeyPatch(name, Change.to(v), scopes, ipRestrictions, expiresAt, metadata, rateLimit, quota, webhookConfig, storageConfig); }
    public KeyPatch withScopes(@Nullable List<String> v) { return new KeyPatch(name, ownerId, Change.to(v), ipRestrictions, expiresAt, metadata, rateLimit, quota, webhookConfig, storageConfig); }
    public KeyPatch withIpRestrictions(@Nullable List<IpRuleInput> v) { return new KeyPatch(name, ownerId, scopes, Change.to(v), expiresAt, metadata, rateLimit, quota, webhookConfig, storageConfig); }
    public KeyPatch withExpiresAt(@Nullable String v) { return new KeyPatch(name, ownerId, scopes, ipRestrictions, Change.to(v), metadata, rateLimit, quota, webhookConfig, storageConfig); }
    public KeyPatch withMetadata(@Nullable Map<String, String> v) { return new KeyPatch(name, ownerId, scopes, ipRestrictions, expiresAt, Change.to(v), rateLimit, quota, webhookConfig, storageConfig); }
    public KeyPatch withRateLimit(@Nullable RateLimitInput v) { return new KeyPatch(name, ownerId, scopes, ipRestrictions, expiresAt, metadata, Change.to(v), quota, webhookConfig, storageConfig); }
    public KeyPatch withQuota(@Nullable QuotaInput v) { return new KeyPatch(name, ownerId, scopes, ipRestrictions, expiresAt, metadata, rateLimit, Change.to(v), webhookConfig, storageConfig); }
    public KeyPatch withWebhookConfig(@Nullable String v) { return new KeyPatch(name, ownerId, scopes, ipRestrictions, expiresAt, metadata, rateLimit, quota, Change.to(v), storageConfig); }
    public KeyPatch withStorageConfig(@Nullable String v) { return new KeyPatch(name, ownerId, scopes, ipRestrictions, expiresAt, metadata, rateLimit, quota, webhookConfig, Change.to(v)); }
}
