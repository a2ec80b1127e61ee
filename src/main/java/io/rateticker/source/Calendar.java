package io.rateticker.source;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

/**
 * When a bank publishes: the days that have a rate of their own (an effective date), in the bank's time zone, the
 * local time by which that day's rate is normally out, whether (and from what local time) the bank announces the
 * next day's rate ahead, and the holidays on which it publishes nothing.
 * <p>
 * A day's rate is <em>due</em> at that day's {@code availableBy} plus a grace period. The expected effective date at an
 * instant is the latest day whose rate is due by then; a rate dated earlier has missed a publication the service
 * should have seen. Weekends and holidays are not publication days, so a Friday rate is still the expected one on
 * Sunday.
 *
 * @param days weekdays that have a rate of their own
 * @param availableBy local time on such a day by which its rate is normally published (for a bank that announces
 *        rates ahead, it was out the day before: this is the conservative end of its publication window)
 * @param aheadFrom local time from which the next publication day's rate is announced, or null if the bank does not
 *        announce rates ahead
 */
public record Calendar(ZoneId zone, Set<DayOfWeek> days, LocalTime availableBy, LocalTime aheadFrom,
        Set<LocalDate> holidays) {

    /** How far back and ahead publication days are looked for: a frozen feed counts at most this many misses. */
    static final int LOOKAHEAD_DAYS = 400;

    public static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

    public Calendar {
        days = Set.copyOf(days);
        holidays = Set.copyOf(holidays);
        if (days.isEmpty()) {
            throw new IllegalArgumentException("a calendar needs at least one publication day");
        }
    }

    public Calendar withHolidays(Set<LocalDate> holidays) {
        return new Calendar(zone, days, availableBy, aheadFrom, holidays);
    }

    /** Whether {@code day} has a rate of its own. */
    public boolean publishes(LocalDate day) {
        return days.contains(day.getDayOfWeek()) && !holidays.contains(day);
    }

    /** When the rate of publication day {@code day} is overdue. */
    public Instant due(LocalDate day, Duration grace) {
        return day.atTime(availableBy).atZone(zone).toInstant().plus(grace);
    }

    /** The latest effective date whose rate is due by {@code now}; null if none was in the last 400 days. */
    public LocalDate expectedAsOf(Instant now, Duration grace) {
        LocalDate day = LocalDate.ofInstant(now, zone);
        for (int back = 0; back <= LOOKAHEAD_DAYS; back++, day = day.minusDays(1)) {
            if (publishes(day) && !due(day, grace).isAfter(now)) {
                return day;
            }
        }
        return null;
    }

    /** The publication days after {@code latest} whose rates are due by {@code now} (at most 400). */
    public int missed(LocalDate latest, Instant now, Duration grace) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        LocalDate day = latest.plusDays(1);
        if (day.isBefore(today.minusDays(LOOKAHEAD_DAYS))) {
            day = today.minusDays(LOOKAHEAD_DAYS);
        }
        int missed = 0;
        for (; !day.isAfter(today); day = day.plusDays(1)) {
            if (publishes(day) && !due(day, grace).isAfter(now)) {
                missed++;
            }
        }
        return missed;
    }

    /**
     * When a rate effective on {@code asOf} turns stale: when the rate of the next publication day is due. Null if
     * there is none in the next 400 days (a calendar of holidays only).
     */
    public Instant staleAt(LocalDate asOf, Duration grace) {
        LocalDate next = nextPublication(asOf);
        return next == null ? null : due(next, grace);
    }

    /** The first publication day after {@code day}, or null if none in the next 400 days. */
    public LocalDate nextPublication(LocalDate day) {
        LocalDate next = day.plusDays(1);
        for (int ahead = 0; ahead < LOOKAHEAD_DAYS; ahead++, next = next.plusDays(1)) {
            if (publishes(next)) {
                return next;
            }
        }
        return null;
    }
}
