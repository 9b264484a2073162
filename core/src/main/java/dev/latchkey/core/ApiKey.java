package dev.latchkey.core;

import dev.latchkey.core.internal.Collections2;
import inet.ipaddr.IPAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An API key as stored: identity, tenant, lifecycle, permissions and the hashes of its valid secrets. It never
 * holds a plaintext token. Instances are immutable; changes are made with the {@code with…} methods and written
 * back through {@link KeyStore#replace} with the version they were read at.
 *
 * @param id               the key id (a ULID); also inside every generated token of the key
 * @param tenantId         the tenant that owns the key
 * @param ownerId          an optional owner within the tenant (a user or service id)
 * @param name             a human-readable name
 * @param environment      {@code live} or {@code test}
 * @param type             {@code standard} or {@code trial}
 * @param storedStatus     the stored status, never {@link KeyStatus#EXPIRED}; see {@link #effectiveStatus}
 * @param scopes           the granted scopes, in the order given, without duplicates
 * @param ipRestrictions   the IP allow-list
 * @param metadata         free-form string pairs, in insertion order
 * @param createdAt        creation time
 * @param updatedAt        time of the last admin change (never of usage)
 * @param expiresAt        when the key stops working, or {@code null} for never
 * @param current          the current secret
 * @param previous         the rotated-out secret, still valid until {@code previousExpiresAt}, or {@code null}
 * @param previousExpiresAt the end of the previous secret's grace window, or {@code null}
 * @param statusChange     the last explicit status change
 * @param version          the optimistic-concurrency version: 1 at creation, +1 with every admin change
 * @param usage            how often and when the key was last used (not part of {@code version})
 * @param rateLimit        the key's own rate limit, or {@code null} to inherit its tenant's default (API.md §8)
 * @param quota            the key's own quota spec, or {@code null} to inherit; its live balance is kept apart
 *                         ({@link KeyStore#quotaState}), like usage, and never changes {@code version}
 * @param webhookConfig    the key's own webhook config id, or {@code null} to inherit (§10)
 * @param storageConfig    the key's own storage config id, or {@code null} to inherit (§10)
 */
public record ApiKey(
        String id,
        String tenantId,
        @Nullable String ownerId,
        String name,
        Environment environment,
        KeyType type,
        KeyStatus storedStatus,
        List<String> scopes,
        List<IpRestriction> ipRestrictions,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant expiresAt,
        Credential current,
        @Nullable Credential previous,
        @Nullable Instant previousExpiresAt,
        StatusChange statusChange,
        long version,
        Usage usage,
        @Nullable RateLimit rateLimit,
        @Nullable Quota quota,
        @Nullable String webhookConfig,
        @Nullable String storageConfig) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(storedStatus, "storedStatus");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(statusChange, "statusChange");
        Objects.requireNonNull(usage, "usage");
        if (!storedStatus.storable()) {
            throw new IllegalArgumentException("expired is derived from expires_at and never stored");
        }
        if ((previous == null) != (previousExpiresAt == null)) {
            throw new IllegalArgumentException("previous secret and its grace deadline go together");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
        scopes = List.copyOf(scopes);
        ipRestrictions = List.copyOf(ipRestrictions);
        metadata = Collections2.orderedCopy(metadata);
    }

    /**
     * Returns the status a caller sees at {@code now}: the first that holds of blocked, expired, inactive, active.
     */
    public KeyStatus effectiveStatus(Instant now) {
        if (storedStatus == KeyStatus.BLOCKED) {
            return KeyStatus.BLOCKED;
        }
        if (isExpired(now)) {
            return KeyStatus.EXPIRED;
        }
        return storedStatus;
    }

    /** Returns whether {@code expires_at} has passed at {@code now}. */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * Returns the status a caller sees at {@code nowMillis} (epoch milliseconds), as {@link #effectiveStatus(Instant)}
     * does at that millisecond; the cached check reads the clock this way, so it makes no {@link Instant}.
     */
    public KeyStatus effectiveStatus(long nowMillis) {
        if (storedStatus == KeyStatus.BLOCKED) {
            return KeyStatus.BLOCKED;
        }
        if (expiresAt != null && nowMillis >= ceilMillis(expiresAt)) {
            return KeyStatus.EXPIRED;
        }
        return storedStatus;
    }

    /** Returns {@link #previousIfValid(Instant)} at {@code nowMillis} (epoch milliseconds). */
    public @Nullable Credential previousIfValid(long nowMillis) {
        if (previous == null || previousExpiresAt == null || nowMillis >= ceilMillis(previousExpiresAt)) {
            return null;
        }
        return previous;
    }

    /** The first whole millisecond at or after {@code t}: a time in milliseconds is not before {@code t} from it. */
    private static long ceilMillis(Instant t) {
        long ms = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? ms : ms + 1;
    }

    /** Returns the previous secret while its grace window is open at {@code now}, else {@code null}. */
    public @Nullable Credential previousIfValid(Instant now) {
        if (previous == null || previousExpiresAt == null || !now.isBefore(previousExpiresAt)) {
            return null;
        }
        return previous;
    }

    /** Returns whether any IP restriction is active (if none is, every address is allowed). */
    public boolean hasActiveIpRules() {
        for (int i = 0, n = ipRestrictions.size(); i < n; i++) { // indexed: no iterator on the request path
            if (ipRestrictions.get(i).active()) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether {@code address} is allowed: no active rule, or an active rule that contains it. */
    public boolean allowsAddress(@Nullable IPAddress address) {
        if (!hasActiveIpRules()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        for (int i = 0, n = ipRestrictions.size(); i < n; i++) {
            IpRestriction r = ipRestrictions.get(i);
            if (r.active() && r.matches(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the imported credentials the key carries (current and previous, whatever the grace window): the
     * hashes a store's imported-token index must point at this key.
     */
    public List<Credential> importedCredentials() {
        if (!current.imported() && (previous == null || !previous.imported())) {
            return List.of();
        }
        if (previous == null || !previous.imported()) {
            return List.of(current);
        }
        return current.imported() ? List.of(current, previous) : List.of(previous);
    }

    /** Returns whether an imported credential of this key (current, or previous whatever its grace) has this hash. */
    public boolean carriesImported(SecretHash hash) {
        for (Credential c : importedCredentials()) {
            if (c.hash().equals(hash)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the hint a listing shows for the current secret. */
    public String hint() {
        return current.hint();
    }

    /** Returns a copy with another usage, leaving the version alone. */
    public ApiKey withUsage(Usage newUsage) {
        return new ApiKey(id, tenantId, ownerId, name, environment, type, storedStatus, scopes, ipRestrictions,
                metadata, createdAt, updatedAt, expiresAt, current, previous, previousExpiresAt, statusChange,
                version, newUsage, rateLimit, quota, webhookConfig, storageConfig);
    }

    /** Starts a copy of this key for an admin change; {@link Builder#build} does not touch the version. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Starts a new key. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder for keys, used by stores when they read a record and by {@link dev.latchkey.core.admin.KeyManager}
     * for changes.
     */
    public static final class Builder {
        private @Nullable String id;
        private String tenantId = "default";
        private @Nullable String ownerId;
        private @Nullable String name;
        private Environment environment = Environment.LIVE;
        private KeyType type = KeyType.STANDARD;
        private KeyStatus storedStatus = KeyStatus.ACTIVE;
        private List<String> scopes = List.of();
        private List<IpRestriction> ipRestrictions = List.of();
        private Map<String, String> metadata = Map.of();
        private @Nullable Instant createdAt;
        private @Nullable Instant updatedAt;
        private @Nullable Instant expiresAt;
        private @Nullable Credential current;
        private @Nullable Credential previous;
        private @Nullable Instant previousExpiresAt;
        private StatusChange statusChange = StatusChange.NONE;
        private long version = 1;
        private Usage usage = Usage.NONE;
        private @Nullable RateLimit rateLimit;
        private @Nullable Quota quota;
        private @Nullable String webhookConfig;
        private @Nullable String storageConfig;

        Builder() {
        }

        Builder(ApiKey k) {
            id = k.id;
            tenantId = k.tenantId;
            ownerId = k.ownerId;
            name = k.name;
            environment = k.environment;
            type = k.type;
            storedStatus = k.storedStatus;
            scopes = k.scopes;
            ipRestrictions = k.ipRestrictions;
            metadata = k.metadata;
            createdAt = k.createdAt;
            updatedAt = k.updatedAt;
            expiresAt = k.expiresAt;
            current = k.current;
            previous = k.previous;
            previousExpiresAt = k.previousExpiresAt;
            statusChange = k.statusChange;
            version = k.version;
            usage = k.usage;
            rateLimit = k.rateLimit;
            quota = k.quota;
            webhookConfig = k.webhookConfig;
            storageConfig = k.storageConfig;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder tenantId(String v) { tenantId = v; return this; }
        public Builder ownerId(@Nullable String v) { ownerId = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder environment(Environment v) { environment = v; return this; }
        public Builder type(KeyType v) { type = v; return this; }
        public Builder storedStatus(KeyStatus v) { storedStatus = v; return this; }
        public Builder scopes(List<String> v) { scopes = v; return this; }
        public Builder ipRestrictions(List<IpRestriction> v) { ipRestrictions = v; return this; }
        public Builder metadata(Map<String, String> v) { metadata = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        public Builder expiresAt(@Nullable Instant v) { expiresAt = v; return this; }
        public Builder current(Credential v) { current = v; return this; }
        public Builder previous(@Nullable Credential v, @Nullable Instant until) { previous = v; previousExpiresAt = until; return this; }
        public Builder statusChange(StatusChange v) { statusChange = v; return this; }
        public Builder version(long v) { version = v; return this; }
        public Builder usage(Usage v) { usage = v; return this; }
        public Builder rateLimit(@Nullable RateLimit v) { rateLimit = v; return this; }
        public Builder quota(@Nullable Quota v) { quota = v; return this; }
        public Builder webhookConfig(@Nullable String v) { webhookConfig = v; return this; }
        public Builder storageConfig(@Nullable String v) { storageConfig = v; return this; }

        /**
         * Builds the key.
         *
         * @throws NullPointerException     when id, name, createdAt or the current credential is missing
         * @throws IllegalArgumentException when the values contradict each other
         */
        public ApiKey build() {
            Instant created = Objects.requireNonNull(createdAt, "createdAt");
            return new ApiKey(Objects.requireNonNull(id, "id"), tenantId, ownerId, Objects.requireNonNull(name, "name"),
                    environment, type, storedStatus, scopes, ipRestrictions, metadata, created,
                    updatedAt == null ? created : updatedAt, expiresAt, Objects.requireNonNull(current, "current"),
                    previous, previousExpiresAt, statusChange, version, usage, rateLimit, quota, webhookConfig,
                    storageConfig);
        }
    }
}
