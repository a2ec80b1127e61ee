package io.rateticker.rest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
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

import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.CurrencyNames;
import io.rateticker.service.Pairs;
import io.rateticker.service.RateMath;
import io.rateticker.service.RateService;
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
    
    /**
     * {@code stale} is true when either rate used is. {@code path}: {@code direct} when one side is USD (the other's
     * bank's own value, or none), {@code cross} when the two dollar rates are crossed; {@code sources} are those of
     * the rates used, from's first.
     */
    public record Conversion(String from, String to, BigDecimal amount, BigDecimal result, BigDecimal rate,
            LocalDate asOf, boolean stale, String path, List<String> sources) {
    }

    public record CurrencyInfo(String code, String name, List<String> sources) {
    }

    private final RateService rates;
    private final TickerConfig config;
    private final HttpCaching caching;
    private final Pairs pairs;

    RatesResource(RateService rates, TickerConfig config, HttpCaching caching, Pairs pairs) {
        this.rates = rates;
        this.config = config;
        this.caching = caching;
        this.pairs = pairs;
    }

    @GET
    @Path("/rates/{currency}")
    public RestResponse<Rate> rate(@RestPath String currency, @RestQuery String date, @RestQuery String base) {
        String against = pairs.base(base);
        String code = Symbols.tracked(currency, pairs.quotes(against), "currency");
        Snapshot snapshot = rates.loadedSnapshot();
        if (date != null) {
            LocalDate day = date("date", date);
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
        LocalDate day = date == null ? null : date("date", date);
        Rate fromRate = rateOrUsd(snapshot, fromCode, day);
        Rate toRate = rateOrUsd(snapshot, toCode, day);
        BigDecimal fromPerUsd = fromRate == null ? BigDecimal.ONE : fromRate.perUsd();
        BigDecimal toPerUsd = toRate == null ? BigDecimal.ONE : toRate.perUsd();
        List<Rate> used = Stream.of(fromRate, toRate).filter(Objects::nonNull).toList();
        LocalDate asOf = used.stream().map(Rate::asOf).min(Comparator.naturalOrder()).orElse(null);
        Conversion conversion = new Conversion(fromCode, toCode, value, RateMath.convert(value, fromPerUsd, toPerUsd),
                RateMath.crossRate(fromPerUsd, toPerUsd), asOf, used.stream().anyMatch(Rate::stale),
                used.size() == 2 ? "cross" : "direct", used.stream().map(Rate::source).toList());
        return day == null ? RestResponse.ok(conversion) : RestResponse.ResponseBuilder.ok(conversion)
                .header(HttpHeaders.CACHE_CONTROL, caching.cacheOn(day).toString()).build();
    }

    @GET
    @Path("/currencies")
    public RestResponse<List<CurrencyInfo>> currencies(@RestQuery String lang,
            @RestHeader(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        String language = CurrencyNames.negotiate(lang, acceptLanguage);
        Snapshot snapshot = rates.loadedSnapshot();
        // then USD, which every rate here is quoted against (and, against another base, quoted itself)
        List<CurrencyInfo> currencies = Stream.concat(config.currencies().stream(), Stream.of(Pairs.USD))
                .map(code -> new CurrencyInfo(code, CurrencyNames.name(code, language), snapshot.sources(code)))
                .toList();
        return RestResponse.ResponseBuilder.ok(currencies)
                .header(HttpHeaders.CONTENT_LANGUAGE, language)
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE)
                .build();
    }

    /** USD, or a tracked currency; anything else is a 400 here (a bad parameter, not a missing resource). */
    private String convertible(String name, String code) {
        if (code == null || code.isBlank()) {
            throw new RequestException(400, name + " is required: a tracked currency code or USD");
        }
        if (Pairs.USD.equalsIgnoreCase(code.trim())) {
            return Pairs.USD;
        }
        try {
            return Symbols.tracked(code.trim(), config.currencies(), name);
        } catch (RequestException e) {
            throw new RequestException(400, e.getMessage());
        }
    }

    /** The rate of {@code code} now, or in force on {@code day} if given; null for USD. */
    private Rate rateOrUsd(Snapshot snapshot, String code, LocalDate day) {
        if (Pairs.USD.equals(code)) {
            return null;
        }
        if (day != null) {
            return rates.ratesOn(snapshot, day, Pairs.USD, List.of(code)).get(0);
        }
        Rate rate = snapshot.rate(code);
        if (rate == null) {
            throw new RequestException(400, code + " has no rate yet");
        }
        return rate;
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

    static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new RequestException(400, name + ": '" + Symbols.shorten(value) + "' is not a date of the form YYYY-MM-DD");
        }
    }
}
