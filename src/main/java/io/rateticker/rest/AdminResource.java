package io.rateticker.rest;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;


import io.rateticker.Observation;
import io.rateticker.service.FetchScheduler;
import io.rateticker.service.Fetcher;
import io.rateticker.service.IngestResult;
import io.rateticker.service.RateReader;
import io.rateticker.service.RateWriter;
import io.rateticker.service.RequestException;

/** The write API: rates entered by an operator, behind the admin token ({@link AdminTokenMechanism}). */
@Path("/api/v1/admin")
@RolesAllowed(AdminTokens.ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "adminToken")
@APIResponse(responseCode = "400", ref = "BadRequest")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "406", ref = "NotAcceptable")
@APIResponse(responseCode = "429", ref = "LockedOut")
public class AdminResource {

    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern STORED_SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,31}");

    private final ManualRates manualRates;
    private final RateWriter writer;
    private final RateReader rates;
    private final FetchScheduler scheduler;
    private final Fetcher fetcher;

    AdminResource(ManualRates manualRates, RateWriter writer, RateReader rates, FetchScheduler scheduler,
            Fetcher fetcher) {
        this.manualRates = manualRates;
        this.writer = writer;
        this.rates = rates;
        this.scheduler = scheduler;
        this.fetcher = fetcher;
    }

    @POST
    @Path("/rates")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "postRates",
            summary = "Store rates (all or nothing); changed rates go out on the stream at once")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "RatesRequest")))
    @APIResponse(responseCode = "200", description = "What became of each rate",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "IngestResult")))
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "503", ref = "StoreUnavailable")
    public IngestResult postRates(byte[] body) throws IOException {
        checkSize(body);
        return manualRates.ingest(body);
    }

    @POST
    @Path("/refresh")
    @Operation(operationId = "refreshSources",
            summary = "Fetch now from one source (?source=id) or from every enabled one; returns each outcome")
    @APIResponse(responseCode = "200", description = "The outcome of each fetch",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "FetchOutcomes")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public List<Fetcher.Outcome> refresh(
            @Parameter(description = "A source id; default every enabled source",
                    schema = @Schema(type = SchemaType.STRING, examples = "nbkr")) @RestQuery String source) {
        return scheduler.refresh(Optional.ofNullable(source).filter(s -> !s.isBlank()));
    }

    @POST
    @Path("/sources/{id}/documents")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "feedDocument",
            summary = "Feed a document exactly as the bank serves it (any content type): parsed, checked and "
                    + "stored like a fetched one")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.WILDCARD,
            schema = @Schema(type = SchemaType.STRING, contentMediaType = MediaType.APPLICATION_OCTET_STREAM)))
    @APIResponse(responseCode = "200", description = "What became of each rate in the document",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "IngestResult")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "422",
            description = "Not a document of that source, or dates or values out of bounds; nothing was stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", ref = "StoreUnavailable")
    public IngestResult document(
            @Parameter(description = "The source whose format the document is in",
                    schema = @Schema(type = SchemaType.STRING, examples = "nbk")) @RestPath String id,
            byte[] body) {
        checkSize(body);
        return fetcher.feed(id, body);
    }

    @GET
    @Path("/rejections")
    @Operation(operationId = "listRejections",
            summary = "The values the sanity guard holds back (stored, never served), the latest dates first")
    @APIResponse(responseCode = "200", description = "The held-back values",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "HeldBackValues")))
    public List<RateReader.Rejection> rejections() {
        return rates.rejections();
    }

    @POST
    @Path("/rejections/{source}/{currency}/{asOf}/release")
    @Operation(operationId = "releaseRejection",
            summary = "Release a held-back value: stored as accepted (noting that an operator released it) and "
                    + "served if its source is the preferred one for that date")
    @APIResponse(responseCode = "200", description = "The released value",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "IngestResult")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "503", ref = "StoreUnavailable")
    public IngestResult release(@Parameter(name = "source", in = ParameterIn.PATH,
            ref = "source") @RestPath String source,
            @Parameter(name = "currency", in = ParameterIn.PATH, ref = "currency") @RestPath String currency,
                    @Parameter(name = "asOf", in = ParameterIn.PATH, ref = "asOf") @RestPath String asOf,
            @Parameter(name = "quote", in = ParameterIn.QUERY, ref = "quote") @RestQuery String quote) {
        return writer.release(key(source, currency, quote, asOf));
    }

    @DELETE
    @Path("/observations/{source}/{currency}/{asOf}")
    @Operation(operationId = "deleteObservation",
            summary = "Remove one stored value of any source (a bank's wrong date or value, a bundled one); every "
                    + "reader sees the rate that is served then")
    @APIResponse(responseCode = "200", description = "The removed value",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "StoredItem")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "StoreUnavailable")
    public IngestResult.Item deleteObservation(@Parameter(name = "source", in = ParameterIn.PATH,
            ref = "source") @RestPath String source,
            @Parameter(name = "currency", in = ParameterIn.PATH, ref = "currency") @RestPath String currency,
                    @Parameter(name = "asOf", in = ParameterIn.PATH, ref = "asOf") @RestPath String asOf,
            @Parameter(name = "quote", in = ParameterIn.QUERY, ref = "quote") @RestQuery String quote) {
        return writer.delete(key(source, currency, quote, asOf));
    }

    /**
     * The key a correction names: a currency and quote that are kept ({@link #unkept}), an ISO date, a source id as
     * stored.
     */
    private Observation.Key key(String source, String currency, String quote, String asOf) {
        String code = currency.toUpperCase(Locale.ROOT);
        String quoted = quote == null || quote.isBlank() ? Observation.USD : quote.trim().toUpperCase(Locale.ROOT);
        String unkept = manualRates.unkept(code, code, quoted);
        if (unkept != null) {
            throw new RequestException(404, unkept);
        }
        if (!STORED_SOURCE.matcher(source).matches()) {
            throw new RequestException(404, "no source " + source + " stores values (ids are letters, digits and "
                    + "dashes, at most 32)");
        }
        try {
            return new Observation.Key(code, quoted, LocalDate.parse(asOf), source);
        } catch (DateTimeParseException e) {
            throw new RequestException(400, "asOf '" + asOf + "' is not a date (YYYY-MM-DD)");
        }
    }

    /** Bodies with a declared length are refused earlier (ApiRoutes); this catches chunked ones. */
    private static void checkSize(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw new RequestException(413, "the body is " + body.length + " bytes; at most " + MAX_BODY_BYTES
                    + " are accepted");
        }
    }

}
