package io.rateticker.rest;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.rateticker.Observation;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.IngestResult;
import io.rateticker.service.Pairs;
import io.rateticker.service.PublicationDates;
import io.rateticker.service.RateMath;
import io.rateticker.service.RateWriter;
import io.rateticker.service.RequestException;

/**
 * Rates written by hand ({@code POST /api/v1/admin/rates}): the body read strictly, each rate checked, all stored or
 * none, and the corrections' rule of which lines are kept.
 */
@ApplicationScoped
class ManualRates {

    private static final BigDecimal MAX_VALUE = new BigDecimal("1e12");
    /** perUsd and rate are each other's inverse, so each is bounded on both sides by the other's maximum. */
    private static final BigDecimal MIN_VALUE = new BigDecimal("1e-12");
    /** A write by hand may not claim to be a bank (and skip the guard) or the bundled rates. */
    private static final Pattern SOURCE = Pattern.compile("manual(-[A-Za-z0-9][A-Za-z0-9-]{0,24})?");
    private static final int MAX_REPORTED = 10;

    /** The body of {@code POST /api/v1/admin/rates}. */
    public record RatesRequest(String source, List<Item> rates) {
    }

    /**
     * One rate; exactly one of {@code perUsd} (units per USD) and {@code rate} (USD per unit). A row of a bank's table
     * names its {@code quote} (USD when absent) and gives {@code perUsd}: units of the currency per unit of the quote.
     */
    public record Item(String currency, String quote, LocalDate asOf, BigDecimal perUsd, BigDecimal rate) {

        String quoted() {
            return quote == null ? Observation.USD : quote;
        }
    }

    private final RateWriter writer;
    private final Pairs pairs;
    private final TickerConfig config;
    private final Clock clock;
    private final ObjectReader reader;

    ManualRates(RateWriter writer, Pairs pairs, TickerConfig config, Clock clock, ObjectMapper mapper) {
        this.writer = writer;
        this.pairs = pairs;
        this.config = config;
        this.clock = clock;
        // Strict: a misspelt field ("perusd") must be an error, not a silently missing value.
        this.reader = mapper.readerFor(RatesRequest.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    IngestResult ingest(byte[] body) throws IOException {
        if (body.length == 0) {
            throw new RequestException(400, "the body is empty; send {\"source\":\"manual\",\"rates\":[...]}");
        }
        RatesRequest request = reader.readValue(body);
        if (request == null) {
            throw new RequestException(400, "the body is null; send {\"source\":\"manual\",\"rates\":[...]}");
        }
        String source = request.source() == null ? "manual" : request.source();
        if (!SOURCE.matcher(source).matches()) {
            throw new RequestException(400, "source: must be manual or manual-<name> (letters, digits and dashes, at "
                    + "most 32 characters in all); a bank's values come only from its documents "
                    + "(POST /api/v1/admin/sources/{id}/documents), through the sanity guard");
        }
        return writer.ingest(observations(source, request.rates()), false);
    }

    private List<Observation> observations(String source, List<Item> items) {
        if (items == null || items.isEmpty()) {
            throw new RequestException(400, "rates: at least one rate is required");
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<Observation> observations = new ArrayList<>(items.size());
        List<String> errors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            String error = item == null ? "is null" : check(item, today);
            if (error == null) {
                Integer first = seen.putIfAbsent(item.currency() + " " + item.quoted() + " " + item.asOf(), i);
                error = first == null ? null : "repeats the currency, quote and asOf of rates[" + first + "]";
            }
            if (error != null) {
                errors.add("rates[" + i + "]" + (item != null && item.currency() != null ? " (" + item.currency() + ")" : "")
                        + " " + error);
            } else {
                BigDecimal perUsd = item.perUsd() != null ? item.perUsd() : RateMath.perUsdFromRate(item.rate());
                observations.add(new Observation(item.currency(), item.quoted(), item.asOf(), perUsd, source,
                        clock.instant()));
            }
        }
        if (!errors.isEmpty()) {
            writer.countRejected(source, errors.size());
            String detail = String.join("; ", errors.subList(0, Math.min(errors.size(), MAX_REPORTED)))
                    + (errors.size() > MAX_REPORTED ? "; and " + (errors.size() - MAX_REPORTED) + " more" : "")
                    + ". Nothing was stored.";
            throw new RequestException(400, detail);
        }
        return observations;
    }

    private String check(Item item, LocalDate today) {
        if (item.currency() == null) {
            return "has no currency";
        }
        String unkept = unkept("currency", item.currency(), item.quoted());
        if (unkept != null) {
            return unkept;
        }
        if (item.asOf() == null) {
            return "has no asOf date (YYYY-MM-DD)";
        }
        if (PublicationDates.tooFarAhead(item.asOf(), today)) {
            return "asOf " + item.asOf() + " is more than " + PublicationDates.MAX_DAYS_AHEAD + " days in the future";
        }
        if ((item.perUsd() == null) == (item.rate() == null)) {
            return "must have exactly one of perUsd and rate";
        }
        BigDecimal value = item.perUsd() != null ? item.perUsd() : item.rate();
        String name = item.perUsd() != null ? "perUsd" : "rate";
        if (value.signum() <= 0) {
            return name + " must be positive";
        }
        if (value.compareTo(MAX_VALUE) > 0) {
            return name + " must be at most 1000000000000 (1e12)";
        }
        if (value.compareTo(MIN_VALUE) < 0) {
            return name + " must be at least 0.000000000001 (1e-12)";
        }
        return null;
    }

    /**
     * Why no value of {@code currency} per {@code quote} is kept ({@link Pairs#kept}), or null; {@code subject} names
     * the currency in it.
     */
    String unkept(String subject, String currency, String quote) {
        if (pairs.kept(currency, quote)) {
            return null;
        }
        return Observation.USD.equals(quote)
                ? subject + " is not tracked; tracked currencies are " + String.join(",", config.currencies())
                : "no " + Observation.line(currency, quote) + " is kept; a quote is one of " + currency
                        + "'s quotes where " + currency + " is a base (" + String.join(",", pairs.bases()) + ")";
    }
}
