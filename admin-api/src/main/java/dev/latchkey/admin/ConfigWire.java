package dev.latchkey.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.latchkey.core.Page;
import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.WebhookConfig;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of webhook and storage configs (API.md §10), in snake_case. A webhook secret appears only in the
 * answers of create and rotate-secret; a JDBC URL never shows its password.
 */
final class ConfigWire {

    private ConfigWire() {
    }

    /** A webhook config as answers show it; never a secret. */
    @Schema(name = "WebhookConfig")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Webhook(String id, String tenantId, String url, List<String> events, @Nullable String description,
            boolean enabled, String createdAt, String updatedAt) {
        static Webhook of(WebhookConfig c) {
            return new Webhook(c.id(), c.tenantId(), c.url(), c.events().stream().map(e -> e.wire()).toList(),
                    c.description(), c.enabled(), c.createdAt().toString(), c.updatedAt().toString());
        }
    }

    /** A created webhook config: the config plus its signing secret, shown this once. */
    @Schema(name = "CreatedWebhookConfig")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreatedWebhook(String id, String tenantId, String url, List<String> events, @Nullable String description,
            boolean enabled, String createdAt, String updatedAt,
            @Schema(description = "whsec_…, shown once") String secret) {
        static CreatedWebhook of(WebhookConfig c) {
            Webhook w = Webhook.of(c);
            return new CreatedWebhook(w.id(), w.tenantId(), w.url(), w.events(), w.description(), w.enabled(),
                    w.createdAt(), w.updatedAt(), c.secret());
        }
    }

    /** The answer of rotate-secret. */
    @Schema(name = "WebhookSecret")
    record Secret(@Schema(description = "whsec_…, shown once") String secret) {
    }

    /** A page of webhook configs. */
    @Schema(name = "WebhookConfigList")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record WebhookList(long total, int size, int offset, int limit, List<Webhook> webhookConfigs) {
        static WebhookList of(Page<WebhookConfig> p) {
            List<Webhook> items = p.items().stream().map(Webhook::of).toList();
            return new WebhookList(p.total(), items.size(), p.offset(), p.limit(), items);
        }
    }

    /** A webhook config create body. */
    @Schema(name = "WebhookConfigInput")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record WebhookBody(@Nullable String tenantId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "https://hooks.example.com/latchkey") String url,
            @Schema(description = "event names or \"*\" (default [\"*\"])") @Nullable List<String> events,
            @Schema(maxLength = 200) @Nullable String description, @Nullable Boolean enabled) {
    }

    /** A webhook config PATCH body. */
    @Schema(name = "WebhookConfigPatch")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record WebhookPatchBody(@Nullable String url, @Nullable List<String> events, @Nullable String description,
            @Nullable Boolean enabled) {
    }

    /** A storage config as answers show it; the JDBC URL without its password. */
    @Schema(name = "StorageConfig")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Storage(String id, String tenantId, @Schema(allowableValues = {"redis", "postgresql"}) String kind,
            int retentionDays, @Nullable String jdbcUrl, @Nullable String description, String createdAt,
            String updatedAt) {
        static Storage of(StorageConfig c) {
            return new Storage(c.id(), c.tenantId(), c.kind().wire(), c.retentionDays(), c.displayJdbcUrl(),
                    c.description(), c.createdAt().toString(), c.updatedAt().toString());
        }
    }

    /** A page of storage configs. */
    @Schema(name = "StorageConfigList")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StorageList(long total, int size, int offset, int limit, List<Storage> storageConfigs) {
        static StorageList of(Page<StorageConfig> p) {
            List<Storage> items = p.items().stream().map(Storage::of).toList();
            return new StorageList(p.total(), items.size(), p.offset(), p.limit(), items);
        }
    }

    /** A storage config create body. */
    @Schema(name = "StorageConfigInput")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StorageBody(@Nullable String tenantId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"redis", "postgresql"}) String kind,
            @Schema(minimum = "1", maximum = "400", description = "default 30") @Nullable Integer retentionDays,
            @Schema(description = "postgresql only: jdbc:postgresql://host[:port]/database, parameters user, password,"
                    + " ssl, sslmode, currentSchema, ApplicationName") @Nullable String jdbcUrl,
            @Schema(maxLength = 200) @Nullable String description) {
    }

    /** A storage config PATCH body ({@code kind} is not patchable). */
    @Schema(name = "StorageConfigPatch")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StoragePatchBody(@Nullable Integer retentionDays, @Nullable String jdbcUrl, @Nullable String description) {
    }
}
