package io.rateticker.rest;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.quarkus.logging.Log;
import io.rateticker.Observation;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.FetchScheduler;
import io.rateticker.service.Fetcher;
import io.rateticker.service.Pairs;
import io.rateticker.service.RateMath;
import io.rateticker.service.IngestResult;
import io.rateticker.service.PublicationDates;
import io.rateticker.service.RateReader;
import io.rateticker.service.RateWriter;
import io.rateticker.service.RequestException;
import io.vertx.core.http.HttpServerRequest;

/** The write API: rates entered by an operator, behind a bearer token. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final BigDecimal MAX_VALUE = new BigDecimal("1e12");
    /** perUsd and rate are each other's inverse, so each is bounded on both sides by the other's maximum. */
    static final BigDecimal MIN_VALUE = new BigDecimal("1e-12");
    /** A write by hand may not claim to be a bank (and skip the guard) or the bundled rates. */
    private static final Pattern SOURCE = Pattern.compile("manual(-[A-Za-z0-9][A-Za-z0-9-]{0,24})?");
    private static final Pattern STORED_SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,31}");
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
    private final RateReader rates;
    private final Pairs pairs;
    private final FetchScheduler scheduler;
    private final Fetcher fetcher;
    private final TickerConfig config;
    private final Clock clock;
    private final ObjectReader reader;
    private final ClientAddress clientAddress;

    /** Wrong tokens per client address. */
    private final PerAddressLimit failures;

    AdminResource(RateWriter writer, RateReader rates, Pairs pairs, FetchScheduler scheduler,
            Fetcher fetcher, TickerConfig config, Clock clock,
            ObjectMapper mapper, ClientAddress clientAddress) {
        this.writer = writer;
        this.rates = rates;
        this.pairs = pairs;
        this.clientAddress = clientAddress;
        this.scheduler = scheduler;
        this.fetcher = fetcher;
        this.config = config;
        this.clock = clock;
        this.failures = new PerAddressLimit(config.admin().maxFailuresPerMinute());
        // Strict: a misspelt field ("perusd") must be an error, not a silently missing value.
        this.reader = mapper.readerFor(RatesRequest.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @POST
    @Path("/rates")
    @Consumes(MediaType.APPLICATION_JSON)
    public IngestResult postRates(@RestHeader("Authorization") String authorization, byte[] body,
            HttpServerRequest http) throws IOException {
        authorize(authorization, http);
        checkSize(body);
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

    @POST
    @Path("/refresh")
    public List<Fetcher.Outcome> refresh(@RestHeader("Authorization") String authorization,
            @RestQuery String source, HttpServerRequest http) {
        authorize(authorization, http);
        return scheduler.refresh(Optional.ofNullable(source).filter(s -> !s.isBlank()));
    }

    @POST
    @Path("/sources/{id}/documents")
    @Consumes(MediaType.WILDCARD)
    public IngestResult document(@RestHeader("Authorization") String authorization,
            @RestPath String id, byte[] body, HttpServerRequest http) {
        authorize(authorization, http);
        checkSize(body);
        return fetcher.feed(id, body);
    }

    @GET
    @Path("/rejections")
    public List<RateReader.Rejection> rejections(@RestHeader("Authorization") String authorization,
            HttpServerRequest http) {
        authorize(authorization, http);
        return rates.rejections();
    }

    @POST
    @Path("/rejections/{source}/{currency}/{asOf}/release")
    public IngestResult release(@RestHeader("Authorization") String authorization,
            @RestPath String source, @RestPath String currency, @RestPath String asOf, @RestQuery String quote,
            HttpServerRequest http) {
        authorize(authorization, http);
        return writer.release(key(source, currency, quote, asOf));
    }

    @DELETE
    @Path("/observations/{source}/{currency}/{asOf}")
    public IngestResult.Item deleteObservation(@RestHeader("Authorization") String authorization,
            @RestPath String source, @RestPath String currency, @RestPath String asOf, @RestQuery String quote,
            HttpServerRequest http) {
        authorize(authorization, http);
        return writer.delete(key(source, currency, quote, asOf));
    }

    /**
     * The key a correction names: a currency and quote that are kept ({@link #unkept}), an ISO date, a source id as
     * stored.
     */
    private Observation.Key key(String source, String currency, String quote, String asOf) {
        String code = currency.toUpperCase(Locale.ROOT);
        String quoted = quote == null || quote.isBlank() ? Observation.USD : quote.trim().toUpperCase(Locale.ROOT);
        String unkept = unkept(code, code, quoted);
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
    private String unkept(String subject, String currency, String quote) {
        if (pairs.kept(currency, quote)) {
            return null;
        }
        return Observation.USD.equals(quote)
                ? subject + " is not tracked; tracked currencies are " + String.join(",", config.currencies())
                : "no " + Observation.line(currency, quote) + " is kept; a quote is one of " + currency
                        + "'s quotes where " + currency + " is a base (" + String.join(",", pairs.bases()) + ")";
    }

    private void authorize(String authorization, HttpServerRequest http) {
        List<String> valid = validTokens();
        if (valid.isEmpty()) {
            throw new RequestException(403, "the admin API is disabled: no ticker.admin.token (TICKER_ADMIN_TOKEN) or"
                    + " ticker.admin.token-file is set");
        }
        String address = clientAddress.of(http);
        long now = clock.millis();
        long seconds = failures.blockedFor(address, now);
        if (seconds > 0) {
            throw new RequestException(429, "too many wrong admin tokens from " + address + "; try again in "
                    + seconds + " s", Map.of("Retry-After", String.valueOf(seconds)));
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            throw new RequestException(401, "send the admin token as 'Authorization: Bearer <token>'",
                    Map.of("WWW-Authenticate", "Bearer realm=\"rate-ticker\""));
        }
        String given = authorization.substring(7).trim();
        boolean known = false;
        for (String token : valid) {
            known |= sameSecret(given, token); // every token compared, so timing does not tell which one matched
        }
        if (!known) {
            // Never the token itself: a near miss in a log is half a leak.
            Log.warnf("Admin API: wrong token from %s (%d this minute)", address, failures.count(address, now));
            throw new RequestException(403, "the admin token is not valid");
        }
    }

    /**
     * {@code ticker.admin.token}, and every non-blank line of {@code ticker.admin.token-file}, read at each request:
     * a token is rotated without a restart by adding the new one to the file, moving clients over, then removing the
     * old one (a Kubernetes Secret mounted as a volume updates the file by itself). An unreadable file gives none.
     */
    private List<String> validTokens() {
        List<String> valid = new ArrayList<>();
        config.admin().token().filter(t -> !t.isBlank()).ifPresent(valid::add);
        config.admin().tokenFile().ifPresent(file -> {
            try {
                Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                        .filter(line -> !line.isEmpty()).forEach(valid::add);
            } catch (IOException e) {
                Log.warnf("Admin API: cannot read ticker.admin.token-file %s (%s); its tokens are not accepted", file,
                        e.getMessage());
            }
        });
        return valid;
    }

    /** Constant-time: compares digests, so neither the content nor the length of the token leaks through timing. */
    static boolean sameSecret(String given, String expected) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] a = sha.digest(given.getBytes(StandardCharsets.UTF_8));
            byte[] b = sha.digest(expected.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(a, b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
