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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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
public class SeriesResource {

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
    public Response history(@RestPath String currency, @RestQuery String from, @RestQuery String to,
            @RestQuery String base, @RestQuery String format, @RestHeader(HttpHeaders.ACCEPT) String accept) {
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
    public Response timeseries(@RestQuery String base, @RestQuery String symbols, @RestQuery String from,
            @RestQuery String to, @RestQuery String group, @RestQuery String format,
            @RestHeader(HttpHeaders.ACCEPT) String accept,
            @RestHeader(HttpHeaders.ACCEPT_ENCODING) String acceptEncoding,
            @RestHeader(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, HttpServerResponse vertx) {
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
