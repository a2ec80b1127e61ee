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
        assertThat(book.served("KZT").values()).extracting(Observation::perUsd)
                .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("478.77"), new BigDecimal("475.09"));
        assertThat(book.latestServed("EUR/KZT").source()).isEqualTo("manual");
        assertThat(book.previousOf(book.latestServed("KZT")).asOf()).isEqualTo(first);
        assertThat(book.previousOf(book.on("EUR/KZT", second).get("nbk"))).as("no earlier euro of NBK's").isNull();
        assertThat(book.dates("nbk")).containsExactly(second);
        assertThat(book.dates("manual")).containsExactly(second);
    }
}
