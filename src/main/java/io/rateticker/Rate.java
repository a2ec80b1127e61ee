package io.rateticker;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The served rate of one currency against a base (USD unless asked otherwise), exactly as the API and the stream write
 * it: the value in force. The change is from the value served before it ({@code previousAsOf},
 * {@code previousSource}, whatever its source); all three are null when none was. Against another base than USD,
 * {@code inverse} is units of the currency per unit of the base and {@code cross} says whether the pair is a cross of
 * two dollar rates, whose {@code sources} it names (the base's last); the three are left out against USD.
 */
public record Rate(
        String pair,
        String currency,
        BigDecimal rate,
        BigDecimal perUsd,
        BigDecimal previousRate,
        BigDecimal changePercent,
        LocalDate previousAsOf,
        String previousSource,
        LocalDate asOf,
        String source,
        Instant fetchedAt,
        boolean stale,
        @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal inverse,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean cross,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> sources) {

    /** Against USD. */
    public Rate(String pair, String currency, BigDecimal rate, BigDecimal perUsd, BigDecimal previousRate,
            BigDecimal changePercent, LocalDate previousAsOf, String previousSource, LocalDate asOf, String source,
            Instant fetchedAt, boolean stale) {
        this(pair, currency, rate, perUsd, previousRate, changePercent, previousAsOf, previousSource, asOf, source,
                fetchedAt, stale, null, null, null);
    }
}
