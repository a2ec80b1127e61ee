package io.rateticker.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.TestConfig;
import io.rateticker.config.TickerConfig;
import io.rateticker.source.RateSource;
import io.rateticker.source.Specimens;
import io.rateticker.store.ObservationRepository.Change;
import io.rateticker.stream.StreamBroadcaster.Write;

/**
 * Not a {@code @QuarkusTest}: which {@code rate} events a write makes is a function of the book and the changes, on
 * the real configuration, banks and calendars.
 */
class ChangeEventsTest {

    /** Monday 25 May 2026, 06:00 UTC: Friday's rates in force, Monday's not yet due. */
    private static final Instant NOW = Instant.parse("2026-05-25T06:00:00Z");
    private static final LocalDate FRIDAY = LocalDate.parse("2026-05-22");
    private static final LocalDate MONDAY = LocalDate.parse("2026-05-25");

    private final TickerConfig config = TestConfig.of(Map.of());
    private final List<RateSource> banks = List.copyOf(Specimens.parsers().values());
    private final Pairs pairs = new Pairs(config, banks);
    private final ChangeEvents events = new ChangeEvents(config, Clock.fixed(NOW, ZoneOffset.UTC),
            new Freshness(new Sources(banks, config), config), pairs);
    private final RateBook book = new RateBook(config.sources().preference(), config.sources().currencyPreference());

    private static Observation o(String currency, LocalDate asOf, String perUsd, String source) {
        return new Observation(currency, asOf, new BigDecimal(perUsd), source, NOW);
    }

    private List<Write> apply(Change... changes) {
        return events.apply(book, List.of(changes), new HashMap<>());
    }

    private static List<String> pairs(Write write) {
        return write.rates().stream().map(Rate::pair).toList();
    }

    @Test
    void aWriteThatChangesAServedRateIsOneEventOfItsPairAgainstEveryBase() {
        List<Write> writes = apply(new Change(1, 1, o("KZT", FRIDAY, "480", "nbk"), false));
        assertThat(writes).singleElement().satisfies(write -> {
            assertThat(write.id()).isEqualTo(1);
            // the dollar rate first, then the pair against the tenge: NBK's own dollar, turned round
            assertThat(pairs(write)).containsExactly("KZT/USD", "USD/KZT");
            Rate kzt = write.rates().get(0);
            assertThat(kzt.source()).isEqualTo("nbk");
            assertThat(kzt.perUsd()).isEqualByComparingTo("480");
            assertThat(kzt.changePercent()).isNull();
        });
    }

    @Test
    void aValueThatDoesNotServeMakesNoEvent() {
        apply(new Change(1, 1, o("KZT", FRIDAY, "480", "nbk"), false));
        // the Bank of Russia's cross of the same day ranks below NBK: nothing served changes
        assertThat(apply(new Change(2, 2, o("KZT", FRIDAY, "481", "cbr"), false))).isEmpty();
    }

    @Test
    void theChangesOfOneWriteAreOneEventCarryingTheWritesLastSequence() {
        apply(new Change(1, 1, o("KZT", FRIDAY, "480", "nbk"), false));
        List<Write> writes = apply(new Change(2, 3, o("KZT", MONDAY, "482.40", "nbk"), false),
                new Change(3, 3, o("KGS", FRIDAY, "87.45", "nbkr"), false));
        assertThat(writes).singleElement().satisfies(write -> {
            assertThat(write.id()).isEqualTo(3);
            // the dollar rates in configured order, then every pair they moved: the som's cross in tenge among them
            assertThat(pairs(write).subList(0, 2)).containsExactly("KGS/USD", "KZT/USD");
            assertThat(pairs(write)).contains("USD/KZT", "KGS/KZT", "USD/KGS", "KZT/KGS").doesNotHaveDuplicates();
            Rate kzt = write.rates().get(1);
            assertThat(kzt.asOf()).isEqualTo(MONDAY);
            assertThat(kzt.previousAsOf()).isEqualTo(FRIDAY);
            // the change of the rate (dollars per tenge): 480 / 482.40 - 1
            assertThat(kzt.changePercent()).isEqualByComparingTo("-0.4975");
        });
    }

    @Test
    void aDeletionOfTheServedValueBringsBackTheOneBeforeIt() {
        apply(new Change(1, 1, o("KZT", FRIDAY, "480", "nbk"), false),
                new Change(2, 2, o("KZT", MONDAY, "482.40", "nbk"), false));
        List<Write> writes = apply(new Change(3, 3, o("KZT", MONDAY, "482.40", "nbk"), true));
        assertThat(writes).singleElement().satisfies(write -> {
            assertThat(write.id()).isEqualTo(3);
            Rate kzt = write.rates().get(0);
            assertThat(kzt.pair()).isEqualTo("KZT/USD");
            assertThat(kzt.asOf()).isEqualTo(FRIDAY);
            assertThat(kzt.perUsd()).isEqualByComparingTo("480");
        });
    }
}
