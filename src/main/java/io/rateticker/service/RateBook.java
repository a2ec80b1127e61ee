package io.rateticker.service;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.rateticker.Observation;
import io.rateticker.source.SimulatedSource;
import io.rateticker.store.ObservationRepository;

/**
 * Every stored observation, in memory, and which one is served for each currency and date.
 * Not thread-safe: {@link RateService} touches it only under its write lock.
 */
final class RateBook {

    /** The source of values written by hand; {@code manual-<name>} tells who wrote them. */
    static final String MANUAL = "manual";

    private final Map<String, TreeMap<LocalDate, Map<String, Observation>>> byCurrency = new HashMap<>();
    private final List<String> preference;
    private final Map<String, List<String>> currencyPreference;

    RateBook(List<String> preference, Map<String, List<String>> currencyPreference) {
        this.preference = preference;
        this.currencyPreference = currencyPreference;
    }

    /** An independent copy (observations are immutable, so only the maps are copied). */
    RateBook copy() {
        RateBook copy = new RateBook(preference, currencyPreference);
        byCurrency.forEach((currency, series) -> series.forEach((date, bySource) -> bySource.values().forEach(copy::put)));
        return copy;
    }

    void remove(ObservationRepository.Key key) {
        TreeMap<LocalDate, Map<String, Observation>> series = byCurrency.get(key.currency());
        Map<String, Observation> bySource = series == null ? null : series.get(key.asOf());
        if (bySource != null) {
            bySource.remove(key.source());
            if (bySource.isEmpty()) {
                series.remove(key.asOf());
            }
        }
    }

    void put(Observation o) {
        byCurrency.computeIfAbsent(o.currency(), c -> new TreeMap<>())
                .computeIfAbsent(o.asOf(), d -> new HashMap<>())
                .put(o.source(), o);
    }

    /**
     * Most preferred first; every {@code manual-<name>} ranks as {@code manual}; sources the list does not name come
     * after all it names, alphabetically.
     */
    Comparator<String> preference(String currency) {
        List<String> order = currencyPreference.getOrDefault(currency, preference);
        return Comparator.<String> comparingInt(source -> {
            int rank = order.indexOf(source.startsWith(MANUAL + "-") ? MANUAL : source);
            return rank < 0 ? Integer.MAX_VALUE : rank;
        }).thenComparing(Comparator.naturalOrder());
    }

    /** The served observation of each date, ascending: per date, the accepted one of the most preferred source. */
    NavigableMap<LocalDate, Observation> served(String currency) {
        Comparator<String> preference = preference(currency);
        TreeMap<LocalDate, Observation> served = new TreeMap<>();
        byCurrency.getOrDefault(currency, new TreeMap<>())
                .forEach((date, bySource) -> servedOf(bySource, preference).ifPresent(o -> served.put(date, o)));
        return served;
    }

    /** The served observation of the latest date that has one, or null. */
    Observation latestServed(String currency) {
        Comparator<String> preference = preference(currency);
        for (Map<String, Observation> bySource : byCurrency.getOrDefault(currency, new TreeMap<>()).descendingMap().values()) {
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
     * The reference of {@code o}'s change: the accepted observation of the same source and currency with the latest
     * date before {@code o}'s, or null. Simulated values move from the served rates, always dated today: theirs is
     * the served one of the latest earlier date.
     */
    Observation previousOf(Observation o) {
        if (o.source().equals(SimulatedSource.ID)) {
            Comparator<String> preference = preference(o.currency());
            return before(o, LocalDate.MIN).flatMap(bySource -> servedOf(bySource, preference).stream())
                    .findFirst().orElse(null);
        }
        return sameSourceBefore(o).filter(p -> !p.isRejected()).findFirst().orElse(null);
    }

    /** The observation of the same source and currency, accepted or not, with the latest date before {@code o}'s. */
    Observation previousOfAny(Observation o) {
        return sameSourceBefore(o).findFirst().orElse(null);
    }

    /** {@code o}'s source's observations of its currency, from the latest date before {@code o}'s back. */
    private Stream<Observation> sameSourceBefore(Observation o) {
        return before(o, LocalDate.MIN).map(bySource -> bySource.get(o.source())).filter(p -> p != null);
    }

    /**
     * The sanity guard's reference for {@code o}: on the latest date before {@code o}'s and not before
     * {@code notBefore} that has one, the accepted value of the most preferred source that {@code eligible} allows.
     */
    Observation reference(Observation o, LocalDate notBefore, Predicate<String> eligible) {
        Comparator<String> preference = preference(o.currency());
        return before(o, notBefore).flatMap(bySource -> bySource.values().stream()
                        .filter(p -> !p.isRejected() && eligible.test(p.source()))
                        .min(Comparator.comparing(Observation::source, preference)).stream())
                .findFirst().orElse(null);
    }

    /** The observations of {@code o}'s currency by source, date by date from the latest before {@code o}'s back. */
    private Stream<Map<String, Observation>> before(Observation o, LocalDate notBefore) {
        return byCurrency.getOrDefault(o.currency(), new TreeMap<>())
                .subMap(notBefore, true, o.asOf(), false).descendingMap().values().stream();
    }

    /** Every observation of the currency on the date, accepted or not, by source. */
    Map<String, Observation> on(String currency, LocalDate date) {
        return byCurrency.getOrDefault(currency, new TreeMap<>()).getOrDefault(date, Map.of());
    }

    /** The dates for which {@code source} has given any value. */
    Set<LocalDate> dates(String source) {
        Set<LocalDate> dates = new HashSet<>();
        byCurrency.values().forEach(series -> series.forEach((date, bySource) -> {
            if (bySource.containsKey(source)) {
                dates.add(date);
            }
        }));
        return dates;
    }

    /** The latest date each source has given a value for (accepted or held back: either way it published). */
    Map<String, LocalDate> latestBySource() {
        Map<String, LocalDate> latest = new HashMap<>();
        byCurrency.values().forEach(series -> series.forEach((date, bySource) -> bySource.keySet()
                .forEach(source -> latest.merge(source, date, (a, b) -> a.isAfter(b) ? a : b))));
        return latest;
    }

    /** Per source, the latest value it has given of {@code currency} that is not held back. */
    Map<String, Observation> latestAccepted(String currency) {
        Map<String, Observation> latest = new HashMap<>();
        TreeMap<LocalDate, Map<String, Observation>> series = byCurrency.get(currency);
        if (series != null) {
            series.descendingMap().values().forEach(bySource -> bySource.values().stream()
                    .filter(o -> !o.isRejected()).forEach(o -> latest.putIfAbsent(o.source(), o)));
        }
        return latest;
    }

    /** Held-back observations, the latest dates first. */
    List<Observation> rejected() {
        return byCurrency.values().stream()
                .flatMap(series -> series.values().stream())
                .flatMap(bySource -> bySource.values().stream())
                .filter(Observation::isRejected)
                .sorted(Comparator.comparing(Observation::asOf).reversed().thenComparing(Observation::currency))
                .toList();
    }

    /** Every source that has given the currency a value, most preferred first. */
    List<String> sources(String currency) {
        return byCurrency.getOrDefault(currency, new TreeMap<>()).values().stream()
                .flatMap(bySource -> bySource.keySet().stream())
                .distinct()
                .sorted(preference(currency))
                .toList();
    }

    /** Every source that has given any value, most preferred first: the sources of USD, which every rate quotes. */
    List<String> allSources() {
        return byCurrency.values().stream()
                .flatMap(series -> series.values().stream())
                .flatMap(bySource -> bySource.keySet().stream())
                .distinct()
                .sorted(preference(Pairs.USD))
                .toList();
    }
}
