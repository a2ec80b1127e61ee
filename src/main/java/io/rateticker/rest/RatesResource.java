package io.rateticker.rest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.rateticker.Conversion;
import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.CurrencyNames;
import io.rateticker.service.Pairs;
import io.rateticker.service.RateReader;
import io.rateticker.service.RequestException;
import io.rateticker.service.Snapshot;
import io.rateticker.service.Symbols;

/**
 * Read endpoints besides the hot {@code /api/v1/rates} (see {@link ApiRoutes}) and the series ({@link SeriesResource});
 * all served from memory.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RatesResource {

    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1e15");
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,20}(\\.\\d{1,34})?");
    
    public record CurrencyInfo(String code, String name, List<String> sources) {
    }

    private final RateReader rates;
    private final TickerConfig config;
    private final HttpCaching caching;
    private final Pairs pairs;
    /**
     * What {@code /currencies} lists and {@code /convert} takes: the tracked currencies, then USD, which every rate here
     * is quoted against (and, against another base, quoted itself), then the other quotes of the banks' tables.
     */
    private final List<String> listed;

    RatesResource(RateReader rates, TickerConfig config, HttpCaching caching, Pairs pairs) {
        this.rates = rates;
        this.config = config;
        this.caching = caching;
        this.pairs = pairs;
        Set<String> listed = new LinkedHashSet<>(config.currencies());
        listed.add(Pairs.USD);
        listed.addAll(config.quotes());
        this.listed = List.copyOf(listed);
    }

    @GET
    @Path("/rates/{currency}")
    public RestResponse<Rate> rate(@RestPath String currency, @RestQuery String date, @RestQuery String base) {
        String against = pairs.base(base);
        String code = Symbols.tracked(currency, pairs.quotes(against), "currency");
        Snapshot snapshot = rates.loadedSnapshot();
        if (date != null) {
            LocalDate day = QueryParameters.date("date", date);
            return RestResponse.ResponseBuilder.ok(rates.ratesOn(snapshot, day, against, List.of(code)).get(0))
                    .header(HttpHeaders.CACHE_CONTROL, caching.cacheOn(day).toString()).build();
        }
        List<Rate> rate = snapshot.rates(against, List.of(code));
        if (rate.isEmpty()) {
            throw new RequestException(404, "currency: " + (Pairs.USD.equals(against) ? code : Pairs.pair(code, against))
                    + " has no rate yet");
        }
        return RestResponse.ok(rate.get(0));
    }

    @GET
    @Path("/convert")
    public RestResponse<Conversion> convert(@RestQuery String from, @RestQuery String to, @RestQuery String amount,
            @RestQuery String date) {
        Snapshot snapshot = rates.loadedSnapshot();
        String fromCode = convertible("from", from);
        String toCode = convertible("to", to);
        BigDecimal value = amount(amount);
        LocalDate day = date == null ? null : QueryParameters.date("date", date);
        Set<String> lines = new LinkedHashSet<>(Pairs.lines(toCode, List.of(fromCode)));
        lines.addAll(Pairs.lines(fromCode, List.of(toCode)));
        RateReader.InForce inForce = day == null ? null : rates.legsOn(snapshot, day, lines);
        Map<String, Pairs.Leg> legs = day == null ? snapshot.legs() : inForce.legs();
        Conversion conversion = Pairs.convert(fromCode, toCode, value, legs, pairs.bases());
        if (conversion == null) {
            if (inForce != null && inForce.legs().isEmpty()) {
                throw inForce.none(fromCode + " in " + toCode, day);
            }
            // neither bank publishes the other's currency, and a dollar rate to cross through is missing
            throw new RequestException(day == null ? 400 : 404, "no rate of " + fromCode + " in " + toCode
                    + (day == null ? " yet" : " is dated on or before " + day) + ": neither bank gives the other's"
                    + " currency, and there is no dollar rate of both to cross");
        }
        return day == null ? RestResponse.ok(conversion) : RestResponse.ResponseBuilder.ok(conversion)
                .header(HttpHeaders.CACHE_CONTROL, caching.cacheOn(day).toString()).build();
    }

    @GET
    @Path("/currencies")
    public RestResponse<List<CurrencyInfo>> currencies(@RestQuery String lang,
            @RestHeader(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        String language = CurrencyNames.negotiate(lang, acceptLanguage);
        Snapshot snapshot = rates.loadedSnapshot();
        // the other quotes' sources are their own bank's (the rouble's) and the banks whose tables have them
        List<CurrencyInfo> currencies = listed.stream()
                .map(code -> new CurrencyInfo(code, CurrencyNames.name(code, language),
                        code.equals(Pairs.USD) || config.currencies().contains(code) ? snapshot.sources(code)
                                : Stream.concat(Stream.of(code), pairs.bases().stream()
                                                .map(base -> Observation.line(base, code)))
                                        .flatMap(line -> snapshot.sources(line).stream()).distinct().toList()))
                .toList();
        return RestResponse.ResponseBuilder.ok(currencies)
                .header(HttpHeaders.CONTENT_LANGUAGE, language)
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE)
                .build();
    }

    /**
     * One of {@link #listed}; anything else is a 400 here (a bad parameter, not a missing resource).
     */
    private String convertible(String name, String code) {
        if (code == null || code.isBlank()) {
            throw new RequestException(400, name + " is required: one of " + String.join(",", listed));
        }
        try {
            return Symbols.tracked(code.trim(), listed, name);
        } catch (RequestException e) {
            throw new RequestException(400, e.getMessage());
        }
    }

    private static BigDecimal amount(String amount) {
        if (amount == null || amount.isBlank()) {
            throw new RequestException(400, "amount is required: a positive decimal such as 1000 or 12.5");
        }
        String trimmed = amount.trim();
        if (!DECIMAL.matcher(trimmed).matches()) {
            throw new RequestException(400, "amount: '" + Symbols.shorten(trimmed)
                    + "' is not a plain positive decimal (digits, optionally one '.' and more digits)");
        }
        BigDecimal value = new BigDecimal(trimmed);
        if (value.signum() <= 0 || value.compareTo(MAX_AMOUNT) > 0) {
            throw new RequestException(400, "amount must be greater than 0 and at most 1000000000000000 (1e15)");
        }
        return value.stripTrailingZeros();
    }
}
