package dev.latchkey.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /metrics}: the Prometheus text exposition of the service's registry. No authentication. It answers the
 * text format (0.0.4) whatever {@code Accept} says, never 406, as Prometheus's own client libraries do for a format
 * they do not offer: a scraper that asks for OpenMetrics reads the {@code Content-Type} and parses the text format
 * (docs/DECISIONS.md).
 */
@Path("/metrics")
@Unauthenticated
@Tag(name = "operations")
public final class MetricsResource {

    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    @Inject
    private PrometheusMeterRegistry registry;

    @GET // no @Produces: Accept is not negotiated here
    @SecurityRequirements
    @Operation(operationId = "metrics", summary = "Prometheus metrics",
            responses = @ApiResponse(responseCode = "200", description = "Prometheus text format",
                    content = @Content(mediaType = TEXT_FORMAT, schema = @Schema(type = "string"))))
    public Response metrics() {
        return Response.ok(registry.scrape(), TEXT_FORMAT).build();
    }
}
