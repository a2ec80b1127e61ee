package io.rateticker.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The publication calendars: plain date arithmetic, pinned to instants. */
class CalendarTest {

    private static final Duration GRACE = Duration.ofHours(6);
    private static final ZoneId BISHKEK = ZoneId.of("Asia/Bishkek"); // UTC+6
    /** NBKR's: Monday to Friday, the day's rate out by 17:00 Bishkek, due at 23:00 with the grace. */
    private static final Calendar NBKR = new NbkrSource().info().calendar();

    private static final LocalDate FRIDAY = LocalDate.of(2026, 5, 22);
    private static final LocalDate MONDAY = LocalDate.of(2026, 5, 25);

    private static Instant bishkek(String dateTime) {
        return LocalDateTime.parse(dateTime).atZone(BISHKEK).toInstant();
    }

    @Test
    void aWeekendMissesNothing() {
        for (String at : new String[] { "2026-05-23T00:00", "2026-05-24T12:00", "2026-05-25T22:59:59" }) {
            Instant now = bishkek(at);
            assertThat(NBKR.expectedAsOf(now, GRACE)).as(at).isEqualTo(FRIDAY);
            assertThat(NBKR.missed(FRIDAY, now, GRACE)).as(at).isZero();
        }
        // the Friday rate turns stale when Monday's is overdue: Monday 17:00 + 6 h
        assertThat(NBKR.staleAt(FRIDAY, GRACE)).isEqualTo(bishkek("2026-05-25T23:00"));
    }

    @Test
    void aMissedMondayCountsFromTheGraceOn() {
        Instant now = bishkek("2026-05-25T23:00");
        assertThat(NBKR.expectedAsOf(now, GRACE)).isEqualTo(MONDAY);
        assertThat(NBKR.missed(FRIDAY, now, GRACE)).isEqualTo(1);
        // a rate already announced for Monday (on Friday, ahead) misses nothing
        assertThat(NBKR.missed(MONDAY, now, GRACE)).isZero();
        assertThat(NBKR.staleAt(MONDAY, GRACE)).isEqualTo(bishkek("2026-05-26T23:00"));
    }

    @Test
    void aHolidayIsNoPublicationDay() {
        Calendar withHoliday = NBKR.withHolidays(Set.of(MONDAY));
        Instant tuesdayMorning = bishkek("2026-05-26T09:00");
        assertThat(withHoliday.expectedAsOf(tuesdayMorning, GRACE)).isEqualTo(FRIDAY);
        assertThat(withHoliday.missed(FRIDAY, tuesdayMorning, GRACE)).isZero();
        assertThat(withHoliday.staleAt(FRIDAY, GRACE)).isEqualTo(bishkek("2026-05-26T23:00"));
        assertThat(withHoliday.nextPublication(FRIDAY)).isEqualTo(MONDAY.plusDays(1));
    }

    @Test
    void aFrozenFeedCountsEveryMissedPublication() {
        LocalDate frozen = LocalDate.of(2025, 11, 17); // a Monday, 190 days before 2026-05-26
        Instant now = bishkek("2026-05-26T09:00");
        // the 27 weeks from Tuesday 18 November to Monday 25 May, five publication days each
        assertThat(NBKR.missed(frozen, now, GRACE)).isEqualTo(135);
        assertThat(NBKR.staleAt(frozen, GRACE)).isBefore(now);
    }

    @Test
    void aBankPublishingEveryDayAndOneWithoutMondays() {
        Calendar nbt = new NbtSource().info().calendar();
        Instant sundayNoon = LocalDate.of(2026, 5, 24).atTime(12, 0).atZone(nbt.zone()).toInstant();
        assertThat(nbt.expectedAsOf(sundayNoon.plus(GRACE), GRACE)).isEqualTo(LocalDate.of(2026, 5, 24));
        assertThat(nbt.expectedAsOf(sundayNoon.plus(GRACE).minusSeconds(1), GRACE)).isEqualTo(LocalDate.of(2026, 5, 23));

        // Bank of Russia: rates effective Tuesday to Saturday; Saturday's holds over Sunday and Monday
        Calendar cbr = new CbrSource().info().calendar();
        LocalDate saturday = LocalDate.of(2026, 4, 25);
        Instant mondayEvening = LocalDate.of(2026, 4, 27).atTime(20, 0).atZone(cbr.zone()).toInstant();
        assertThat(cbr.expectedAsOf(mondayEvening, GRACE)).isEqualTo(saturday);
        assertThat(cbr.staleAt(saturday, GRACE))
                .isEqualTo(LocalDate.of(2026, 4, 28).atTime(LocalTime.MIDNIGHT).atZone(cbr.zone()).toInstant().plus(GRACE));
    }

    @Test
    void aCalendarOfHolidaysOnlyExpectsNothing() {
        Calendar onlyMondays = new Calendar(BISHKEK, Set.of(DayOfWeek.MONDAY), LocalTime.NOON, null,
                Set.of());
        LocalDate anyMonday = LocalDate.of(2026, 6, 1);
        Calendar never = onlyMondays.withHolidays(Stream.iterate(anyMonday.minusWeeks(60),
                d -> d.plusWeeks(1)).limit(120).collect(Collectors.toSet()));
        assertThat(never.expectedAsOf(bishkek("2026-06-01T13:00"), GRACE)).isNull();
        assertThat(never.staleAt(anyMonday.minusDays(1), GRACE)).isNull();
    }
}
