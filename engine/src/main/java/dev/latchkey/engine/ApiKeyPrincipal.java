package dev.latchkey.engine;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.internal.Scopes;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The authenticated caller of a request that {@link ApiKeyFilter} let through: {@code request.getUserPrincipal()}
 * returns it, and so does the request attribute {@value ApiKeyFilter#KEY_ATTRIBUTE}. Its {@linkplain #getName()
 * name} is the key id. It never holds a token or a hash of one.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ApiKeyPrincipal implements Principal {

    private final String keyId;
    private final String tenantId;
    private final @Nullable String ownerId;
    private final String keyName;
    private final String environment;
    private final List<String> scopes;
    private final Map<String, String> metadata;
    private final @Nullable String clientIp;

    ApiKeyPrincipal(ApiKey key, @Nullable String clientIp) {
        this.keyId = key.id();
        this.tenantId = key.tenantId();
        this.ownerId = key.ownerId();
        this.keyName = key.name();
        this.environment = key.environment().wire();
        this.scopes = key.scopes();
        this.metadata = key.metadata();
        this.clientIp = clientIp;
    }

    /** Returns the key id. */
    @Override
    public String getName() {
        return keyId;
    }

    /** Returns the key id (the same as {@link #getName()}). */
    public String keyId() {
        return keyId;
    }

    /** Returns the tenant that owns the key. */
    public String tenantId() {
        return tenantId;
    }

    /** Returns the key's owner within its tenant, or {@code null}. */
    public @Nullable String ownerId() {
        return ownerId;
    }

    /** Returns the key's human-readable name. */
    public String keyName() {
        return keyName;
    }

    /** Returns {@code live} or {@code test}. */
    public String environment() {
        return environment;
    }

    /** Returns the scopes granted to the key, as stored (they may contain {@code *} segments). */
    public List<String> scopes() {
        return scopes;
    }

    /** Returns the key's metadata, in insertion order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Returns the client address the filter checked the key's IP rules against (the socket address, or the
     * forwarded one when the peer is a trusted proxy), or {@code null} when it could not be told.
     */
    public @Nullable String clientIp() {
        return clientIp;
    }

    /** Returns whether the key's scopes grant {@code scope} (with core's wildcard rules). */
    public boolean hasScope(String scope) {
        return Scopes.grants(scopes, Objects.requireNonNull(scope, "scope"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKeyPrincipal p && p.keyId.equals(keyId);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }

    @Override
    public String toString() {
        return "ApiKeyPrincipal[" + keyId + ", tenant=" + tenantId + "]";
    }
}
