package dev.latchkey.core.admin;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.WebhookEvent;
import dev.latchkey.core.events.EventRenderer;
import dev.latchkey.core.events.OutboxEvent;
import dev.latchkey.core.internal.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * Makes the event each committed key change writes with itself (API.md §10): a fresh event id, the key's effective
 * webhook config at commit time (its own override, else its tenant's default) and the rendered body. With no
 * renderer the manager raises no events.
 */
final class KeyEvents implements Mutations.EventMaker {

    private final KeyStore store;
    private final @Nullable EventRenderer renderer;
    private final Clock clock;

    KeyEvents(KeyStore store, @Nullable EventRenderer renderer, Clock clock) {
        this.store = store;
        this.renderer = renderer;
        this.clock = clock;
    }

    @Override
    public @Nullable OutboxEvent make(WebhookEvent type, ApiKey key, Actor actor, @Nullable QuotaState balance) {
        if (renderer == null) {
            return null;
        }
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String route = key.webhookConfig();
        if (route == null && store.supportsLimits()) {
            route = store.tenantDefaults(key.tenantId()).webhookConfig();
        }
        return new OutboxEvent(Ids.next(), type.wire(), key.id(), key.tenantId(), at, route,
                renderer.body(type.wire(), key, actor.name(), at, balance));
    }
}
