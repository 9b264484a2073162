package dev.latchkey.redis;

import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.StorageKind;
import dev.latchkey.core.TenantConfig;
import dev.latchkey.core.WebhookConfig;
import dev.latchkey.core.WebhookEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Redis hash form of {@link WebhookConfig} and {@link StorageConfig}: one field per component, times in
 * {@link RecordCodec#time} form, absent fields for {@code null}.
 *
 * @param <T> the config type
 */
interface ConfigCodec<T extends TenantConfig> {

    /** The short name of the kind, used in Redis key names ({@code wh}, {@code sc}). */
    String tag();

    Map<String, String> encode(T config);

    T decode(Map<String, String> f);

    /** The webhook config codec. */
    ConfigCodec<WebhookConfig> WEBHOOK = new ConfigCodec<>() {
        @Override
        public String tag() {
            return "wh";
        }

        @Override
        public Map<String, String> encode(WebhookConfig c) {
            Map<String, String> f = common(c);
            f.put("url", c.url());
            List<String> events = new ArrayList<>();
            c.events().forEach(e -> events.add(e.wire()));
            f.put("events", String.join(",", events));
            putIf(f, "description", c.description());
            f.put("enabled", Boolean.toString(c.enabled()));
            f.put("secret", c.secret());
            putIf(f, "previous_secret", c.previousSecret());
            if (c.previousSecretExpiresAt() != null) {
                f.put("previous_secret_expires_at", RecordCodec.time(c.previousSecretExpiresAt()));
            }
            return f;
        }

        @Override
        public WebhookConfig decode(Map<String, String> f) {
            List<WebhookEvent> events = new ArrayList<>();
            for (String e : get(f, "events").split(",")) {
                events.add(Objects.requireNonNull(WebhookEvent.fromWire(e), "event " + e));
            }
            return new WebhookConfig(get(f, "id"), get(f, "tenant_id"), get(f, "url"), events, f.get("description"),
                    Boolean.parseBoolean(get(f, "enabled")), time(f, "created_at"), time(f, "updated_at"),
                    get(f, "secret"), f.get("previous_secret"), RecordCodec.parseTime(f.get("previous_secret_expires_at")),
                    Long.parseLong(get(f, "version")));
        }
    };

    /** The storage config codec. */
    ConfigCodec<StorageConfig> STORAGE = new ConfigCodec<>() {
        @Override
        public String tag() {
            return "sc";
        }

        @Override
        public Map<String, String> encode(StorageConfig c) {
            Map<String, String> f = common(c);
            f.put("kind", c.kind().wire());
            f.put("retention_days", Integer.toString(c.retentionDays()));
            putIf(f, "jdbc_url", c.jdbcUrl());
            putIf(f, "description", c.description());
            return f;
        }

        @Override
        public StorageConfig decode(Map<String, String> f) {
            return new StorageConfig(get(f, "id"), get(f, "tenant_id"),
                    Objects.requireNonNull(StorageKind.fromWire(get(f, "kind")), "kind"),
                    Integer.parseInt(get(f, "retention_days")), f.get("jdbc_url"), f.get("description"),
                    time(f, "created_at"), time(f, "updated_at"), Long.parseLong(get(f, "version")));
        }
    };

    private static Map<String, String> common(TenantConfig c) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", c.id());
        f.put("tenant_id", c.tenantId());
        f.put("created_at", RecordCodec.time(c.createdAt()));
        f.put("updated_at", RecordCodec.time(c.updatedAt()));
        f.put("version", Long.toString(c.version()));
        return f;
    }

    private static void putIf(Map<String, String> f, String name, @Nullable String value) {
        if (value != null) {
            f.put(name, value);
        }
    }

    private static String get(Map<String, String> f, String name) {
        return Objects.requireNonNull(f.get(name), name);
    }

    private static java.time.Instant time(Map<String, String> f, String name) {
        return Objects.requireNonNull(RecordCodec.parseTime(f.get(name)), name);
    }
}
