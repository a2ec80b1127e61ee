package io.rateticker.service;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.rateticker.Observation;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.Sources.Source;
import io.rateticker.source.DocumentException;
import io.rateticker.source.FetchException;
import io.rateticker.source.SourceClient;
import io.rateticker.source.SourceRate;
import io.rateticker.store.StoreException;

/**
 * One document of a bank, fetched (conditional GET) or fed by hand, read the same way: parsed, its dates checked, its
 * kept rows written through the sanity guard, the outcome counted. A failure is an outcome; the rates served stay.
 */
@ApplicationScoped
public class Fetcher {

    /**
     * What one fetch did: {@code success}, {@code not_modified}, {@code error}, {@code rejected}, or (for a past or
     * next day's document) {@code not_published}.
     */
    public record Outcome(String source, String outcome, String error, IngestResult result) {
    }

    /**
     * One fetch's outcome, and whether the bank could not be reached at all (no connection, no answer in time, a
     * 5xx, or its circuit breaker open): then asking it for other dates is pointless for now.
     */
    record Attempt(Outcome outcome, boolean unreachable, boolean breakerOpen) {
    }

    private static final List<String> OUTCOMES = List.of("success", "not_modified", "error", "rejected", "not_published");

    private final Sources sources;
    private final SourceClient client;
    private final RateWriter writer;
    private final LocalDate earliest;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Pairs pairs;

    Fetcher(Sources sources, SourceClient client, RateWriter writer, TickerConfig config, Clock clock,
            MeterRegistry registry, Pairs pairs) {
        this.sources = sources;
        this.client = client;
        this.writer = writer;
        this.earliest = config.sources().earliest();
        this.clock = clock;
        this.registry = registry;
        this.pairs = pairs;
    }

    /** Every outcome from zero: increase() and the alerts see a source's first failure, not only its second. */
    void onStart(@Observes StartupEvent event) {
        for (Source source : sources.all()) {
            OUTCOMES.forEach(outcome -> counter(source, outcome));
            timer(source);
        }
    }

    /**
     * A document fed by hand, exactly as the bank serves it: the same parser, checks and store as a fetch, and as much
     * the bank's latest document (where a bank refuses the cluster, this is how its rates arrive, and its last success
     * must not read as an outage). Unparseable → 422, nothing stored.
     */
    public IngestResult feed(String id, byte[] body) {
        Source source = sources.get(id);
        List<SourceRate> parsed;
        try {
            parsed = source.bank().parse(body);
        } catch (DocumentException e) {
            throw new RequestException(422, "not a " + source.id() + " document: " + e.getMessage()
                    + "; nothing was stored");
        }
        IngestResult result;
        try {
            checkDates(source, parsed, null);
            result = store(source, parsed);
        } catch (DocumentException e) {
            throw new RequestException(422, e.getMessage() + "; nothing was stored");
        }
        counter(source, result.rejected() > 0 ? "rejected" : "success").increment();
        source.state().lastSuccessAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return result;
    }

    /**
     * One fetch: conditional GET (of the latest document), parse, check the date, store through the sanity guard.
     *
     * @param requested the date asked for, which the document must be for; null for a dateless address
     */
    Attempt fetch(Source source, String url, LocalDate requested, boolean latest) {
        FetchState state = source.state();
        Timer.Sample sample = Timer.start(registry);
        if (latest) {
            state.lastAttemptAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
        Outcome outcome;
        boolean unreachable = false;
        boolean breakerOpen = false;
        try {
            FetchState.Cached cached = latest && state.latest != null && state.latest.url().equals(url)
                    ? state.latest : null;
            SourceClient.Response response = client.get(source.bank(), url, cached == null ? null : cached.etag(),
                    cached == null ? null : cached.lastModified());
            List<SourceRate> parsed;
            LocalDate other = null;
            if (response.status() == 304) {
                parsed = cached.rates(); // the bank confirms what it sent last: received again, so fetchedAt moves
            } else {
                parsed = source.bank().parse(response.body());
                // for a past or next day: a weekend, a holiday, or a rate not announced yet (another day's answers)
                other = latest ? null : otherDate(parsed, requested);
                if (other == null) {
                    checkDates(source, parsed, requested);
                }
                if (latest && (response.etag() != null || response.lastModified() != null)) {
                    state.latest = new FetchState.Cached(url, response.etag(), response.lastModified(), parsed);
                }
            }
            if (other != null) {
                outcome = new Outcome(source.id(), "not_published", "no document for " + requested
                        + " yet (the bank answered with " + other + ")", null);
            } else {
                IngestResult result = store(source, parsed);
                outcome = new Outcome(source.id(),
                        result.rejected() > 0 ? "rejected" : response.status() == 304 ? "not_modified" : "success",
                        null, result);
            }
        } catch (FetchException e) {
            outcome = new Outcome(source.id(), "error", e.getMessage(), null);
            unreachable = e.retryable();
        } catch (DocumentException e) {
            outcome = new Outcome(source.id(), "error", e.getMessage(), null);
        } catch (CircuitBreakerOpenException e) {
            String last = state.lastError == null ? "" : " (last error: " + state.lastError + ")";
            outcome = new Outcome(source.id(), "error", "circuit breaker open after repeated failures" + last
                    + "; not calling " + url + " for now", null);
            unreachable = true;
            breakerOpen = true;
        } catch (StoreException e) {
            outcome = new Outcome(source.id(), "error", "the rate store is unavailable: " + e.getMessage(), null);
        } catch (Exception e) {
            Log.errorf(e, "Unexpected failure fetching %s", url);
            outcome = new Outcome(source.id(), "error", "unexpected: " + e, null);
        }
        sample.stop(timer(source));
        counter(source, outcome.outcome()).increment();
        return new Attempt(outcome, unreachable, breakerOpen);
    }

    /** A date of the document other than the one asked for, or null. */
    private static LocalDate otherDate(List<SourceRate> parsed, LocalDate requested) {
        return requested == null ? null
                : parsed.stream().map(SourceRate::asOf).filter(d -> !d.equals(requested)).findFirst().orElse(null);
    }

    /**
     * Stores the document's rows that are kept (see {@link #kept}) through the guard; its
     * refused rows are reported as rejected items (never stored). A document of nothing but refused rows fails.
     */
    private IngestResult store(Source source, List<SourceRate> parsed) throws DocumentException {
        Instant now = clock.instant();
        List<Observation> observations = new ArrayList<>();
        List<IngestResult.Item> refused = new ArrayList<>();
        for (SourceRate rate : parsed) {
            if (!kept(source, rate)) {
                continue;
            }
            if (rate.refused() == null) {
                observations.add(new Observation(rate.currency(), rate.quote(), rate.asOf(), rate.value(), source.id(),
                        now));
            } else {
                refused.add(new IngestResult.Item(rate.currency(), rate.quote(), rate.asOf(), null, source.id(),
                        "rejected", rate.refused()));
            }
        }
        if (observations.isEmpty() && !refused.isEmpty()) {
            throw new DocumentException("no row can be taken: " + refused.stream()
                    .map(i -> Observation.line(i.currency(), i.quote()) + ": " + i.reason())
                    .collect(Collectors.joining("; ")));
        }
        writer.countRejected(source.id(), refused.size());
        IngestResult stored = observations.isEmpty() ? IngestResult.NOTHING : writer.ingest(observations, true);
        return stored.and(refused);
    }

    /**
     * The document's dates: the one asked for, if any (NBT, for one, answers a date it has not published with another
     * day's table), and never one no bank publishes (a typo, or a hostile document): see {@link PublicationDates}.
     */
    private void checkDates(Source source, List<SourceRate> parsed, LocalDate requested) throws DocumentException {
        LocalDate today = source.today(clock);
        for (SourceRate rate : parsed) {
            if (requested != null && !rate.asOf().equals(requested)) {
                throw new DocumentException("the document is for " + rate.asOf() + ", not the requested " + requested);
            }
            if (PublicationDates.tooFarAhead(rate.asOf(), today)) {
                throw new DocumentException("the " + source.id() + " document is dated " + rate.asOf() + ", more than "
                        + PublicationDates.MAX_DAYS_AHEAD + " days after today (" + today + " in "
                        + source.info().zone() + ")");
            }
            if (rate.asOf().isBefore(earliest)) {
                throw new DocumentException("the " + source.id() + " document is dated " + rate.asOf()
                        + ", before ticker.sources.earliest (" + earliest + ")");
            }
        }
    }

    /**
     * Whether a row is kept ({@link Pairs#kept}): of the bank's own currency, or a dollar rate of another that it makes
     * as a cross (the Bank of Russia's).
     */
    private boolean kept(Source source, SourceRate rate) {
        return pairs.kept(rate.currency(), rate.quote())
                && (source.bank().issues(rate.currency()) || rate.quote().equals(Observation.USD));
    }

    private Counter counter(Source source, String outcome) {
        return Counter.builder("ticker.source.fetch").description("Fetches of upstream documents by outcome")
                .tags("source", source.id(), "outcome", outcome).register(registry);
    }

    private Timer timer(Source source) {
        return Timer.builder("ticker.source.fetch.duration").description("Time to fetch and store a document")
                .tag("source", source.id()).register(registry);
    }
}
