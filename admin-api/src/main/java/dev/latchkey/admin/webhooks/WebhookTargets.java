package dev.latchkey.admin.webhooks;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the sender finds webhook configs: the tenant-owned configs of API.md §10 and the tenant defaults of §9.
 * The admin service adapts its config store to this, so the sender does not depend on how configs are kept.
 */
public interface WebhookTargets {

    /**
     * A webhook config as the sender needs it.
     *
     * @param id       the config id
     * @param tenantId its tenant
     * @param url      where to POST
     * @param events   the event names it wants, or {@code *}
     * @param enabled  whether it receives anything
     * @param secrets  the signing secrets, current first (two during a rotation window)
     */
    record Target(String id, String tenantId, String url, List<String> events, boolean enabled,
            List<String> secrets) {

        public Target {
            events = List.copyOf(events);
            secrets = List.copyOf(secrets);
        }

        /** Returns whether this config receives {@code eventType}. */
        public boolean wants(String eventType) {
            return enabled && (events.contains("*") || events.contains(eventType));
        }
    }

    /** Returns the config with this id, if it exists. */
    Optional<Target> target(String id);

    /** Returns the tenant's default webhook config id, or {@code null}. */
    @Nullable String tenantDefault(String tenantId);
}
