package io.rateticker.service;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.rateticker.Observation;
import io.rateticker.source.SimulatedSource;
import io.rateticker.store.ObservationRepository;

/**
 * Every stored observation, in memory, and which one is served for each line ({@link Observation#line}: a currency's
 * dollar rate, or one row of a bank's table) and date. Not thread-safe: {@link RateService} touches it only under its
 * write lock.
 */
final class RateBook {

    /** The source of values written by hand; {@code manual-<name>} tells who wrote them. */
    static final String MANUAL = "manual";

    private final Map<String, TreeMap<LocalDate, Map<String, Observation>>> byLine = new HashMap<>();
    // Kept as values come, so that a write does not scan ten years of every table: the held-back ones, and each
    // source's latest date (scanned again after a removal, which may take a source's latest away).
    private final Map<ObservationRepository.Key, Observation> held = new HashMap<>();
    private final Map<String, LocalDate> latestBySource = new HashMap<>();
    private boolean rescan;
    private final List<String> preference;
    private final Map<String, List<String>> currencyPreference;

    RateBook(List<String> preference, Map<String, List<String>> currencyPreference) {
        this.preference = preference;
        this.currencyPreference = currencyPreference;
    }

    /** An independent copy (observations are immutable, so only the maps are copied). */
    RateBook copy() {
        RateBook copy = new RateBook(preference, currencyPreference);
        byLine.forEach((line, series) -> series.forEach((date, bySource) -> bySource.values().forEach(copy::put)));
        return copy;
    }

    void remove(ObservationRepository.Key key) {
        TreeMap<LocalDate, Map<String, Observation>> series = byLine.get(key.line());
        Map<String, Observation> bySource = series == null ? null : series.get(key.asOf());
        if (bySource != null) {
            bySource.remove(key.source());
            if (bySource.isEmpty()) {
                series.remove(key.asOf());
            }
        }
        held.remove(key);
        rescan = true;
    }

    void put(Observation o) {
        byLine.computeIfAbsent(o.line(), c -> new TreeMap<>())
                .computeIfAbsent(o.asOf(), d -> new HashMap<>())
                .put(o.source(), o);
        if (o.isRejected()) {
            held.put(ObservationRepository.Key.of(o), o);
        } else {
            held.remove(ObservationRepository.Key.of(o));
        }
        latestBySource.merge(o.source(), o.asOf(), RateBook::later);
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * Most preferred first; every {@code manual-<name>} ranks as {@code manual}; sources the list does not name come
     * after all it names, alphabetically.
     */
    Comparator<String> preference(String line) {
        List<String> order = currencyPreference.getOrDefault(line, preference);
        return Comparator.<String> comparingInt(source -> {
            int rank = order.indexOf(source.startsWith(MANUAL + "-") ? MANUAL : source);
            return rank < 0 ? Integer.MAX_VALUE : rank;
        }).thenComparing(Comparator.naturalOrder());
    }

    /** The served observation of each date, ascending: per date, the accepted one of the most preferred source. */
    NavigableMap<LocalDate, Observation> served(String line) {
        Comparator<String> preference = preference(line);
        TreeMap<LocalDate, Observation> served = new TreeMap<>();
        byLine.getOrDefault(line, new TreeMap<>())
                .forEach((date, bySource) -> servedOf(bySource, preference).ifPresent(o -> served.put(date, o)));
        return served;
    }

    /** The served observation of the latest date that has one, or null. */
    Observation latestServed(String line) {
        Comparator<String> preference = preference(line);
        for (Map<String, Observation> bySource : byLine.getOrDefault(line, new TreeMap<>()).descendingMap().values()) {
            Optional<Observation> served = servedOf(bySource, preference);
            if (served.isPresent()) {
                return served.get();
            }
        }
        return null;
    }

    /** The accepted observation of the most preferred source. */
    private static Optional<Observation> servedOf(Map<String, Observation> bySource, Comparator<String> preference) {
        return bySource.values().stream()
                .filter(o -> !o.isRejected())
                .min(Comparator.comparing(Observation::source, preference));
    }

    /**
     * The reference of {@code o}'s change: the accepted observation of the same source and line with the latest
     * date before {@code o}'s, or null. Simulated values move from the served rates, always dated today: theirs is
     * the served one of the latest earlier date.
     */
    Observation previousOf(Observation o) {
        if (o.source().equals(SimulatedSource.ID)) {
            Comparator<String> preference = preference(o.line());
            return before(o, LocalDate.MIN).flatMap(bySource -> servedOf(bySource, preference).stream())
                    .findFirst().orElse(null);
        }
        return sameSourceBefore(o).filter(p -> !p.isRejected()).findFirst().orElse(null);
    }

    /** The observation of the same source and line, accepted or not, with the latest date before {@code o}'s. */
    Observation previousOfAny(Observation o) {
        return sameSourceBefore(o).findFirst().orElse(null);
    }

    /** The observation of the same source and line, accepted or not, with the earliest date after {@code o}'s. */
    Observation nextOfAny(Observation o) {
        return after(o, LocalDate.MAX).map(bySource -> bySource.get(o.source())).filter(p -> p != null)
                .findFirst().orElse(null);
    }

    /** {@code o}'s source's observations of its line, from the latest date before {@code o}'s back. */
    private Stream<Observation> sameSourceBefore(Observation o) {
        return before(o, LocalDate.MIN).map(bySource -> bySource.get(o.source())).filter(p -> p != null);
    }

    /**
     * The sanity guard's reference for {@code o} on its earlier side: on the latest date before {@code o}'s and not
     * before {@code notBefore} that has one, the accepted value of the most preferred source that {@code eligible}
     * allows.
     */
    Observation reference(Observation o, LocalDate notBefore, Predicate<String> eligible) {
        return reference(o, before(o, notBefore), eligible);
    }

    /** The same on {@code o}'s later side, up to {@code notAfter}: a backfilled or late day has one. */
    Observation referenceAfter(Observation o, LocalDate notAfter, Predicate<String> eligible) {
        return reference(o, after(o, notAfter), eligible);
    }

    private Observation reference(Observation o, Stream<Map<String, Observation>> dates, Predicate<String> eligible) {
        Comparator<String> preference = preference(o.line());
        return dates.flatMap(bySource -> bySource.values().stream()
                        .filter(p -> !p.isRejected() && eligible.test(p.source()))
                        .min(Comparator.comparing(Observation::source, preference)).stream())
                .findFirst().orElse(null);
    }

    /**
     * The observations of {@code o}'s line by source, date by date from the latest before {@code o}'s back; lazily,
     * and without sizing the range first (a sub-map counts its entries one by one), since the first dates mostly
     * answer.
     */
    private Stream<Map<String, Observation>> before(Observation o, LocalDate notBefore) {
        return lazily(byLine.getOrDefault(o.line(), new TreeMap<>())
                .subMap(notBefore, true, o.asOf(), false).descendingMap().values().iterator());
    }

    /** The same from the earliest date after {@code o}'s on, up to {@code notAfter}. */
    private Stream<Map<String, Observation>> after(Observation o, LocalDate notAfter) {
        return lazily(byLine.getOrDefault(o.line(), new TreeMap<>())
                .subMap(o.asOf(), false, notAfter, true).values().iterator());
    }

    private static Stream<Map<String, Observation>> lazily(Iterator<Map<String, Observation>> dates) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(dates, Spliterator.ORDERED), false);
    }

    /** Every observation of the line on the date, accepted or not, by source. */
    Map<String, Observation> on(String line, LocalDate date) {
        return byLine.getOrDefault(line, new TreeMap<>()).getOrDefault(date, Map.of());
    }

    /** Every line that has an observation. */
    Set<String> lines() {
        return byLine.keySet();
    }

    /**
     * The dates for which {@code source} has given every line it gave on its latest date: a date with its dollar row
     * alone (stored before whole tables were kept) is still missing its table.
     */
    Set<LocalDate> dates(String source) {
        Map<LocalDate, Set<String>> linesByDate = new HashMap<>();
        byLine.forEach((line, series) -> series.forEach((date, bySource) -> {
            if (bySource.containsKey(source)) {
                linesByDate.computeIfAbsent(date, d -> new HashSet<>()).add(line);
            }
        }));
        Set<String> latest = linesByDate.entrySet().stream().max(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue).orElse(Set.of());
        Set<LocalDate> dates = new HashSet<>();
        linesByDate.forEach((date, lines) -> {
            if (lines.containsAll(latest)) {
                dates.add(date);
            }
        });
        return dates;
    }

    /** The latest date each source has given a value for (accepted or held back: either way it published). */
    Map<String, LocalDate> latestBySource() {
        if (rescan) {
            latestBySource.clear();
            byLine.values().forEach(series -> series.forEach((date, bySource) -> bySource.keySet()
                    .forEach(source -> latestBySource.merge(source, date, RateBook::later))));
            rescan = false;
        }
        return new HashMap<>(latestBySource);
    }

    /** Per source, the latest value it has given of {@code line} that is not held back. */
    Map<String, Observation> latestAccepted(String line) {
        Map<String, Observation> latest = new HashMap<>();
        TreeMap<LocalDate, Map<String, Observation>> series = byLine.get(line);
        if (series != null) {
            series.descendingMap().values().forEach(bySource -> bySource.values().stream()
                    .filter(o -> !o.isRejected()).forEach(o -> latest.putIfAbsent(o.source(), o)));
        }
        return latest;
    }

    /** Held-back observations, the latest dates first. */
    List<Observation> rejected() {
        return held.values().stream()
                .sorted(Comparator.comparing(Observation::asOf).reversed().thenComparing(Observation::currency)
                        .thenComparing(Observation::quote))
                .toList();
    }

    /** Every source that has given the line a value, most preferred first. */
    List<String> sources(String line) {
        return byLine.getOrDefault(line, new TreeMap<>()).values().stream()
                .flatMap(bySource -> bySource.keySet().stream())
                .distinct()
                .sorted(preference(line))
                .toList();
    }

    /** Every source that has given any value, most preferred first: the sources of USD, which every rate quotes. */
    List<String> allSources() {
        return latestBySource().keySet().stream().sorted(preference(Pairs.USD)).toList();
    }
}
