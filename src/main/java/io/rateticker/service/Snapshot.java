package io.rateticker.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

import io.rateticker.Observation;
import io.rateticker.Rate;

/**
 * An immutable view of everything served, built once per change. Readers take the current snapshot and never
 * touch the database.
 */
public final class Snapshot {

    /**
     * What the store held at a change: per line ({@link Observation#line}: a currency's dollar rate, or a row of a
     * bank's table) the served series as of when it was made ({@code RateBook.served}: the one read model of every
     * door), when a value in force there next lapses with no write (so that the series must be made again), the
     * sources and their divergence on the served date, and each source's latest accepted value; the sources of USD
     * (all of them); per source its held-back observations (latest dates first) and the latest date it has given.
     */
    record Data(Map<String, NavigableMap<LocalDate, Observation>> served, Map<String, List<String>> sources,
            Map<String, Map<String, BigDecimal>> divergence, Map<String, Instant> lapses,
            Map<String, List<Observation>> rejected, Map<String, LocalDate> latestAsOf,
            Map<String, Map<String, Observation>> latestAccepted) {

        Data {
            served = Collections.unmodifiableMap(served);
            lapses = Collections.unmodifiableMap(lapses);
            sources = Collections.unmodifiableMap(sources);
            divergence = Collections.unmodifiableMap(divergence);
            rejected = Collections.unmodifiableMap(rejected);
            latestAsOf = Collections.unmodifiableMap(latestAsOf);
            latestAccepted = Collections.unmodifiableMap(latestAccepted);
        }

        /** Whether a value in force on some line has lapsed by {@code now}, so that its series is outdated. */
        boolean lapsed(Instant now) {
            return lapses.values().stream().anyMatch(at -> !now.isBefore(at));
        }
    }

    private final long sequence;
    private final Map<String, Rate> rates;
    private final Map<String, Pairs.Leg> legs;
    private final Data data;
    private final Instant nextStaleAt;

    Snapshot(long sequence, Map<String, Rate> rates, Map<String, Pairs.Leg> legs, Data data, Instant nextStaleAt) {
        this.sequence = sequence;
        this.rates = Collections.unmodifiableMap(rates);
        this.legs = Collections.unmodifiableMap(legs);
        this.data = data;
        this.nextStaleAt = nextStaleAt;
    }

    /** The highest change sequence this snapshot reflects. */
    public long sequence() {
        return sequence;
    }

    /** The served rate of each currency that has one, in configured order. */
    public Map<String, Rate> rates() {
        return rates;
    }

    public Rate rate(String currency) {
        return rates.get(currency);
    }

    /** Served observations of a line (a currency's dollar rate: its code) by date, ascending; empty if none. */
    public NavigableMap<LocalDate, Observation> served(String line) {
        return data.served().getOrDefault(line, Collections.emptyNavigableMap());
    }

    public List<String> sources(String line) {
        return data.sources().getOrDefault(line, List.of());
    }

    /**
     * Per currency, by source: how far each other accepted source's value for the served date is from the served
     * value, in percent ({@code (other / served − 1) × 100}).
     */
    public Map<String, BigDecimal> divergence(String currency) {
        return data.divergence().getOrDefault(currency, Map.of());
    }

    /** The observations of {@code source} the sanity guard holds back, the latest dates first. */
    public List<Observation> rejected(String source) {
        return data.rejected().getOrDefault(source, List.of());
    }

    /** The latest value {@code source} has given of {@code line} that is not held back; null if none. */
    public Observation latest(String line, String source) {
        return data.latestAccepted().getOrDefault(line, Map.of()).get(source);
    }

    /** The latest date the source has given a value for; null if none. */
    public LocalDate latestAsOf(String source) {
        return data.latestAsOf().get(source);
    }

    Data data() {
        return data;
    }

    /** When the next rate turns stale and this snapshot is outdated; null when no rate will. */
    Instant nextStaleAt() {
        return nextStaleAt;
    }

    /** The current rates of these currencies against {@code base}, those there are. */
    public List<Rate> rates(String base, List<String> currencies) {
        List<Rate> selected = new ArrayList<>(currencies.size());
        boolean usd = Pairs.USD.equals(base);
        for (String currency : currencies) {
            Rate rate = usd ? rates.get(currency) : Pairs.rate(currency, base, legs);
            if (rate != null) {
                selected.add(rate);
            }
        }
        return selected;
    }

    /** Each line's current leg: the served publication, its change's reference, its staleness. */
    public Map<String, Pairs.Leg> legs() {
        return legs;
    }
}
