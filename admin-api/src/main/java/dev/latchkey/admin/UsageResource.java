package dev.latchkey.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ConfigManager;
import dev.latchkey.core.HistoryRange;
import dev.latchkey.core.HistorySource;
import dev.latchkey.core.KeyManager;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.StorageConfig;
import dev.latchkey.core.StorageKind;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.UsageBucket;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /v1/keys/{id}/usage} (API.md §10): a key's per-bucket counts of valid, denied and rate-limited requests,
 * read from its effective storage config: the key store's own history (Redis, or memory) or, for {@code postgresql},
 * the admin service's tables. Another tenant's key is a 404, as everywhere.
 */
@Path("/v1/keys/{id}/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "keys")
public final class UsageResource {

    @Inject
    private KeyManager manager;
    @Inject
    private ConfigManager configs;
    @Inject
    private KeyStore store;
    @Inject
    private AdminContext context;
    @Inject
    private Clock clock;
    @Context
    private SecurityContext security;

    /** The answer. */
    @Schema(name = "UsageHistory")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Series(String keyId, String granularity, List<Bucket> series) {
    }

    /** One bucket. */
    @Schema(name = "UsageBucket")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Bucket(String start, long valid, long denied, long rateLimited) {
        static Bucket of(UsageBucket b) {
            return new Bucket(b.start().toString(), b.valid(), b.denied(), b.rateLimited());
        }
    }

    @GET
    @Operation(operationId = "getKeyUsage", summary = "Read a key's usage history",
            description = "Every bucket with from ≤ start < to, oldest first, empty ones as zeros; from is rounded"
                    + " down and to up to the granularity. Defaults: to now, from 1 hour (minute), 1 day (hour) or"
                    + " 30 days (day) before to. More than 1,440 buckets, from ≥ to or a bad time is a 400.",
            responses = @ApiResponse(responseCode = "200", description = "the series",
                    content = @Content(schema = @Schema(implementation = Series.class))))
    public Series get(@PathParam("id") String id,
            @Parameter(description = "RFC 3339") @QueryParam("from") @Nullable String from,
            @Parameter(description = "RFC 3339") @QueryParam("to") @Nullable String to,
            @Parameter(schema = @Schema(allowableValues = {"minute", "hour", "day"}))
            @QueryParam("granularity") @Nullable String granularity) {
        ApiKey key = manager.get(AdminAuthFilter.actor(security), id);
        HistoryRange range = HistoryRange.parse(from, to, granularity, clock.instant());
        Optional<StorageConfig> config = configs.effectiveStorage(key);
        List<UsageBucket> found;
        if (config.isPresent() && config.get().kind() == StorageKind.POSTGRESQL) {
            HistorySource postgres = context.historySource();
            if (postgres == null) {
                throw new StoreUnavailableException("this admin service ships no history to PostgreSQL");
            }
            found = postgres.read(config.get(), key.id(), range);
        } else if (store.supportsHistory()) {
            found = store.usageHistory(key.id(), range.from(), range.to(), range.granularity());
        } else {
            found = List.of();
        }
        return new Series(key.id(), range.granularity().wire(),
                range.series(found).stream().map(Bucket::of).toList());
    }
}
