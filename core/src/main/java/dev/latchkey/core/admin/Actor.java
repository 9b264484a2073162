package dev.latchkey.core.admin;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.internal.Scopes;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who asks for an admin operation: the root token, or an admin key with a platform scope. Tenant admins and
 * verifiers are bound to their key's tenant.
 *
 * @param role     what the caller may do
 * @param keyId    the admin key's id, or {@code null} for root
 * @param tenantId the tenant a tenant-bound role is limited to, or {@code null} for root and platform admins
 */
public record Actor(Role role, @Nullable String keyId, @Nullable String tenantId) {

    /** The roles, strongest first. */
    public enum Role {
        /** The root admin token. */
        ROOT,
        /** A key with {@value Scopes#ADMIN}: every tenant. */
        ADMIN,
        /** A key with {@value Scopes#TENANT_ADMIN}: its own tenant only. */
        TENANT_ADMIN,
        /** A key with {@value Scopes#VERIFY}: may only verify its own tenant's tokens. */
        VERIFIER
    }

    /** The root actor. */
    public static final Actor ROOT = new Actor(Role.ROOT, null, null);

    public Actor {
        Objects.requireNonNull(role, "role");
        if ((role == Role.TENANT_ADMIN || role == Role.VERIFIER) && tenantId == null) {
            throw new IllegalArgumentException("a tenant-bound actor needs a tenant");
        }
    }

    /** Returns the actor for an admin key, by the strongest platform scope it holds, or {@code null} for none. */
    public static @Nullable Actor forKey(ApiKey key) {
        if (key.scopes().contains(Scopes.ADMIN)) {
            return new Actor(Role.ADMIN, key.id(), null);
        }
        if (key.scopes().contains(Scopes.TENANT_ADMIN)) {
            return new Actor(Role.TENANT_ADMIN, key.id(), key.tenantId());
        }
        if (key.scopes().contains(Scopes.VERIFY)) {
            return new Actor(Role.VERIFIER, key.id(), key.tenantId());
        }
        return null;
    }

    /** Returns whether this actor administers every tenant (root or {@value Scopes#ADMIN}). */
    public boolean platformAdmin() {
        return role == Role.ROOT || role == Role.ADMIN;
    }

    /** Returns whether this actor may manage keys (every role but verifier). */
    public boolean manager() {
        return role != Role.VERIFIER;
    }

    /** Returns whether this actor may see keys of {@code tenant}. */
    public boolean canSee(String tenant) {
        return platformAdmin() || tenant.equals(tenantId);
    }

    /** Returns how audit logs and {@code status_changed_by} name this actor: {@code root} or the key id. */
    public String name() {
        return keyId == null ? "root" : keyId;
    }
}
