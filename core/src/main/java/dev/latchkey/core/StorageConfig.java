package dev.latchkey.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a tenant's keys keep their usage history, and for how long (API.md §10).
 *
 * @param id            the id (a ULID)
 * @param tenantId      the owning tenant
 * @param kind          {@code redis} (built in) or {@code postgresql}
 * @param retentionDays how many days of history are kept, 1 to {@value ConfigRules#MAX_RETENTION_DAYS}
 * @param jdbcUrl       for {@code postgresql} only: the JDBC URL, password included (never shown: see
 *                      {@link #displayJdbcUrl()}); {@code null} for {@code redis}
 * @param description   free text (≤ 200 characters), or {@code null}
 * @param createdAt     creation time
 * @param updatedAt     time of the last change
 * @param version       1 at creation, +1 with every change
 */
public record StorageConfig(String id, String tenantId, StorageKind kind, int retentionDays, @Nullable String jdbcUrl,
        @Nullable String description, Instant createdAt, Instant updatedAt, long version) implements TenantConfig {

    public StorageConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (retentionDays < 1 || retentionDays > ConfigRules.MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException("retention days must be 1 to " + ConfigRules.MAX_RETENTION_DAYS);
        }
        if ((kind == StorageKind.POSTGRESQL) != (jdbcUrl != null)) {
            throw new IllegalArgumentException("a JDBC URL goes with postgresql configs only, and always");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    /** Returns the JDBC URL with its {@code password} parameter removed, or {@code null}. */
    public @Nullable String displayJdbcUrl() {
        return jdbcUrl == null ? null : JdbcUrls.withoutPassword(jdbcUrl);
    }

    /** Returns a copy with these changeable fields, {@code updatedAt} and version. */
    public StorageConfig withFields(int newRetentionDays, @Nullable String newJdbcUrl, @Nullable String newDescription,
            Instant now, long newVersion) {
        return new StorageConfig(id, tenantId, kind, newRetentionDays, newJdbcUrl, newDescription, createdAt, now,
                newVersion);
    }

    /** Shows the JDBC URL without its password. */
    @Override
    public String toString() {
        return "StorageConfig[id=" + id + ", tenantId=" + tenantId + ", kind=" + kind.wire() + ", retentionDays="
                + retentionDays + ", jdbcUrl=" + displayJdbcUrl() + ", version=" + version + "]";
    }
}
