package io.rateticker.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.rateticker.Observation;
import io.rateticker.config.JsonCustomizer;

/** Not a {@code @QuarkusTest}: the arithmetic is plain static methods. */
class RateMathTest {

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    @Test
    void rateIsOneOverPerUsdToTwelveSignificantDigits() {
        assertThat(RateMath.rate(d("87.45"))).isEqualByComparingTo("0.0114351057747");
        assertThat(RateMath.rate(d("87.45")).precision()).isEqualTo(12);
        assertThat(RateMath.rate(d("3.5"))).isEqualByComparingTo("0.285714285714");
    }

    @Test
    void uzsKeepsTwelveSignificantDigitsNotTwoDecimals() {
        BigDecimal rate = RateMath.rate(d("12194.21"));
        assertThat(rate.toPlainString()).isEqualTo("0.0000820061324186");
        assertThat(rate.precision()).isEqualTo(12);
    }

    @Test
    void rateDropsTrailingZeros() {
        assertThat(RateMath.rate(d("0.5")).toPlainString()).isEqualTo("2");
        assertThat(RateMath.rate(d("4")).toPlainString()).isEqualTo("0.25");
    }

    @Test
    void changePercentIsTheChangeOfTheCurrencyAgainstUsd() {
        // KZT: 478.77 → 475.09 per USD: the tenge rose by 0.7746 %
        assertThat(RateMath.changePercent(d("478.77"), d("475.09"))).isEqualByComparingTo("0.7746");
        // TJS: 9.3371 → 9.3450 per USD: the somoni fell
        assertThat(RateMath.changePercent(d("9.3371"), d("9.3450"))).isEqualByComparingTo("-0.0845");
        assertThat(RateMath.changePercent(d("3.5"), d("3.5")).toPlainString()).isEqualTo("0");
    }

    @Test
    void changePercentRoundsHalfEvenToFourDecimals() {
        // exactly 0.00125 % and 0.00375 %: ties go to the even digit
        assertThat(RateMath.changePercent(d("1.0000125"), BigDecimal.ONE)).isEqualByComparingTo("0.0012");
        assertThat(RateMath.changePercent(d("1.0000375"), BigDecimal.ONE)).isEqualByComparingTo("0.0038");
        assertThat(RateMath.changePercent(BigDecimal.ONE, d("1.0000125"))).isEqualByComparingTo("-0.0012");
    }

    @Test
    void perUsdFromRateKeeps34DigitsSoThatTheRateRoundTrips() {
        BigDecimal perUsd = RateMath.perUsdFromRate(d("0.0000820061"));
        assertThat(perUsd.precision()).isEqualTo(34);
        assertThat(perUsd).isEqualByComparingTo("12194.21482060480866667235730024962");
        assertThat(RateMath.rate(perUsd).toPlainString()).isEqualTo("0.0000820061");
    }

    @Test
    void aPublishedPerUsdIsServedAsPublishedAndADerivedOneWith12Digits() {
        assertThat(RateMath.servedPerUsd(d("87.4500")).toPlainString()).isEqualTo("87.4500");
        assertThat(RateMath.servedPerUsd(d("12194.2148206048")).toPlainString()).isEqualTo("12194.2148206");
        assertThat(RateMath.servedPerUsd(RateMath.perUsdFromRate(d("0.0000820061"))).toPlainString())
                .isEqualTo("12194.2148206");
        assertThat(RateMath.servedPerUsd(d("462.8692422719584242394528473022332")).toPlainString())
                .isEqualTo("462.869242272");
        assertThat(RateMath.servedPerUsd(d("3.500000000000000000000000000000000")).toPlainString()).isEqualTo("3.5");
    }

    @Test
    void convertGoesThroughUsdAndRoundsOnceAtTheEnd() {
        assertThat(RateMath.convert(d("1000"), d("475.09"), d("12142.10"))).isEqualByComparingTo("25557.4733208");
        assertThat(RateMath.crossRate(d("475.09"), d("12142.10"))).isEqualByComparingTo("25.5574733208");
        assertThat(RateMath.convert(BigDecimal.ONE, BigDecimal.ONE, d("87.45"))).isEqualByComparingTo("87.45");
        assertThat(RateMath.convert(d("87.45"), d("87.45"), BigDecimal.ONE)).isEqualByComparingTo("1");
    }

    @Test
    void observationsAreStoredCanonically() {
        Observation o = new Observation("KGS", LocalDate.of(2026, 5, 24), d("87.4500"), "nbkr",
                Instant.parse("2026-05-24T06:00:00.123456789Z"));
        assertThat(o.perUsd().toPlainString()).isEqualTo("87.45");
        assertThat(o.fetchedAt()).isEqualTo(Instant.parse("2026-05-24T06:00:00.123Z"));
        assertThat(Observation.canonical(d("1e-40")).signum()).isZero();
        assertThat(Observation.canonical(d("0.1234567890123456789012345678912345678")).scale())
                .isEqualTo(Observation.STORED_SCALE);
    }

    @Test
    void jsonNumbersAreWrittenInPlainNotation() throws Exception {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        new JsonCustomizer().customize(mapper);
        assertThat(mapper.writeValueAsString(d("8.20061E-5"))).isEqualTo("0.0000820061");
        assertThat(mapper.writeValueAsString(d("1E+3"))).isEqualTo("1000");
        assertThat(mapper.writeValueAsString(LocalDate.of(2026, 5, 24))).isEqualTo("\"2026-05-24\"");
        assertThat(mapper.writeValueAsString(Instant.parse("2026-05-24T00:00:00Z"))).isEqualTo("\"2026-05-24T00:00:00Z\"");
    }
}
