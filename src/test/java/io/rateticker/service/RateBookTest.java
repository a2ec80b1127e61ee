package io.rateticker.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RateBookTest {

    @Test
    void everyManualSourceRanksAsManualAheadOfTheBanks() {
        RateBook book = new RateBook(List.of("manual", "nbkr", "cbr", "bundled"), Map.of());
        List<String> ranked = List.of("bundled", "cbr", "manual-desk-2", "nbkr", "zzz", "manual").stream()
                .sorted(book.preference("KGS")).toList();
        assertThat(ranked).containsExactly("manual", "manual-desk-2", "nbkr", "cbr", "bundled", "zzz");
    }
}
