package dev.latchkey.core.events;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.QuotaState;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Renders a key event's webhook body (API.md §10: {@code {"type","timestamp","data":{"key","actor","tenant_id"}}},
 * the key as the admin API answers it, never a token). The admin service supplies it, because the wire form of a
 * key is its business; {@code KeyManager} calls it before the change commits so the body is stored with the change.
 */
@FunctionalInterface
public interface EventRenderer {

    /**
     * Returns the body.
     *
     * @param type  the event name
     * @param key   the key after the change (before it, for {@code key.deleted})
     * @param actor {@code root}, the acting admin key's id, or {@code null} for events no admin caused
     * @param at    when the event happened
     */
    String body(String type, ApiKey key, @Nullable String actor, Instant at);

    /**
     * Returns the body of an event whose change also settles the key's quota balance right after it commits (a new
     * key's first balance, the balance under a patched quota): the body is rendered before the commit, so it is told
     * the balance the change's answer will show. The default ignores {@code balance}.
     *
     * @param balance the balance under the key's effective quota once the change is done, or {@code null} for the
     *                one stored
     */
    default String body(String type, ApiKey key, @Nullable String actor, Instant at, @Nullable QuotaState balance) {
        return body(type, key, actor, at);
    }
}
