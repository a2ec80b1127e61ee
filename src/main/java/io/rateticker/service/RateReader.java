package io.rateticker.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.store.ObservationRepository;

/**
 * Reads: the current snapshot, and the rates in force on a date, all from the one read model ({@link RateBook#served}).
 * Never touches the store, but for when a held-back value was first held back.
 */
@ApplicationScoped
public class RateReader {

    /** A value the sanity guard holds back ({@code value}: units of the currency per unit of the quote), and since when. */
    public record Rejection(String source, String currency, String quote, LocalDate asOf, BigDecimal value,
            String reason, Instant since) {
    }

    /**
     * The legs of some lines in force on a date; {@code earliest} is the earliest date of those that have none then
     * (null if they have none at all).
     */
    public record InForce(Map<String, Pairs.Leg> legs, LocalDate earliest) {

        /** The 404 of a date with no rate of {@code what}. */
        public RequestException none(String what, LocalDate date) {
            return new RequestException(404, "date: no rate of " + what + " is dated on or before " + date
                    + (earliest == null ? "" : "; the earliest is of " + earliest));
        }
    }

    private final RateWriter writer;
    private final ObservationRepository repository;
    private final Clock clock;
    private final Freshness freshness;

    RateReader(RateWriter writer, ObservationRepository repository, Clock clock, Freshness freshness) {
        this.writer = writer;
        this.repository = repository;
        this.clock = clock;
        this.freshness = freshness;
    }

    /** The current snapshot, its staleness as of now; null until the store is loaded. */
    public Snapshot snapshot() {
        return writer.current();
    }

    /** The current snapshot for answering a request: a 503 while the store is still being loaded. */
    public Snapshot loadedSnapshot() {
        Snapshot current = snapshot();
        if (current == null) {
            throw new RequestException(503, "rates are still being loaded", Map.of("Retry-After", "2"));
        }
        return current;
    }

    /**
     * The rates in force on {@code date} ({@code ?date=}) against {@code base} (see {@link Pairs}), from
     * {@link #legsOn}. A 404 if none of them has a rate that early.
     */
    public List<Rate> ratesOn(Snapshot snapshot, LocalDate date, String base, List<String> currencies) {
        InForce inForce = legsOn(snapshot, date, Pairs.lines(base, currencies));
        List<Rate> rates = new ArrayList<>(currencies.size());
        for (String currency : currencies) {
            Rate rate = Pairs.rate(currency, base, inForce.legs());
            if (rate != null) {
                rates.add(rate);
            }
        }
        if (rates.isEmpty()) {
            throw inForce.none(String.join(",", Pairs.USD.equals(base) ? currencies
                    : currencies.stream().map(c -> Pairs.pair(c, base)).toList()), date);
        }
        return rates;
    }

    /**
     * Each line's value in force on {@code date} from its served series (see {@link RateBook#served}), with the change
     * from the value served before it, stale as it stood at the end of that day (UTC), or now if that is earlier. A
     * 400 for a date no rate can be dated on ({@link PublicationDates}).
     */
    public InForce legsOn(Snapshot snapshot, LocalDate date, Set<String> lines) {
        Instant now = clock.instant();
        PublicationDates.checkAsked(date, now);
        Instant endOfDay = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant at = endOfDay.isBefore(now) ? endOfDay : now;
        Map<String, Pairs.Leg> legs = Pairs.legsOn(snapshot::served, lines, date, o -> freshness.stale(o, at));
        LocalDate earliest = null;
        for (String line : lines) {
            NavigableMap<LocalDate, Observation> served = snapshot.served(line);
            if (!legs.containsKey(line) && !served.isEmpty() && (earliest == null || served.firstKey().isBefore(earliest))) {
                earliest = served.firstKey();
            }
        }
        return new InForce(legs, earliest);
    }

    /** Every value the sanity guard holds back, the latest dates first, with when it was first held back. */
    public List<Rejection> rejections() {
        Snapshot current = loadedSnapshot();
        return current.data().rejected().values().stream().flatMap(List::stream)
                .sorted(Comparator.comparing(Observation::asOf).reversed()
                        .thenComparing(Observation::currency).thenComparing(Observation::quote)
                        .thenComparing(Observation::source))
                .map(o -> new Rejection(o.source(), o.currency(), o.quote(), o.asOf(), o.perUsd(), o.rejected(),
                        repository.heldSince(o)))
                .toList();
    }
}
