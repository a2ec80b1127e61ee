package io.rateticker.service;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Collections;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Function;

import io.rateticker.Observation;

/**
 * A pair's served series over a range, as rows: each value served ({@code day}), or per calendar week or month its
 * open, high, low and close. Against USD a pair's points are its currency's served series ({@code RateBook.served}:
 * a point wherever the value in force changes publication); against another base, from the base's bank's first row of
 * the currency on, that row's series, and before it (or where the bank publishes none) a cross of the two dollar
 * rates in force, with a point wherever either changes (see {@link Pairs}). Each point is dated by its publication
 * (a cross by the later of its two). Rows go to a sink one at a time, read from the served series as they go, so
 * that a range of years is never held.
 */
public final class Series {

    public enum Group {
        DAY, WEEK, MONTH;

        /** {@code day} when absent; anything but day, week or month is a 400. */
        public static Group of(String group) {
            if (group == null) {
                return DAY;
            }
            for (Group g : values()) {
                if (g.name().equalsIgnoreCase(group.trim())) {
                    return g;
                }
            }
            throw new RequestException(400, "group: '" + Symbols.shorten(group) + "' is not one of day, week, month");
        }
    }

    /** Takes rows as they are made; a stream's failure (the client went away) ends the series. */
    @FunctionalInterface
    public interface Sink<R> {
        void add(R row) throws IOException;
    }

    /**
     * One value served: {@code rate} is units of the base per unit of {@code currency} as served (USD per unit, 12
     * significant digits, against USD), {@code perUsd} the currency's units per USD (1 for USD),
     * {@code changePercent} from the value served before it (null for the first there is); {@code servedFrom} the day
     * it is in force from, its {@code asOf} or, where it serves once a preferred source's value lapsed, later.
     */
    public record Day(LocalDate asOf, String pair, String currency, String base, BigDecimal rate, BigDecimal perUsd,
            BigDecimal changePercent, String source, LocalDate servedFrom) {
    }

    /**
     * The publications of one week (ISO, from Monday; {@code 2026-W14}) or month ({@code 2026-04}) within the range
     * asked: {@code start} and {@code end} are the period's days inside it. Open and close are the first and last
     * publication's rate, high and low the extremes (the earliest date on a tie), each with the date it is of.
     */
    public record Period(String period, LocalDate start, LocalDate end, String pair, String currency, String base,
            BigDecimal open, LocalDate openAsOf, BigDecimal high, LocalDate highAsOf, BigDecimal low,
            LocalDate lowAsOf, BigDecimal close, LocalDate closeAsOf, int publications) {
    }

    /**
     * A pair's value from one day on: its served rate, and exactly {@code numerator / denominator} units of the base
     * per unit of the currency, by which changes and extremes are reckoned (the served rate may be rounded);
     * {@code row} when it is the base's bank's own row, whose series starts afresh, as {@link Pairs} has it.
     */
    private record Point(LocalDate from, LocalDate asOf, BigDecimal rate, BigDecimal perUsd, String source,
            BigDecimal numerator, BigDecimal denominator, boolean row) {

        /** The change from {@code previous}, %: (this / previous − 1) × 100; null if there is none to the row. */
        BigDecimal changeFrom(Point previous) {
            if (previous == null || previous.row != row) {
                return null;
            }
            return RateMath.changePercent(numerator.multiply(previous.denominator),
                    denominator.multiply(previous.numerator));
        }

        int compareTo(Point other) {
            return numerator.multiply(other.denominator).compareTo(other.numerator.multiply(denominator));
        }
    }

    private Series() {
    }

    /** Every publication of the pair from {@code from} to {@code to}, ascending. */
    public static void days(String currency, String base, Function<String, NavigableMap<LocalDate, Observation>> served,
            LocalDate from, LocalDate to, Sink<Day> sink) throws IOException {
        Point[] previous = { before(currency, base, served, from) };
        walk(currency, base, served, from, to, point -> {
            sink.add(new Day(point.asOf(), Pairs.pair(currency, base), currency, base, point.rate(), point.perUsd(),
                    point.changeFrom(previous[0]), point.source(), point.from()));
            previous[0] = point;
        });
    }

    /**
     * Per week or month ({@code group} is not {@code DAY}) from {@code from} to {@code to}, ascending; periods without
     * a publication are left out.
     */
    public static void periods(String currency, String base, Function<String, NavigableMap<LocalDate, Observation>> served,
            LocalDate from, LocalDate to, Group group, Sink<Period> sink) throws IOException {
        Open[] open = { null };
        walk(currency, base, served, from, to, point -> {
            LocalDate start = group == Group.WEEK ? point.from().with(DayOfWeek.MONDAY) : point.from().withDayOfMonth(1);
            if (open[0] != null && !open[0].start.equals(start)) {
                sink.add(open[0].close(currency, base, from, to));
                open[0] = null;
            }
            if (open[0] == null) {
                open[0] = new Open(group, start, point);
            } else {
                open[0].add(point);
            }
        });
        if (open[0] != null) {
            sink.add(open[0].close(currency, base, from, to));
        }
    }

    /**
     * The pair on every day from {@code from} to {@code to} that its served value changes: the row's series from its
     * first day, a cross before it; a day before either currency has a value is left out.
     */
    private static void walk(String currency, String base, Function<String, NavigableMap<LocalDate, Observation>> served,
            LocalDate from, LocalDate to, Sink<Point> sink) throws IOException {
        NavigableMap<LocalDate, Observation> direct = direct(currency, base, served);
        LocalDate firstRow = direct == null ? null : direct.firstKey();
        if (firstRow == null || from.isBefore(firstRow)) {
            crossWalk(currency, base, served, from, firstRow == null || to.isBefore(firstRow) ? to
                    : firstRow.minusDays(1), sink);
        }
        if (direct != null) {
            for (Map.Entry<LocalDate, Observation> row : direct.subMap(from, true, to, true).entrySet()) {
                sink.add(point(row.getKey(), row.getValue()));
            }
        }
    }

    private static void crossWalk(String currency, String base,
            Function<String, NavigableMap<LocalDate, Observation>> served, LocalDate from, LocalDate to,
            Sink<Point> sink) throws IOException {
        NavigableMap<LocalDate, Observation> in = Pairs.USD.equals(base) ? null : served.apply(base);
        NavigableMap<LocalDate, Observation> quoted = Pairs.USD.equals(currency) ? null : served.apply(currency);
        Iterator<LocalDate> a = dates(quoted, from, to);
        Iterator<LocalDate> b = dates(in, from, to);
        LocalDate nextA = a.hasNext() ? a.next() : null;
        LocalDate nextB = b.hasNext() ? b.next() : null;
        while (nextA != null || nextB != null) {
            LocalDate date = nextB == null || (nextA != null && nextA.isBefore(nextB)) ? nextA : nextB;
            if (date.equals(nextA)) {
                nextA = a.hasNext() ? a.next() : null;
            }
            if (date.equals(nextB)) {
                nextB = b.hasNext() ? b.next() : null;
            }
            Point point = point(currency, base, quoted, in, date);
            if (point != null) {
                sink.add(point);
            }
        }
    }

    /** The pair as it stood before {@code from}: on the latest earlier day its served value changed. */
    private static Point before(String currency, String base, Function<String, NavigableMap<LocalDate, Observation>> served,
            LocalDate from) {
        NavigableMap<LocalDate, Observation> direct = direct(currency, base, served);
        if (direct != null && direct.firstKey().isBefore(from)) {
            Map.Entry<LocalDate, Observation> row = direct.lowerEntry(from);
            return point(row.getKey(), row.getValue());
        }
        NavigableMap<LocalDate, Observation> in = Pairs.USD.equals(base) ? null : served.apply(base);
        NavigableMap<LocalDate, Observation> quoted = Pairs.USD.equals(currency) ? null : served.apply(currency);
        LocalDate a = quoted == null ? null : quoted.lowerKey(from);
        LocalDate b = in == null ? null : in.lowerKey(from);
        LocalDate date = a == null ? b : b == null || a.isAfter(b) ? a : b;
        return date == null ? null : point(currency, base, quoted, in, date);
    }

    /** The base's bank's own row of the currency, served, or null where it publishes none. */
    private static NavigableMap<LocalDate, Observation> direct(String currency, String base,
            Function<String, NavigableMap<LocalDate, Observation>> served) {
        if (Pairs.USD.equals(currency) || Pairs.USD.equals(base)) {
            return null;
        }
        NavigableMap<LocalDate, Observation> direct = served.apply(Observation.line(base, currency));
        return direct == null || direct.isEmpty() ? null : direct;
    }

    /** A row of the base's bank, as published: no dollar rate, so without {@code perUsd}. */
    private static Point point(LocalDate from, Observation row) {
        return new Point(from, row.asOf(), RateMath.servedPerUsd(row.perUsd()), null, row.source(), row.perUsd(),
                BigDecimal.ONE, true);
    }

    private static Iterator<LocalDate> dates(NavigableMap<LocalDate, Observation> series, LocalDate from, LocalDate to) {
        return series == null ? Collections.emptyIterator() : series.subMap(from, true, to, true).keySet().iterator();
    }

    /**
     * The pair from {@code date} on: X/USD and USD/B as their bank published them, X/B a cross of the two in force,
     * dated by the later of the two.
     */
    private static Point point(String currency, String base, NavigableMap<LocalDate, Observation> quoted,
            NavigableMap<LocalDate, Observation> in, LocalDate date) {
        Observation x = quoted == null ? null : value(quoted.floorEntry(date));
        Observation b = in == null ? null : value(in.floorEntry(date));
        if (in == null) {
            return x == null ? null : new Point(date, x.asOf(), RateMath.rate(x.perUsd()), RateMath.servedPerUsd(x.perUsd()),
                    x.source(), BigDecimal.ONE, x.perUsd(), false);
        }
        if (quoted == null) {
            return b == null ? null : new Point(date, b.asOf(), RateMath.servedPerUsd(b.perUsd()), BigDecimal.ONE, b.source(),
                    b.perUsd(), BigDecimal.ONE, false);
        }
        return x == null || b == null ? null : new Point(date, x.asOf().isAfter(b.asOf()) ? x.asOf() : b.asOf(),
                RateMath.crossRate(x.perUsd(), b.perUsd()), RateMath.servedPerUsd(x.perUsd()), Pairs.CROSS,
                b.perUsd(), x.perUsd(), false);
    }

    private static Observation value(Map.Entry<LocalDate, Observation> entry) {
        return entry == null ? null : entry.getValue();
    }

    /** A period being read; its extremes compared exactly, not by the rounded rates. */
    private static final class Open {
        final Group group;
        final LocalDate start;
        final Point first;
        Point last;
        Point high;
        Point low;
        int publications;

        Open(Group group, LocalDate start, Point first) {
            this.group = group;
            this.start = start;
            this.first = first;
            this.last = first;
            this.high = first;
            this.low = first;
            this.publications = 1;
        }

        void add(Point point) {
            last = point;
            publications++;
            if (point.compareTo(high) > 0) {
                high = point;
            }
            if (point.compareTo(low) < 0) {
                low = point;
            }
        }

        Period close(String currency, String base, LocalDate from, LocalDate to) {
            LocalDate end = group == Group.WEEK ? start.plusDays(6) : start.with(TemporalAdjusters.lastDayOfMonth());
            String label = group == Group.WEEK
                    ? String.format(Locale.ROOT, "%d-W%02d", start.get(IsoFields.WEEK_BASED_YEAR),
                            start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))
                    : String.format(Locale.ROOT, "%d-%02d", start.getYear(), start.getMonthValue());
            return new Period(label, start.isBefore(from) ? from : start, end.isAfter(to) ? to : end,
                    Pairs.pair(currency, base), currency, base, first.rate(), first.asOf(), high.rate(), high.asOf(),
                    low.rate(), low.asOf(), last.rate(), last.asOf(), publications);
        }
    }
}
