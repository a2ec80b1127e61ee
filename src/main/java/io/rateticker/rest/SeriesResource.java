package io.rateticker.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.rateticker.HistoryPoint;
import io.rateticker.Observation;
import io.rateticker.service.Pairs;
import io.rateticker.service.RateReader;
import io.rateticker.service.RequestException;
import io.rateticker.service.Series;
import io.rateticker.service.Snapshot;
import io.rateticker.service.Symbols;
import io.vertx.core.http.HttpServerResponse;

/**
 * The served rates over time: one currency's history, and many currencies' series over up to ten years, each in JSON,
 * CSV or NDJSON. The format is negotiated here ({@link Format#of}) and refused before
 * ({@link ApiRoutes#negotiation}). A {@link Response}, which says its own type, is not negotiated again by RESTEasy,
 * which answers {@code Accept: text/*} with a 406 (it settles on the wildcard itself).
 */
@Path("/api/v1")
@Produces({ MediaType.APPLICATION_JSON, "text/csv", "application/x-ndjson" })
@Tag(name = "rates")
@APIResponse(responseCode = "304", ref = "NotModified")
@APIResponse(responseCode = "400", ref = "BadRequest")
@APIResponse(responseCode = "406", ref = "NotAcceptable")
@APIResponse(responseCode = "503", ref = "Loading")
public class SeriesResource {

    private static final String LAST_DATE = "Last date; default today (UTC), or the latest served date if later";

    static final int MAX_HISTORY_DAYS = 366;
    static final int DEFAULT_HISTORY_DAYS = 30;
    static final int MAX_SERIES_YEARS = 10;
    private static final String VARY = HttpHeaders.ACCEPT + ", " + HttpHeaders.ACCEPT_ENCODING;

    public record History(String pair, String currency, String base, List<HistoryPoint> points) {
    }

    private final RateReader rates;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final HttpCaching caching;
    private final Pairs pairs;

    SeriesResource(RateReader rates, Clock clock, ObjectMapper mapper, HttpCaching caching, Pairs pairs) {
        this.rates = rates;
        this.clock = clock;
        this.mapper = mapper;
        this.caching = caching;
        this.pairs = pairs;
    }

    @GET
    @Path("/rates/{currency}/history")
    @Operation(operationId = "getHistory",
            summary = "Served daily rates of one currency, ascending by date (at most 366 days per request)",
            description = "Cache-Control: public, max-age=3600 for a range that ends before yesterday (UTC), which "
                    + "changes only by a correction; else public, max-age=ticker.http.max-age.")
    @APIResponse(responseCode = "200", description = "The served rate of each date with one in the range",
            headers = { @Header(name = "ETag", ref = "ETag"), @Header(name = "Cache-Control", ref = "Cache-Control"),
                @Header(name = "Vary", description = "Accept, Accept-Encoding", schema = @Schema(type = SchemaType.STRING)) },
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "History")),
                @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING, description = "RFC 4180 "
                        + "with a header row (asOf,pair,currency,base,rate,perUsd,changePercent,source,servedFrom) and "
                        + "CRLF line ends; numbers as plain decimals; an empty field for null"),
                        examples = @ExampleObject(name = "kzt", value = "asOf,pair,currency,base,rate,perUsd,"
                                + "changePercent,source,servedFrom\r\n2026-04-01,KZT/USD,KZT,USD,0.00208868559016,"
                                + "478.77,,bundled,2026-04-01\r\n")),
                @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING,
                        description = "One JSON object per line, each line ended by LF: the fields of a CSV row, in "
                                + "the same order, as `x-item-schema` says"),
                        extensions = @Extension(name = "x-item-schema", parseValue = true,
                                value = "{\"$ref\": \"#/components/schemas/SeriesDay\"}")) })
    @APIResponse(responseCode = "404", ref = "NotTracked")
    public Response history(@Parameter(name = "currency", in = ParameterIn.PATH,
            ref = "currency") @RestPath String currency,
            @Parameter(description = "First date; default 30 days before `to`",
                    schema = @Schema(type = SchemaType.STRING, format = "date",
                            examples = "2026-04-01")) @RestQuery String from,
            @Parameter(description = LAST_DATE, schema = @Schema(type = SchemaType.STRING, format = "date",
                    examples = "2026-04-30"))
            @RestQuery String to,
            @Parameter(name = "base", in = ParameterIn.QUERY, ref = "base") @RestQuery String base,
            @Parameter(name = "format", in = ParameterIn.QUERY, ref = "format") @RestQuery String format,
            @Parameter(hidden = true) @RestHeader(HttpHeaders.ACCEPT) String accept) {
        Format chosen = Format.of(format, accept);
        String against = pairs.base(base);
        String code = Symbols.tracked(currency, pairs.quotes(against), "currency");
        Snapshot snapshot = rates.loadedSnapshot();
        LocalDate end = to == null ? defaultEnd(snapshot, List.of(code, against)) : QueryParameters.date("to", to);
        LocalDate start = from == null ? end.minusDays(DEFAULT_HISTORY_DAYS) : QueryParameters.date("from", from);
        ordered(start, end);
        if (ChronoUnit.DAYS.between(start, end) > MAX_HISTORY_DAYS) {
            throw new RequestException(400, "from " + start + " to " + end + " spans more than " + MAX_HISTORY_DAYS
                    + " days; ask for several shorter spans, or for /api/v1/timeseries");
        }
        List<Series.Day> days = new ArrayList<>();
        try {
            Series.days(code, against, snapshot::served, start, end, days::add);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a list does not fail
        }
        Object body = chosen == Format.JSON
                ? new History(Pairs.pair(code, against), code, against, days.stream().map(d -> new HistoryPoint(d.asOf(),
                        d.rate(), d.perUsd(), d.changePercent(), d.source(), d.servedFrom())).toList())
                : chosen.bytes(mapper, Series.Day.class, days);
        return Response.ok(body, chosen.contentType()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT)
                .header(HttpHeaders.CACHE_CONTROL, caching.cacheThrough(end).toString()).build();
    }

    /**
     * Written as it is read from the snapshot, never whole: ten years of every currency is some 25,000 rows. Its ETag
     * is derived from the snapshot's change sequence and the normalized request, which fix the bytes.
     */
    @GET
    @Path("/timeseries")
    @Operation(operationId = "getTimeseries",
            summary = "Served rates of many currencies over up to ten years, per publication or per week or month (OHLC)",
            description = "Rows by currency (in configured order), then by date. `group=day` gives every served "
                    + "publication; `week` (ISO weeks, from Monday) and `month` give per period the first (open), "
                    + "highest, lowest and last (close) rate and the dates they are of (the earliest on a tie), with "
                    + "the period's days inside the range as `start` and `end`; periods without a publication are left "
                    + "out. Written as it is read, never held whole. Cache-Control: public, max-age=3600 for a range "
                    + "that ends before yesterday (UTC); else public, max-age=ticker.http.max-age.")
    @APIResponse(responseCode = "200", description = "The rows of every currency asked for",
            headers = { @Header(name = "ETag", ref = "ETag"), @Header(name = "Cache-Control", ref = "Cache-Control"),
                @Header(name = "Vary", description = "Accept, Accept-Encoding", schema = @Schema(type = SchemaType.STRING)) },
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Timeseries")),
                @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING, description = "RFC 4180 "
                        + "with a header row (the row fields, in the order of SeriesDay or SeriesPeriod) and CRLF line "
                        + "ends; numbers as plain decimals; an empty field for null"),
                        examples = @ExampleObject(name = "month", value = "period,start,end,pair,currency,base,open,"
                                + "openAsOf,high,highAsOf,low,lowAsOf,close,closeAsOf,publications\r\n2026-04,"
                                + "2026-04-01,2026-04-30,KZT/USD,KZT,USD,0.00208868559016,2026-04-01,0.00209205020921,"
                                + "2026-04-14,0.00207468879668,2026-04-23,0.00208333333333,2026-04-30,21\r\n")),
                @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING,
                        description = "One JSON object per line, each line ended by LF, as `x-item-schema` says"),
                        extensions = @Extension(name = "x-item-schema", parseValue = true, value = "{\"oneOf\": ["
                                + "{\"$ref\": \"#/components/schemas/SeriesDay\"}, "
                                + "{\"$ref\": \"#/components/schemas/SeriesPeriod\"}]}")) })
    public Response timeseries(@Parameter(name = "base", in = ParameterIn.QUERY, ref = "base") @RestQuery String base,
            @Parameter(name = "symbols", in = ParameterIn.QUERY, ref = "symbols") @RestQuery String symbols,
            @Parameter(description = "First date; default one year before `to`; at most ten years before it",
                    schema = @Schema(type = SchemaType.STRING, format = "date",
                            examples = "2016-12-05")) @RestQuery String from,
            @Parameter(description = LAST_DATE, schema = @Schema(type = SchemaType.STRING, format = "date",
                    examples = "2026-12-05"))
            @RestQuery String to,
            @Parameter(description = "Every publication (day), or OHLC per ISO week or calendar month",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "day", "week", "month" },
                            defaultValue = "day"))
            @RestQuery String group,
            @Parameter(name = "format", in = ParameterIn.QUERY, ref = "format") @RestQuery String format,
            @Parameter(hidden = true) @RestHeader(HttpHeaders.ACCEPT) String accept,
            @Parameter(hidden = true) @RestHeader(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding,
            @Parameter(hidden = true) @RestHeader(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                    @Context HttpServerResponse vertx) {
        Format chosen = Format.of(format, accept);
        String against = pairs.base(base);
        List<String> codes = Symbols.select(symbols, pairs.quotes(against));
        Series.Group grouping = Series.Group.of(group);
        Snapshot snapshot = rates.loadedSnapshot();
        List<String> read = new ArrayList<>(codes);
        read.add(against);
        LocalDate end = to == null ? defaultEnd(snapshot, read) : QueryParameters.date("to", to);
        LocalDate start = from == null ? end.minusYears(1) : QueryParameters.date("from", from);
        ordered(start, end);
        if (start.isBefore(end.minusYears(MAX_SERIES_YEARS))) {
            throw new RequestException(400, "from " + start + " to " + end + " spans more than " + MAX_SERIES_YEARS
                    + " years; ask for several shorter spans");
        }
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("base", against);
        head.put("group", grouping.name().toLowerCase(Locale.ROOT));
        head.put("from", start);
        head.put("to", end);
        head.put("symbols", codes);
        return caching.streamed(snapshot.sequence() + " " + against + " " + codes + " " + start + " " + end + " "
                + grouping + " " + chosen, chosen.contentType(), caching.cacheThrough(end), VARY, acceptEncoding,
                ifNoneMatch, vertx, out -> write(out, chosen, head, snapshot, against, codes, start, end, grouping));
    }

    private void write(OutputStream out, Format format, Map<String, Object> head, Snapshot snapshot, String base,
            List<String> codes, LocalDate start, LocalDate end, Series.Group grouping) throws IOException {
        if (grouping == Series.Group.DAY) {
            Format.Rows<Series.Day> rows = format.rows(out, mapper, Series.Day.class, head);
            for (String code : codes) {
                Series.days(code, base, snapshot::served, start, end, rows);
            }
            rows.finish();
        } else {
            Format.Rows<Series.Period> rows = format.rows(out, mapper, Series.Period.class, head);
            for (String code : codes) {
                Series.periods(code, base, snapshot::served, start, end, grouping, rows);
            }
            rows.finish();
        }
    }

    private static void ordered(LocalDate start, LocalDate end) {
        if (start.isAfter(end)) {
            throw new RequestException(400, "from (" + start + ") is after to (" + end + ")");
        }
    }

    /**
     * Today (UTC), or the latest served date if that is later: NBKR, NBK and CBR publish the next day's rate, and the
     * served rate belongs in the default range.
     */
    private LocalDate defaultEnd(Snapshot snapshot, List<String> currencies) {
        LocalDate end = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        for (String currency : currencies) {
            NavigableMap<LocalDate, Observation> series = Pairs.USD.equals(currency) ? null : snapshot.served(currency);
            if (series != null && !series.isEmpty() && series.lastKey().isAfter(end)) {
                end = series.lastKey();
            }
        }
        return end;
    }
}
