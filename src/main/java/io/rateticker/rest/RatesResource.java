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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
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
@Tag(name = "rates")
@APIResponse(responseCode = "304", ref = "NotModified")
@APIResponse(responseCode = "400", ref = "BadRequest")
@APIResponse(responseCode = "406", ref = "NotAcceptable")
@APIResponse(responseCode = "503", ref = "Loading")
public class RatesResource {

    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1e15");
    private static final String AMOUNT = "\\d{1,20}(\\.\\d{1,34})?";
    private static final Pattern DECIMAL = Pattern.compile(AMOUNT);
    private static final String CONVERTIBLE = "A tracked currency code, USD, or one of ticker.quotes (EUR, RUB, CNY)";
    
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
    @Operation(operationId = "getRate",
            summary = "The served rate of one currency against USD (or another base), now or on a date",
            description = "With `date`, the rate in force on that day, cached as the rates on a date are.")
    @APIResponse(responseCode = "200", description = "The rate", headers = { @Header(name = "ETag", ref = "ETag"),
            @Header(name = "Cache-Control", ref = "Cache-Control"), @Header(name = "Vary", ref = "Vary") },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Rate")))
    @APIResponse(responseCode = "404", ref = "NotTracked")
    public RestResponse<Rate> rate(@Parameter(name = "currency", in = ParameterIn.PATH,
            ref = "currency") @RestPath String currency,
            @Parameter(name = "date", in = ParameterIn.QUERY, ref = "date") @RestQuery String date,
            @Parameter(name = "base", in = ParameterIn.QUERY, ref = "base") @RestQuery String base) {
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
    @Operation(operationId = "convert",
            summary = "Convert an amount between two currencies at the rate /rates?base= serves, now or on a date")
    @APIResponse(responseCode = "200", description = "The conversion", headers = { @Header(name = "ETag",
            ref = "ETag"), @Header(name = "Cache-Control", ref = "Cache-Control"), @Header(name = "Vary",
            ref = "Vary") },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Conversion")))
    @APIResponse(responseCode = "404", description = "With `date`, no rate dated on or before it (the detail names the "
            + "earliest date there is); or no path between the two on that date",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public RestResponse<Conversion> convert(
            @Parameter(required = true, description = CONVERTIBLE, schema = @Schema(type = SchemaType.STRING,
                    examples = "KZT")) @RestQuery String from,
            @Parameter(required = true, description = CONVERTIBLE, schema = @Schema(type = SchemaType.STRING,
                    examples = "UZS")) @RestQuery String to,
            @Parameter(required = true, description = "A positive plain decimal, at most 1e15",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^" + AMOUNT + "$",
                            examples = "1000")) @RestQuery String amount,
            @Parameter(name = "date", in = ParameterIn.QUERY, ref = "date") @RestQuery String date) {
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
    @Operation(operationId = "listCurrencies",
            summary = "The tracked currencies, then USD, then the other quotes of the banks' tables (ticker.quotes), "
                    + "their names and the sources that have given them rates",
            description = "Names in English, Russian, Kyrgyz, Kazakh, Uzbek (Latin and Cyrillic), Tajik or Turkmen: the "
                    + "banks' own wording where their documents give it (CBU's names in Uzbek, Russian and English, "
                    + "CBT's in Turkmen), else CLDR's. The language is `lang` if given, else the best match of "
                    + "Accept-Language, else English.")
    @APIResponse(responseCode = "200", description = "One entry per tracked currency, in configured order", headers = {
            @Header(name = "ETag", ref = "ETag"), @Header(name = "Cache-Control", ref = "Cache-Control"),
            @Header(name = "Vary", description = "Accept-Language, Accept-Encoding",
                    schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Content-Language", description = "The language of the names",
                    schema = @Schema(type = SchemaType.STRING,
                            enumeration = { "en", "ru", "ky", "kk", "uz", "uz-Cyrl", "tg", "tk" })) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "CurrencyInfos")))
    public RestResponse<List<CurrencyInfo>> currencies(
            @Parameter(description = "A language tag; the best of the supported ones matching it is used "
                    + "(uz-Latn-UZ is uz), none is a 400",
                    schema = @Schema(type = SchemaType.STRING, examples = { "ru", "uz-Cyrl" })) @RestQuery String lang,
            @Parameter(description = "The reader's languages; no match (or none given) answers in English",
                    schema = @Schema(type = SchemaType.STRING, examples = "ru-RU,ru;q=0.9,en;q=0.8"))
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
