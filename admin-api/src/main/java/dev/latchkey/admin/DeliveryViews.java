package dev.latchkey.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.latchkey.core.Page;
import dev.latchkey.core.events.Attempt;
import dev.latchkey.core.events.Delivery;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The wire form of webhook deliveries (API.md §10). Never a body or a secret: ids, statuses, times, errors. */
final class DeliveryViews {

    private DeliveryViews() {
    }

    /** A delivery in a listing. */
    @Schema(name = "WebhookDelivery")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Summary(String id, String eventId, String eventType, int attempts,
            @Schema(allowableValues = {"pending", "delivered", "failed"}) String status,
            @Nullable Integer lastStatusCode,
            @Schema(description = "why the last attempt got no status, e.g. timeout or blocked_address")
            @Nullable String lastError,
            @Nullable String nextAttemptAt, String createdAt) {

        static Summary of(Delivery d) {
            return new Summary(d.id(), d.eventId(), d.eventType(), d.attempts(), d.status().wire(),
                    d.lastStatusCode(), d.lastError(), Wire.time(d.nextAttemptAt()),
                    String.valueOf(Wire.time(d.createdAt())));
        }
    }

    /** One attempt. */
    @Schema(name = "WebhookAttempt")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record AttemptView(String at, @Nullable Integer statusCode, @Nullable String error, long durationMs) {

        static AttemptView of(Attempt a) {
            return new AttemptView(String.valueOf(Wire.time(a.at())), a.statusCode(), a.error(), a.durationMs());
        }
    }

    /** A delivery with every attempt, oldest first. */
    @Schema(name = "WebhookDeliveryDetail")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Detail(String id, String eventId, String eventType, int attempts, String status,
            @Nullable Integer lastStatusCode, @Nullable String lastError, @Nullable String nextAttemptAt,
            String createdAt, List<AttemptView> attemptLog) {

        static Detail of(Delivery d) {
            Summary s = Summary.of(d);
            return new Detail(s.id(), s.eventId(), s.eventType(), s.attempts(), s.status(), s.lastStatusCode(),
                    s.lastError(), s.nextAttemptAt(), s.createdAt(),
                    d.attemptLog().stream().map(AttemptView::of).toList());
        }
    }

    /** One page of deliveries, newest first. */
    @Schema(name = "WebhookDeliveryList")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DeliveryList(long total, int size, int offset, int limit, List<Summary> deliveries) {

        static DeliveryList of(Page<Delivery> page) {
            List<Summary> items = page.items().stream().map(Summary::of).toList();
            return new DeliveryList(page.total(), items.size(), page.offset(), page.limit(), items);
        }
    }
}
