package io.rateticker.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.rateticker.config.TickerConfig;
import io.rateticker.service.SourceStatuses;
import io.rateticker.service.RateReader;
import io.rateticker.service.Snapshot;

/** The upstream sources: their health, what the sanity guard held back, and how far they disagree. */
@Path("/api/v1/sources")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sources")
@APIResponse(responseCode = "304", ref = "NotModified")
@APIResponse(responseCode = "400", ref = "BadRequest")
@APIResponse(responseCode = "406", ref = "NotAcceptable")
@APIResponse(responseCode = "503", ref = "Loading")
public class SourcesResource {

    static final int RECENT_REJECTIONS = 20;

    public record SourceView(@JsonUnwrapped SourceStatuses.SourceStatus status, List<Rejection> rejections,
            List<Divergence> divergence) {
    }

    /** A value held back by the sanity guard: stored, never served. */
    public record Rejection(String currency, String quote, LocalDate asOf, BigDecimal perUsd, String reason,
            Instant fetchedAt) {
    }

    /** How far this source is from the served value for the served date; flagged above ticker.guard.divergence-percent. */
    public record Divergence(String currency, LocalDate asOf, BigDecimal percent, boolean flagged) {
    }

    private final SourceStatuses statuses;
    private final RateReader rates;
    private final TickerConfig config;

    SourcesResource(SourceStatuses statuses, RateReader rates, TickerConfig config) {
        this.statuses = statuses;
        this.rates = rates;
        this.config = config;
    }

    @GET
    @Operation(operationId = "listSources", summary = "Every upstream source: schedule, calendar, last attempt and "
            + "success, last error, circuit breaker, recent rejections and divergence from the served rates",
            description = "Cache-Control is no-cache (every fetch attempt changes it); revalidate with the ETag.")
    @APIResponse(responseCode = "200", description = "One entry per source", headers = { @Header(name = "ETag",
            ref = "ETag"), @Header(name = "Cache-Control", ref = "Cache-Control"),
            @Header(name = "Vary", ref = "Vary") },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "SourceViews")))
    public RestResponse<List<SourceView>> sources() {
        Snapshot snapshot = rates.loadedSnapshot();
        // Every fetch attempt changes it: a cache may keep it, but must ask again (its ETag) before each use.
        return RestResponse.ResponseBuilder.ok(statuses.statuses().stream().map(status -> new SourceView(status,
                snapshot.rejected(status.id()).stream().limit(RECENT_REJECTIONS)
                        .map(o -> new Rejection(o.currency(), o.quote(), o.asOf(), o.perUsd(), o.rejected(),
                                o.fetchedAt()))
                        .toList(),
                status.currencies().stream()
                        .filter(currency -> snapshot.divergence(currency).containsKey(status.id()))
                        .map(currency -> {
                            BigDecimal percent = snapshot.divergence(currency).get(status.id());
                            return new Divergence(currency, snapshot.rate(currency).asOf(), percent,
                                    percent.abs().compareTo(config.guard().divergencePercent()) > 0);
                        })
                        .toList()))
                .toList()).header(HttpHeaders.CACHE_CONTROL, "no-cache").build();
    }
}
