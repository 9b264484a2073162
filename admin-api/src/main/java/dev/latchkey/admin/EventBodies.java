package dev.latchkey.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.QuotaState;
import dev.latchkey.core.admin.KeyLimits;
import dev.latchkey.core.admin.LimitManager;
import dev.latchkey.core.events.EventRenderer;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Renders key events' webhook bodies (API.md §10): {@code {"type","timestamp","data":{"key","actor","tenant_id"}}},
 * where {@code key} is exactly the key answer of {@code GET /v1/keys/{id}} (with {@code effective}), which never
 * carries a token or a hash.
 */
final class EventBodies implements EventRenderer {

    /** The body of a key event. */
    record Body(String type, String timestamp, Data data) {
    }

    /** What a key event carries. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Data(Wire.Key key, @Nullable String actor, String tenantId) {
    }

    private final LimitManager limits;
    private final Clock clock;

    EventBodies(LimitManager limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String body(String type, ApiKey key, @Nullable String actor, Instant at) {
        return body(type, key, actor, at, null);
    }

    @Override
    public String body(String type, ApiKey key, @Nullable String actor, Instant at, @Nullable QuotaState balance) {
        KeyLimits live = limits.limitsOf(key);
        if (balance != null && live.effective().quota() != null) {
            live = new KeyLimits(live.effective(), balance);
        }
        Wire.Key view = Wire.Key.of(key, clock.instant(), live);
        try {
            return Json.MAPPER.writeValueAsString(new Body(type, Objects.requireNonNull(Wire.time(at)),
                    new Data(view, actor, key.tenantId())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a key answer could not be written as JSON", e);
        }
    }
}
