package io.rateticker.service;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;

import io.rateticker.Observation;

/**
 * A currency's served publications over a range, as rows: each publication ({@code day}), or per calendar week or
 * month its open, high, low and close. Rows go to a sink one at a time, so that a range of years is never held.
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
     * One publication: {@code rate} is USD per unit of {@code currency} (12 significant digits), {@code perUsd} as
     * served, {@code changePercent} from the publication before it (null for the first there is).
     */
    public record Day(LocalDate asOf, String pair, String currency, String base, BigDecimal rate, BigDecimal perUsd,
            BigDecimal changePercent, String source) {
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

    private static final String USD = "USD";

    private Series() {
    }

    /** Every publication of {@code currency} from {@code from} to {@code to}, ascending. */
    public static void days(String currency, NavigableMap<LocalDate, Observation> served, LocalDate from, LocalDate to,
            Sink<Day> sink) throws IOException {
        Observation previous = before(served, from);
        for (Observation o : served.subMap(from, true, to, true).values()) {
            sink.add(day(currency, o, previous));
            previous = o;
        }
    }

    /** The publication {@code o} of {@code currency}, following {@code previous} (null if none). */
    public static Day day(String currency, Observation o, Observation previous) {
        return new Day(o.asOf(), currency + "/" + USD, currency, USD, RateMath.rate(o.perUsd()),
                RateMath.servedPerUsd(o.perUsd()),
                previous == null ? null : RateMath.changePercent(previous.perUsd(), o.perUsd()), o.source());
    }

    /**
     * Per week or month ({@code group} is not {@code DAY}) from {@code from} to {@code to}, ascending; periods without
     * a publication are left out.
     */
    public static void periods(String currency, NavigableMap<LocalDate, Observation> served, LocalDate from,
            LocalDate to, Group group, Sink<Period> sink) throws IOException {
        Open open = null;
        for (Observation o : served.subMap(from, true, to, true).values()) {
            LocalDate start = start(o.asOf(), group);
            if (open != null && !open.start.equals(start)) {
                sink.add(open.close(currency, from, to));
                open = null;
            }
            if (open == null) {
                open = new Open(group, start, o);
            } else {
                open.add(o);
            }
        }
        if (open != null) {
            sink.add(open.close(currency, from, to));
        }
    }

    private static Observation before(NavigableMap<LocalDate, Observation> served, LocalDate date) {
        Map.Entry<LocalDate, Observation> entry = served.lowerEntry(date);
        return entry == null ? null : entry.getValue();
    }

    private static LocalDate start(LocalDate date, Group group) {
        return group == Group.WEEK ? date.with(DayOfWeek.MONDAY) : date.withDayOfMonth(1);
    }

    /**
     * A period being read. The extremes are compared by the exact stored value: the rate, rounded to 12 digits,
     * could tie where the bank's values differ. A higher rate is fewer units per USD.
     */
    private static final class Open {
        final Group group;
        final LocalDate start;
        final Observation first;
        Observation last;
        Observation high;
        Observation low;
        int publications;

        Open(Group group, LocalDate start, Observation first) {
            this.group = group;
            this.start = start;
            this.first = first;
            this.last = first;
            this.high = first;
            this.low = first;
            this.publications = 1;
        }

        void add(Observation o) {
            last = o;
            publications++;
            if (o.perUsd().compareTo(high.perUsd()) < 0) {
                high = o;
            }
            if (o.perUsd().compareTo(low.perUsd()) > 0) {
                low = o;
            }
        }

        Period close(String currency, LocalDate from, LocalDate to) {
            LocalDate end = group == Group.WEEK ? start.plusDays(6) : start.with(TemporalAdjusters.lastDayOfMonth());
            String label = group == Group.WEEK
                    ? String.format(Locale.ROOT, "%d-W%02d", start.get(IsoFields.WEEK_BASED_YEAR),
                            start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))
                    : String.format(Locale.ROOT, "%d-%02d", start.getYear(), start.getMonthValue());
            return new Period(label, start.isBefore(from) ? from : start, end.isAfter(to) ? to : end,
                    currency + "/" + USD, currency, USD, RateMath.rate(first.perUsd()), first.asOf(),
                    RateMath.rate(high.perUsd()), high.asOf(), RateMath.rate(low.perUsd()), low.asOf(),
                    RateMath.rate(last.perUsd()), last.asOf(), publications);
        }
    }
}
