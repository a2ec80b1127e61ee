package io.rateticker.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.rateticker.Observation;
import io.rateticker.config.TickerConfig;

/** Not a {@code @QuarkusTest}: which observation is served, and what the guard holds back, is plain logic. */
class RateGuardTest {

    private static final Instant NOW = Instant.parse("2026-05-25T06:00:00Z");
    private static final LocalDate D1 = LocalDate.of(2026, 5, 24);
    private static final LocalDate D2 = LocalDate.of(2026, 5, 25);

    private static final TickerConfig.Guard CONFIG = new TickerConfig.Guard() {
        @Override
        public BigDecimal maxChangePercent() {
            return BigDecimal.valueOf(15);
        }

        @Override
        public Duration referenceMaxAge() {
            return Duration.ofDays(10);
        }

        @Override
        public BigDecimal confirmPercent() {
            return BigDecimal.ONE;
        }

        @Override
        public BigDecimal divergencePercent() {
            return BigDecimal.valueOf(2);
        }

        @Override
        public Map<String, TickerConfig.Band> bands() {
            return Map.of("TMT", new TickerConfig.Band() {
                @Override
                public BigDecimal min() {
                    return new BigDecimal("3.3");
                }

                @Override
                public BigDecimal max() {
                    return new BigDecimal("3.7");
                }
            });
        }
    };

    /** Every value in force for good: which one is served is the question here, not when. */
    private static final RateBook.Terms FOREVER = RateBookTest.IN_FORCE;

    /** Checks {@code o}, expects it held back, and stores it so. */
    private void heldBack(Observation o) {
        Observation held = guard.check(o, book).get(0);
        assertThat(held.isRejected()).as("%s held back", o).isTrue();
        book.put(held);
    }

    private static Observation o(String currency, LocalDate date, String perUsd, String source) {
        return new Observation(currency, date, new BigDecimal(perUsd), source, NOW);
    }

    private final RateBook book = new RateBook(List.of("manual", "nbkr", "cbt", "cbr", "bundled"),
            Map.of("TMT", List.of("manual", "cbr", "cbt")));
    /** The banks: every source but manual, bundled and unlisted. */
    private final RateGuard guard = new RateGuard(CONFIG, source -> Set.of("nbkr", "cbt", "cbr").contains(source));

    @Test
    void theIssuingBankIsServedBeforeTheCrossAndAPerCurrencyOrderOverridesIt() {
        book.put(o("KGS", D1, "87.45", "nbkr"));
        book.put(o("KGS", D1, "87.40", "cbr"));
        book.put(o("KGS", D1, "87.00", "unlisted"));
        assertThat(book.served("KGS", FOREVER, NOW).get(D1).source()).isEqualTo("nbkr");
        book.put(o("TMT", D1, "3.5", "cbt"));
        book.put(o("TMT", D1, "3.51", "cbr"));
        assertThat(book.served("TMT", FOREVER, NOW).get(D1).source()).isEqualTo("cbr");
        assertThat(book.sources("KGS")).containsExactly("nbkr", "cbr", "unlisted");
    }

    @Test
    void heldBackValuesAreNeverServed() {
        book.put(o("KGS", D1, "87.45", "nbkr"));
        book.put(o("KGS", D2, "874.5", "nbkr").withRejected("too far"));
        assertThat(book.served("KGS", FOREVER, NOW).lastKey()).isEqualTo(D1);
    }

    @Test
    void outsideTheBandIsHeldBack() {
        book.put(o("TMT", D1, "3.5", "cbt"));
        List<Observation> result = guard.check(o("TMT", D2, "3.02", "cbt"), book);
        assertThat(result).singleElement().satisfies(r -> assertThat(r.rejected()).contains("3.3–3.7"));
    }

    @Test
    void aJumpOverTheLimitIsHeldBackAndOneUnderItPasses() {
        book.put(o("KGS", D1, "87.45", "nbkr"));
        assertThat(guard.check(o("KGS", D2, "874.5", "nbkr"), book).get(0).rejected())
                .isEqualTo("moves 900 % from 87.45 (nbkr, 2026-05-24), more than 15 %");
        assertThat(guard.check(o("KGS", D2, "100", "nbkr"), book).get(0).isRejected()).isFalse(); // +14.35 %
        assertThat(guard.check(o("KGS", D2, "74", "nbkr"), book).get(0).isRejected()).isTrue(); // -15.38 %
    }

    @Test
    void aSecondSourceWithinOnePercentConfirmsEitherWay() {
        book.put(o("KGS", D1, "87.45", "nbkr"));
        heldBack(o("KGS", D2, "105", "nbkr"));
        List<Observation> confirmed = guard.check(o("KGS", D2, "105.9", "cbr"), book);
        assertThat(confirmed).extracting(Observation::source).containsExactly("cbr", "nbkr");
        assertThat(confirmed).noneMatch(Observation::isRejected);
        assertThat(confirmed.get(1).released()).isEqualTo("confirmed by cbr for the same date");
        // 2 % away confirms nothing
        assertThat(guard.check(o("KGS", D2, "107.2", "cbr"), book).get(0).isRejected()).isTrue();
    }

    @Test
    void theSameValueAgainKeepsItsVerdict() {
        book.put(o("KGS", D1, "87.45", "nbkr"));
        book.put(o("KGS", D2, "874.5", "nbkr").withRejected("too far"));
        assertThat(guard.check(o("KGS", D2, "874.5", "nbkr"), book).get(0).rejected()).isEqualTo("too far");
    }

    @Test
    void aReferenceOlderThanTheMaxAgeIsNoneAndOnlyTheBandsApply() {
        book.put(o("KGS", D1.minusDays(11), "87.45", "nbkr"));
        assertThat(guard.check(o("KGS", D2, "120", "nbkr"), book).get(0).isRejected()).as("37 % after 12 days")
                .isFalse();
        book.put(o("KGS", D1.minusDays(9), "87.45", "nbkr"));
        assertThat(guard.check(o("KGS", D2, "120", "nbkr"), book).get(0).rejected())
                .isEqualTo("moves 37.2213 % from 87.45 (nbkr, 2026-05-15), more than 15 %");
        // ... and the bands apply whatever the reference
        assertThat(guard.check(o("TMT", D2, "3.02", "cbt"), book).get(0).isRejected()).isTrue();
    }

    @Test
    void bundledAndManualValuesAreNeverAReference() {
        book.put(o("KGS", D1, "87.45", "bundled"));
        book.put(o("KGS", D1.minusDays(1), "87.45", "manual"));
        assertThat(guard.check(o("KGS", D2, "120", "nbkr"), book).get(0).isRejected()).isFalse();
        // another bank is one: the Bank of Russia's cross of the day before
        book.put(o("KGS", D1.minusDays(2), "87.40", "cbr"));
        assertThat(guard.check(o("KGS", D2, "120", "nbkr"), book).get(0).rejected()).contains("(cbr, 2026-05-22)");
    }

    @Test
    void theSameSourcesNextPublicationConfirmsAJumpAndReleasesBoth() {
        book.put(o("KGS", D1.minusDays(1), "87.45", "nbkr"));
        heldBack(o("KGS", D1, "105", "nbkr"));
        // 2 % further the next day: held back too
        Observation further = guard.check(o("KGS", D2, "107.2", "nbkr"), book).get(0);
        assertThat(further.isRejected()).isTrue();
        // within 1 % of the one held back: both accepted, and the earlier one says what released it
        List<Observation> confirmed = guard.check(o("KGS", D2, "105.5", "nbkr"), book);
        assertThat(confirmed).extracting(Observation::asOf).containsExactly(D2, D1);
        assertThat(confirmed).noneMatch(Observation::isRejected);
        assertThat(confirmed.get(1).released()).isEqualTo("confirmed by nbkr's next publication (2026-05-25)");
    }

    @Test
    void aNextPublicationDoesNotReleaseAValueOutsideTheBand() {
        book.put(o("TMT", D1, "3.02", "cbt").withRejected("outside the plausible range"));
        assertThat(guard.check(o("TMT", D2, "3.03", "cbt"), book)).singleElement()
                .satisfies(r -> assertThat(r.isRejected()).isTrue());
    }

    /** Backfill goes newest first: a day is checked against the later day it fills in front of. */
    @Test
    void aBackfilledDayIsCheckedAgainstItsLaterNeighbour() {
        book.put(o("KGS", D2, "87.45", "nbkr"));
        assertThat(guard.check(o("KGS", D1, "874.5", "nbkr"), book).get(0).rejected())
                .isEqualTo("moves 900 % from 87.45 (nbkr, 2026-05-25), more than 15 %");
        assertThat(guard.check(o("KGS", D1, "87.5", "nbkr"), book).get(0).isRejected()).isFalse();
    }

    /** A day filled in between is held back only when it jumps against both: a real move lies on one side. */
    @Test
    void aDayBetweenItsNeighboursIsHeldBackOnlyForAJumpAgainstBoth() {
        book.put(o("KGS", D1.minusDays(1), "87.45", "nbkr"));
        book.put(o("KGS", D2, "105", "nbkr"));
        assertThat(guard.check(o("KGS", D1, "105.5", "nbkr"), book).get(0).isRejected()).as("the move's first day")
                .isFalse();
        assertThat(guard.check(o("KGS", D1, "87.5", "nbkr"), book).get(0).isRejected()).as("the day before it")
                .isFalse();
        assertThat(guard.check(o("KGS", D1, "874.5", "nbkr"), book).get(0).rejected())
                .isEqualTo("moves 900 % from 87.45 (nbkr, 2026-05-23), more than 15 %");
    }

    /**
     * A devaluation backfilled newest first: the last day before it is held back against the first day after it,
     * and the day before that, within 1 % of it, confirms it as a next publication does live.
     */
    @Test
    void aMoveBackfilledNewestFirstIsConfirmedByTheSameSourcesEarlierPublication() {
        book.put(o("KGS", D2, "105", "nbkr"));
        heldBack(o("KGS", D1, "87.45", "nbkr"));
        List<Observation> confirmed = guard.check(o("KGS", D1.minusDays(1), "87.5", "nbkr"), book);
        assertThat(confirmed).extracting(Observation::asOf).containsExactly(D1.minusDays(1), D1);
        assertThat(confirmed).noneMatch(Observation::isRejected);
        assertThat(confirmed.get(1).released()).isEqualTo("confirmed by nbkr's publication of 2026-05-23");
    }
}
