package io.rateticker.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rateticker.Observation;

class RateBookTest {

    @Test
    void everyManualSourceRanksAsManualAheadOfTheBanks() {
        RateBook book = new RateBook(List.of("manual", "nbkr", "cbr", "bundled"), Map.of());
        List<String> ranked = List.of("bundled", "cbr", "manual-desk-2", "nbkr", "zzz", "manual").stream()
                .sorted(book.preference("KGS")).toList();
        assertThat(ranked).containsExactly("manual", "manual-desk-2", "nbkr", "cbr", "bundled", "zzz");
    }

    /**
     * Each row of a table is a line of its own: NBK's euro is served, referenced and held back apart from its dollar
     * rate; and a date a bank gave its dollar rate alone (stored before whole tables were kept) is a date it has not
     * given yet, for the backfill.
     */
    @Test
    void eachRowIsALineAndADateWithoutItsTableIsStillMissing() {
        RateBook book = new RateBook(List.of("manual", "nbk", "bundled"), Map.of());
        Instant at = Instant.parse("2026-04-03T00:00:00Z");
        LocalDate first = LocalDate.parse("2026-04-01");
        LocalDate second = LocalDate.parse("2026-04-02");
        book.put(new Observation("KZT", first, new BigDecimal("478.77"), "nbk", at));
        book.put(new Observation("KZT", second, new BigDecimal("475.09"), "nbk", at));
        book.put(new Observation("KZT", "EUR", second, new BigDecimal("551.06"), "nbk", at));
        book.put(new Observation("KZT", "EUR", second, new BigDecimal("560"), "manual", at));

        assertThat(book.lines()).containsExactlyInAnyOrder("KZT", "EUR/KZT");
        assertThat(book.served("KZT", IN_FORCE, at).values()).extracting(Observation::perUsd)
                .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("478.77"), new BigDecimal("475.09"));
        assertThat(book.served("EUR/KZT", IN_FORCE, at)).hasSize(1)
                .allSatisfy((date, o) -> assertThat(o.source()).isEqualTo("manual"));
        assertThat(book.dates("nbk")).containsExactly(second);
        assertThat(book.dates("manual")).containsExactly(second);
    }

    /** Every value in force for good, every source by a calendar. */
    static final RateBook.Terms IN_FORCE = new RateBook.Terms() {
        @Override
        public Instant staleAt(Observation o) {
            return null;
        }

        @Override
        public boolean calendared(String source) {
            return true;
        }
    };

    /**
     * Banks that publish Monday to Friday, each rate in force until the next weekday's end (UTC); the Bank of Russia
     * Tuesday to Saturday alike; bundled never; values written by hand 36 hours after they came.
     */
    private static final RateBook.Terms WEEKDAYS = new RateBook.Terms() {
        @Override
        public Instant staleAt(Observation o) {
            if (o.source().equals("bundled")) {
                return Instant.MIN;
            }
            if (!calendared(o.source())) {
                return o.fetchedAt().plusSeconds(36 * 3600);
            }
            LocalDate next = o.asOf().plusDays(1);
            while (o.source().equals("cbr") ? next.getDayOfWeek().getValue() == 1 || next.getDayOfWeek().getValue() == 7
                    : next.getDayOfWeek().getValue() > 5) {
                next = next.plusDays(1);
            }
            return next.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        }

        @Override
        public boolean calendared(String source) {
            return !source.startsWith("manual") && !source.equals("bundled");
        }
    };

    private static Observation o(String date, String perUsd, String source) {
        return new Observation("KZT", LocalDate.parse(date), new BigDecimal(perUsd), source,
                Instant.parse(date + "T12:00:00Z"));
    }

    private static Map<String, String> series(RateBook book, String now) {
        Map<String, String> points = new java.util.LinkedHashMap<>();
        book.served("KZT", WEEKDAYS, Instant.parse(now)).forEach((day, o) -> points.put(day.toString(),
                o.source() + " " + o.asOf() + " " + o.perUsd().toPlainString()));
        return points;
    }

    /** Friday's rate is in force through the weekend: the Bank of Russia's Saturday cross is no point of the series. */
    @Test
    void fridaysRateServesTheWeekendAndTheCrossOnlyWhereTheBankLapses() {
        RateBook book = new RateBook(List.of("manual", "nbk", "cbr", "bundled"), Map.of());
        book.put(o("2026-05-21", "479", "nbk"));
        book.put(o("2026-05-22", "480", "nbk"));
        book.put(o("2026-05-23", "470", "cbr"));
        book.put(o("2026-05-24", "478", "bundled"));
        assertThat(series(book, "2026-05-25T06:00:00Z")).containsExactly(
                Map.entry("2026-05-21", "nbk 2026-05-21 479"), Map.entry("2026-05-22", "nbk 2026-05-22 480"));
        book.put(o("2026-05-25", "482.4", "nbk"));
        assertThat(series(book, "2026-05-25T06:00:00Z")).containsExactly(
                Map.entry("2026-05-21", "nbk 2026-05-21 479"), Map.entry("2026-05-22", "nbk 2026-05-22 480"),
                Map.entry("2026-05-25", "nbk 2026-05-25 482.4"));
        // NBK misses Monday and Tuesday: its Friday rate has lapsed by the end of Monday, which the cross of Saturday
        // serves (in force until Tuesday's end); then, with nothing in force, the latest there is
        book.remove(o("2026-05-25", "482.4", "nbk").key());
        assertThat(series(book, "2026-05-28T06:00:00Z")).containsExactly(
                Map.entry("2026-05-21", "nbk 2026-05-21 479"), Map.entry("2026-05-22", "nbk 2026-05-22 480"),
                Map.entry("2026-05-25", "cbr 2026-05-23 470"), Map.entry("2026-05-26", "bundled 2026-05-24 478"));
        // while Monday lasts, Friday's is in force: the series as of Monday noon has no lapse yet
        assertThat(series(book, "2026-05-25T12:00:00Z")).hasSize(2);
    }

    /** A value written by hand serves its own date, and the next ones until any later value comes or it lapses. */
    @Test
    void aValueWrittenByHandGivesWayToAnyLaterValue() {
        RateBook book = new RateBook(List.of("manual", "nbk", "cbr", "bundled"), Map.of());
        book.put(o("2026-05-20", "479", "nbk"));
        book.put(new Observation("KZT", LocalDate.parse("2026-05-21"), new BigDecimal("490"), "manual",
                Instant.parse("2026-05-21T12:00:00Z")));
        book.put(o("2026-05-22", "480", "nbk"));
        assertThat(series(book, "2026-05-22T13:00:00Z")).containsExactly(
                Map.entry("2026-05-20", "nbk 2026-05-20 479"), Map.entry("2026-05-21", "manual 2026-05-21 490"),
                Map.entry("2026-05-22", "nbk 2026-05-22 480"));
    }
}
