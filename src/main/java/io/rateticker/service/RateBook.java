package io.rateticker.service;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import io.rateticker.Observation;

/**
 * Every stored observation, in memory, and which one is served for each currency and date.
 * Not thread-safe: {@link RateService} touches it only under its write lock.
 */
final class RateBook {

    private final Map<String, TreeMap<LocalDate, Map<String, Observation>>> byCurrency = new HashMap<>();
    private final Comparator<String> preference;

    RateBook(List<String> preference) {
        this.preference = Comparator.<String> comparingInt(source -> {
            int rank = preference.indexOf(source);
            return rank < 0 ? Integer.MAX_VALUE : rank;
        }).thenComparing(Comparator.naturalOrder());
    }

    void put(Observation o) {
        byCurrency.computeIfAbsent(o.currency(), c -> new TreeMap<>())
                .computeIfAbsent(o.asOf(), d -> new HashMap<>())
                .put(o.source(), o);
    }

    /** The served observation of each date, ascending: per date, the one of the most preferred source. */
    NavigableMap<LocalDate, Observation> served(String currency) {
        TreeMap<LocalDate, Observation> served = new TreeMap<>();
        byCurrency.getOrDefault(currency, new TreeMap<>()).forEach((date, bySource) -> served.put(date,
                bySource.values().stream().min(Comparator.comparing(Observation::source, preference)).orElseThrow()));
        return served;
    }

    /** Every source that has given the currency a value, most preferred first. */
    List<String> sources(String currency) {
        return byCurrency.getOrDefault(currency, new TreeMap<>()).values().stream()
                .flatMap(bySource -> bySource.keySet().stream())
                .distinct()
                .sorted(preference)
                .toList();
    }
}
