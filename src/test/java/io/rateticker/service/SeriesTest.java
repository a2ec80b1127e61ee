package io.rateticker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.rateticker.Observation;

/** Series rows from a served map: every publication, and weekly and monthly OHLC computed here by hand. */
class SeriesTest {

    private static final NavigableMap<LocalDate, Observation> UZS = served(
            "2016-12-30", "3231.48",
            "2017-01-02", "3240",
            "2017-01-03", "3235.5",
            "2017-01-05", "3250.25",
            "2017-01-06", "3250.25",
            "2017-01-31", "3300",
            "2017-02-01", "3310.1");

    @Test
    void daysAreEveryPublicationWithTheChangeFromTheOneBeforeTheRange() throws IOException {
        List<Series.Day> days = new ArrayList<>();
        Series.days("UZS", "USD", code -> UZS, LocalDate.parse("2017-01-02"), LocalDate.parse("2017-01-04"), days::add);
        assertThat(days).extracting(Series.Day::asOf).containsExactly(LocalDate.parse("2017-01-02"),
                LocalDate.parse("2017-01-03"));
        Series.Day first = days.get(0);
        assertThat(first.pair()).isEqualTo("UZS/USD");
        assertThat(first.perUsd()).isEqualByComparingTo("3240");
        // 1 / 3240 to 12 significant digits
        assertThat(first.rate()).isEqualByComparingTo("0.000308641975309");
        // from 2016-12-30, outside the range: (3231.48 / 3240 − 1) × 100
        assertThat(first.changePercent()).isEqualByComparingTo("-0.263");
        assertThat(days.get(1).changePercent()).isEqualByComparingTo("0.1391"); // 3240 / 3235.5 − 1
    }

    @Test
    void weeksAreIsoWeeksClippedToTheRange() throws IOException {
        List<Series.Period> weeks = periods(LocalDate.parse("2016-12-28"), LocalDate.parse("2017-02-01"),
                Series.Group.WEEK);
        assertThat(weeks).extracting(Series.Period::period).containsExactly("2016-W52", "2017-W01", "2017-W05");

        Series.Period w52 = weeks.get(0);
        assertThat(List.of(w52.start(), w52.end())).containsExactly(LocalDate.parse("2016-12-28"),
                LocalDate.parse("2017-01-01"));
        ohlc(w52, "2016-12-30", "2016-12-30", "2016-12-30", "2016-12-30", 1);

        Series.Period w01 = weeks.get(1);
        assertThat(List.of(w01.start(), w01.end())).containsExactly(LocalDate.parse("2017-01-02"),
                LocalDate.parse("2017-01-08"));
        // high: fewest UZS per USD (3235.5 on the 3rd); low: most (3250.25, first on the 5th, again on the 6th)
        ohlc(w01, "2017-01-02", "2017-01-03", "2017-01-05", "2017-01-06", 4);

        Series.Period w05 = weeks.get(2);
        assertThat(List.of(w05.start(), w05.end())).containsExactly(LocalDate.parse("2017-01-30"),
                LocalDate.parse("2017-02-01"));
        ohlc(w05, "2017-01-31", "2017-01-31", "2017-02-01", "2017-02-01", 2);
        assertThat(w05.open()).isEqualByComparingTo("0.000303030303030"); // 1 / 3300
        assertThat(w05.close()).isEqualByComparingTo(RateMath.rate(new BigDecimal("3310.1")));
    }

    @Test
    void monthsSpanTheirWholeMonthInsideTheRange() throws IOException {
        List<Series.Period> months = periods(LocalDate.parse("2016-01-01"), LocalDate.parse("2026-12-31"),
                Series.Group.MONTH);
        assertThat(months).extracting(Series.Period::period).containsExactly("2016-12", "2017-01", "2017-02");
        Series.Period january = months.get(1);
        assertThat(List.of(january.start(), january.end())).containsExactly(LocalDate.parse("2017-01-01"),
                LocalDate.parse("2017-01-31"));
        ohlc(january, "2017-01-02", "2017-01-03", "2017-01-31", "2017-01-31", 5);
    }

    @Test
    void theIsoYearOfAWeekIsNotAlwaysTheCalendarYear() throws IOException {
        List<Series.Period> weeks = new ArrayList<>();
        Series.periods("UZS", "USD", code -> served("2021-01-01", "10450"), LocalDate.parse("2021-01-01"),
                LocalDate.parse("2021-01-31"), Series.Group.WEEK, weeks::add);
        assertThat(weeks).extracting(Series.Period::period).containsExactly("2020-W53");
        assertThat(weeks.get(0).start()).isEqualTo("2021-01-01");
        assertThat(weeks.get(0).end()).isEqualTo("2021-01-03");
    }

    /**
     * Against the tenge: USD/KZT is the tenge's own dollar rate; KGS/KZT is on every date either publishes, crossing
     * the two values in force (KGS's 87.3 of the 1st still on the 4th).
     */
    @Test
    void againstAnotherBaseAPairIsOnTheDatesOfEither() throws IOException {
        Map<String, NavigableMap<LocalDate, Observation>> served = Map.of(
                "KZT", servedOf("KZT", "2025-08-01", "538", "2025-08-04", "540.5"),
                "KGS", servedOf("KGS", "2025-08-01", "87.3", "2025-08-05", "87.4"));
        LocalDate from = LocalDate.parse("2025-08-01");
        LocalDate to = LocalDate.parse("2025-08-05");
        List<Series.Day> dollar = new ArrayList<>();
        Series.days("USD", "KZT", served::get, from, to, dollar::add);
        assertThat(dollar).extracting(Series.Day::pair).containsOnly("USD/KZT");
        assertThat(dollar).extracting(Series.Day::rate).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("538"), new BigDecimal("540.5"));
        assertThat(dollar.get(1).changePercent()).isEqualByComparingTo("0.4647"); // 540.5 / 538 − 1
        assertThat(dollar.get(1).perUsd()).isEqualByComparingTo("1");

        List<Series.Day> cross = new ArrayList<>();
        Series.days("KGS", "KZT", served::get, from, to, cross::add);
        assertThat(cross).extracting(Series.Day::asOf).containsExactly(from, LocalDate.parse("2025-08-04"), to);
        assertThat(cross).extracting(Series.Day::source).containsOnly("cross");
        assertThat(cross).extracting(Series.Day::rate).usingElementComparator(BigDecimal::compareTo).containsExactly(
                new BigDecimal("6.16265750286"), new BigDecimal("6.19129438717"), new BigDecimal("6.18421052632"));
        assertThat(cross.get(0).changePercent()).isNull();
        assertThat(cross.get(1).changePercent()).isEqualByComparingTo("0.4647"); // the tenge moved
        assertThat(cross.get(2).changePercent()).isEqualByComparingTo("-0.1144"); // the som moved: 87.3 / 87.4 − 1

        List<Series.Period> weeks = new ArrayList<>();
        Series.periods("KGS", "KZT", served::get, from, to, Series.Group.WEEK, weeks::add);
        assertThat(weeks).extracting(Series.Period::period).containsExactly("2025-W31", "2025-W32");
        assertThat(List.of(weeks.get(1).highAsOf(), weeks.get(1).lowAsOf())).as("highest: most tenge per som")
                .containsExactly(LocalDate.parse("2025-08-04"), to);
    }

    @Test
    void aGroupIsDayWeekOrMonth() {
        assertThat(Series.Group.of(null)).isEqualTo(Series.Group.DAY);
        assertThat(Series.Group.of("Month")).isEqualTo(Series.Group.MONTH);
        assertThatThrownBy(() -> Series.Group.of("year")).isInstanceOf(RequestException.class)
                .hasMessage("group: 'year' is not one of day, week, month");
    }

    private static void ohlc(Series.Period period, String open, String high, String low, String close, int count) {
        assertThat(List.of(period.openAsOf(), period.highAsOf(), period.lowAsOf(), period.closeAsOf()))
                .as(period.period()).containsExactly(LocalDate.parse(open), LocalDate.parse(high),
                        LocalDate.parse(low), LocalDate.parse(close));
        assertThat(List.of(period.open(), period.high(), period.low(), period.close())).as(period.period())
                .containsExactly(rateOf(open), rateOf(high), rateOf(low), rateOf(close));
        assertThat(period.publications()).isEqualTo(count);
    }

    private static BigDecimal rateOf(String date) {
        return RateMath.rate(UZS.getOrDefault(LocalDate.parse(date), null).perUsd());
    }

    private static List<Series.Period> periods(LocalDate from, LocalDate to, Series.Group group) throws IOException {
        List<Series.Period> periods = new ArrayList<>();
        Series.periods("UZS", "USD", code -> UZS, from, to, group, periods::add);
        return periods;
    }

    private static NavigableMap<LocalDate, Observation> served(String... datesAndValues) {
        return servedOf("UZS", datesAndValues);
    }

    private static NavigableMap<LocalDate, Observation> servedOf(String currency, String... datesAndValues) {
        NavigableMap<LocalDate, Observation> served = new TreeMap<>();
        for (int i = 0; i < datesAndValues.length; i += 2) {
            LocalDate date = LocalDate.parse(datesAndValues[i]);
            served.put(date, new Observation(currency, date, new BigDecimal(datesAndValues[i + 1]), "manual",
                    Instant.parse("2025-09-01T00:00:00Z")));
        }
        return served;
    }
}
