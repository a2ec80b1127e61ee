package io.rateticker.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** What one write did, as the admin API and a fetch's outcome report it: counts by outcome, and each item. */
public record IngestResult(int accepted, int unchanged, int rejected, int released, List<Item> items) {

    /**
     * One observation and its outcome: {@code accepted}, {@code unchanged}, {@code rejected} (held back, or a row
     * refused before it was stored, with the reason), {@code released} (held back before, accepted now; the reason
     * says who or what released it) or {@code deleted}.
     */
    public record Item(String currency, String quote, LocalDate asOf, BigDecimal perUsd, String source,
            String outcome, String reason) {
    }

    static final IngestResult NOTHING = of(List.of());

    /** The counts of these items. */
    static IngestResult of(List<Item> items) {
        return new IngestResult(count(items, "accepted"), count(items, "unchanged"), count(items, "rejected"),
                count(items, "released"), List.copyOf(items));
    }

    /** This result and some more items (rows refused before they could be stored). */
    IngestResult and(List<Item> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<Item> all = new ArrayList<>(items);
        all.addAll(more);
        return of(all);
    }

    private static int count(List<Item> items, String outcome) {
        return (int) items.stream().filter(i -> i.outcome().equals(outcome)).count();
    }
}
