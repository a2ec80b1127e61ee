package io.rateticker.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.rateticker.Observation;

/**
 * Every stored observation, in memory, and which one is served for each line ({@link Observation#line}: a currency's
 * dollar rate, or one row of a bank's table) and date. Not thread-safe: {@link RateWriter} touches it only under its
 * write lock.
 */
final class RateBook {

    /** The source of values written by hand; {@code manual-<name>} tells who wrote them. */
    static final String MANUAL = "manual";

    private final Map<String, TreeMap<LocalDate, Map<String, Observation>>> byLine = new HashMap<>();
    // Kept as values come, so that a write does not scan ten years of every table: the held-back ones, and each
    // source's latest date (scanned again after a removal, which may take a source's latest away).
    private final Map<Observation.Key, Observation> held = new HashMap<>();
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

    void remove(Observation.Key key) {
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
            held.put(o.key(), o);
        } else {
            held.remove(o.key());
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

    /** When a source's publication stops being in force, and whether the source publishes by a calendar. */
    interface Terms {
        /**
         * From when {@code o} is no longer in force (overdue successor, received too long ago); null if never,
         * {@link Instant#MIN} if it never is (a bundled value), which then also supersedes nothing.
         */
        Instant staleAt(Observation o);

        /** Whether the source publishes by a calendar; one that does not is in force only until any later value. */
        boolean calendared(String source);
    }

    /**
     * The line's served series, the one read model of every door: the value in force on each day, keyed by the day
     * from which it is served (a point wherever the served value changes publication), as of {@code now}. On day D,
     * at the end of that day (UTC) or now if earlier, each source's latest accepted publication dated on or before D
     * is in force until it is stale by its {@link Terms} (a source without a calendar: also until any later value of
     * the line that may be in force); the most preferred source in force serves. Where none is, the latest
     * publication serves (the most preferred of that date), stale. A value is served from its own date, or from the
     * day a preferred one lapses, so it may be dated before its key; the dates ascend with the keys.
     */
    NavigableMap<LocalDate, Observation> served(String line, Terms terms, Instant now) {
        TreeMap<LocalDate, Observation> served = new TreeMap<>();
        TreeMap<LocalDate, Map<String, Observation>> dates = byLine.get(line);
        if (dates == null) {
            return served;
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Comparator<String> preference = preference(line);
        Map<String, InForce> current = new HashMap<>(); // each source's latest accepted publication so far
        TreeSet<LocalDate> lapses = new TreeSet<>(); // days on which a publication may stop being in force
        Iterator<Map.Entry<LocalDate, Map<String, Observation>>> next = dates.entrySet().iterator();
        Map.Entry<LocalDate, Map<String, Observation>> pending = next.hasNext() ? next.next() : null;
        LocalDate latestDate = null;
        Observation last = null;
        while (pending != null || !lapses.isEmpty()) {
            LocalDate day = pending == null || !lapses.isEmpty() && lapses.first().isBefore(pending.getKey())
                    ? lapses.first() : pending.getKey();
            lapses.remove(day);
            if (pending != null && pending.getKey().equals(day)) {
                for (Observation o : pending.getValue().values()) {
                    if (!o.isRejected()) {
                        Instant staleAt = terms.staleAt(o);
                        current.put(o.source(), new InForce(o, staleAt, terms.calendared(o.source())));
                        if (!Instant.MIN.equals(staleAt)) { // a value never in force (bundled) supersedes none
                            latestDate = day;
                        }
                        LocalDate lapse = lapse(staleAt, today, now);
                        if (lapse != null && lapse.isAfter(day)) {
                            lapses.add(lapse);
                        }
                    }
                }
                pending = next.hasNext() ? next.next() : null;
            }
            Instant at = day.isBefore(today) ? Instant.ofEpochSecond((day.toEpochDay() + 1) * 86_400) : now;
            Observation inForce = null;
            Observation latest = null;
            for (InForce candidate : current.values()) {
                Observation o = candidate.value();
                boolean valid = (candidate.staleAt() == null || at.isBefore(candidate.staleAt()))
                        && (candidate.calendared() || o.asOf().equals(latestDate));
                if (valid && (inForce == null || preference.compare(o.source(), inForce.source()) < 0)) {
                    inForce = o;
                }
                if (latest == null || o.asOf().isAfter(latest.asOf())
                        || o.asOf().equals(latest.asOf()) && preference.compare(o.source(), latest.source()) < 0) {
                    latest = o;
                }
            }
            Observation value = inForce != null ? inForce : latest;
            if (value != null && value != last) {
                served.put(day, value);
                last = value;
            }
        }
        return served;
    }

    /** A source's latest publication as the served series is made: when it lapses, and whether by a calendar. */
    private record InForce(Observation value, Instant staleAt, boolean calendared) {
    }

    /**
     * The first day on which a publication that lapses at {@code staleAt} is no longer in force: a past day by its
     * end, today and later by now (the series is made again when {@code staleAt} comes). Null if none yet.
     */
    private static LocalDate lapse(Instant staleAt, LocalDate today, Instant now) {
        if (staleAt == null || staleAt.isAfter(now) || staleAt.equals(Instant.MIN)) {
            return null; // never stale, not yet, or never in force (bundled)
        }
        LocalDate day = LocalDate.ofInstant(staleAt, ZoneOffset.UTC);
        // a day's end is the next day's start: a lapse at midnight is the day before's
        LocalDate first = staleAt.equals(day.atStartOfDay(ZoneOffset.UTC).toInstant()) ? day.minusDays(1) : day;
        return first.isBefore(today) ? first : today;
    }

    /**
     * When the value in force on a line may next change with no write, as of {@code now}: the earliest lapse after
     * now of a source's latest publication ({@code latest}: by source, see {@link #latestAccepted}). Null if none will.
     */
    static Instant nextLapse(Map<String, Observation> latest, Terms terms, Instant now) {
        Instant next = null;
        for (Observation o : latest.values()) {
            Instant at = terms.staleAt(o);
            if (at != null && at.isAfter(now) && (next == null || at.isBefore(next))) {
                next = at;
            }
        }
        return next;
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
