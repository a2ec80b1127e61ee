package io.rateticker.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;

/** Makes the immutable {@link Snapshot} every read takes, from the book as the writer holds it. */
@ApplicationScoped
public class SnapshotBuilder {

    private final List<String> currencies;
    private final Clock clock;
    private final Freshness freshness;

    SnapshotBuilder(TickerConfig config, Clock clock, Freshness freshness) {
        this.currencies = config.currencies();
        this.clock = clock;
        this.freshness = freshness;
    }

    /**
     * A snapshot of the book as it is now; the caller holds the write lock. What {@code before} holds of a line that
     * no change since touched (touched null: every line is made) and whose value in force has not lapsed is taken as
     * it is: a write of one table costs that table, not ten years of every other.
     *
     * @param series served series made since (see {@link ChangeEvents#apply}), taken for the touched lines
     */
    Snapshot build(RateBook book, long sequence, Snapshot before, Set<String> touched,
            Map<String, NavigableMap<LocalDate, Observation>> series) {
        Instant now = clock.instant();
        Map<String, NavigableMap<LocalDate, Observation>> served = new HashMap<>();
        Map<String, List<String>> sources = new HashMap<>();
        Map<String, Map<String, BigDecimal>> divergence = new HashMap<>();
        Map<String, Instant> lapses = new HashMap<>();
        Map<String, Map<String, Observation>> latestAccepted = new HashMap<>();
        Snapshot.Data kept = touched == null || before == null ? null : before.data();
        Set<String> lines = new LinkedHashSet<>(currencies);
        lines.addAll(book.lines());
        for (String line : lines) {
            Instant lapse = kept == null ? null : kept.lapses().get(line);
            boolean lapsed = lapse != null && !now.isBefore(lapse);
            if (kept != null && !touched.contains(line) && kept.served().containsKey(line) && !lapsed) {
                served.put(line, kept.served().get(line));
                sources.put(line, kept.sources().get(line));
                Optional.ofNullable(lapse).ifPresent(at -> lapses.put(line, at));
                Optional.ofNullable(kept.divergence().get(line)).ifPresent(d -> divergence.put(line, d));
                latestAccepted.put(line, kept.latestAccepted().get(line));
                continue;
            }
            Map<String, Observation> latestBySource = book.latestAccepted(line);
            latestAccepted.put(line, latestBySource);
            NavigableMap<LocalDate, Observation> made = lapsed || touched == null || !touched.contains(line)
                    ? null : series.get(line);
            NavigableMap<LocalDate, Observation> lineSeries = Collections.unmodifiableNavigableMap(
                    made != null ? made : book.served(line, freshness, now));
            served.put(line, lineSeries);
            sources.put(line, book.sources(line));
            Optional.ofNullable(RateBook.nextLapse(latestBySource, freshness, now)).ifPresent(at -> lapses.put(line, at));
            if (!lineSeries.isEmpty()) {
                Observation latest = lineSeries.lastEntry().getValue();
                Map<String, BigDecimal> bySource = new TreeMap<>();
                book.on(line, latest.asOf()).values().stream()
                        .filter(o -> !o.isRejected() && !o.source().equals(latest.source()))
                        .forEach(o -> bySource.put(o.source(), RateGuard.percent(o.perUsd(), latest.perUsd())));
                divergence.put(line, bySource);
            }
        }
        Map<String, List<Observation>> rejected = new HashMap<>();
        book.rejected().forEach(o -> rejected.computeIfAbsent(o.source(), s -> new ArrayList<>()).add(o));
        sources.put(Pairs.USD, book.allSources());
        return of(sequence, new Snapshot.Data(served, sources, divergence, lapses, rejected, book.latestBySource(),
                latestAccepted));
    }

    /** The same data with its rates stale or not as of now. */
    Snapshot restaled(Snapshot snapshot) {
        return of(snapshot.sequence(), snapshot.data());
    }

    /** The served rates and legs of this data, stale or not as of now. */
    private Snapshot of(long sequence, Snapshot.Data data) {
        Instant now = clock.instant();
        Instant nextStaleAt = null;
        Map<String, Pairs.Leg> legs = Pairs.legsOn(data.served()::get, data.served().keySet(), LocalDate.MAX,
                o -> freshness.stale(o, now));
        for (Pairs.Leg leg : legs.values()) {
            Instant staleAt = freshness.staleAt(leg.latest());
            if (!leg.stale() && staleAt != null && (nextStaleAt == null || staleAt.isBefore(nextStaleAt))) {
                nextStaleAt = staleAt;
            }
        }
        for (Instant lapse : data.lapses().values()) {
            if (lapse.isAfter(now) && (nextStaleAt == null || lapse.isBefore(nextStaleAt))) {
                nextStaleAt = lapse;
            }
        }
        Map<String, Rate> rates = new LinkedHashMap<>();
        for (String currency : currencies) {
            Pairs.Leg leg = legs.get(currency);
            if (leg != null) {
                rates.put(currency, leg.rate());
            }
        }
        return new Snapshot(sequence, rates, legs, data, nextStaleAt);
    }
}
