package io.rateticker.service;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.rateticker.store.ObservationRepository.Change;
import io.rateticker.stream.StreamBroadcaster.Write;

/**
 * Turns changes of the store into the stream's {@code rate} events: for the writer as it applies them, and for a
 * resume that rebuilds what a client missed. A function of the changes and the book alone (and the clock, as every
 * read is), so every replica derives the same events.
 */
@ApplicationScoped
public class ChangeEvents {

    private final List<String> currencies;
    private final Clock clock;
    private final Freshness freshness;
    private final Pairs pairs;

    ChangeEvents(TickerConfig config, Clock clock, Freshness freshness, Pairs pairs) {
        this.currencies = config.currencies();
        this.clock = clock;
        this.freshness = freshness;
        this.pairs = pairs;
    }

    /**
     * Applies the changes to the book, write by write, and returns for each write the served rates it changed, in
     * currency order, then the pairs against the other bases that it moved.
     *
     * @param series the served series of lines of {@code target} as it stands (those it lacks are made from the
     *        book); the written lines' are made again after each write, so that it holds them as they end
     */
    List<Write> apply(RateBook target, List<Change> changes, Map<String, NavigableMap<LocalDate, Observation>> series) {
        Instant now = clock.instant();
        List<Write> writes = new ArrayList<>();
        int from = 0;
        while (from < changes.size()) {
            long write = changes.get(from).write();
            int to = from;
            while (to < changes.size() && changes.get(to).write() == write) {
                to++;
            }
            List<Change> ofWrite = changes.subList(from, to);
            Map<String, Pairs.Leg> legsBefore = legs(target, series, now);
            ofWrite.forEach(c -> {
                if (c.deleted()) {
                    target.remove(c.observation().key());
                } else {
                    target.put(c.observation());
                }
                series.remove(c.observation().line());
            });
            Map<String, Pairs.Leg> legsAfter = legs(target, series, now);
            List<Rate> changed = new ArrayList<>();
            Set<String> written = new HashSet<>();
            ofWrite.stream().map(Change::observation).filter(Observation::isDollarRow)
                    .forEach(o -> written.add(o.currency()));
            for (String currency : currencies) {
                Pairs.Leg after = legsAfter.get(currency);
                if (written.contains(currency) && after != null) {
                    Rate rate = after.rate();
                    Pairs.Leg before = legsBefore.get(currency);
                    if (before == null || !rate.equals(before.rate())) {
                        changed.add(rate);
                    }
                }
            }
            changed.addAll(pairs.moved(legsBefore, legsAfter));
            if (!changed.isEmpty()) {
                writes.add(new Write(write, changed));
            }
            from = to;
        }
        return writes;
    }

    /** What time alone turned between two snapshots of the same data (staleness, a lapse): the rates to tell again. */
    List<Rate> turned(Snapshot before, Snapshot after) {
        List<Rate> turned = new ArrayList<>(after.rates().values().stream()
                .filter(rate -> !rate.equals(before.rate(rate.currency())))
                .toList());
        turned.addAll(pairs.moved(before.legs(), after.legs()));
        return turned;
    }

    /** Each line's current leg in the book, stale or not as of {@code now}, its series made where missing. */
    private Map<String, Pairs.Leg> legs(RateBook target, Map<String, NavigableMap<LocalDate, Observation>> series,
            Instant now) {
        return Pairs.legsOn(line -> series.computeIfAbsent(line, l -> target.served(l, freshness, now)), target.lines(),
                LocalDate.MAX, o -> freshness.stale(o, now));
    }
}
