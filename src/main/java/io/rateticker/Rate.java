package io.rateticker;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** The served rate of one currency against USD, exactly as the API and the stream write it. */
public record Rate(
        String pair,
        String currency,
        BigDecimal rate,
        BigDecimal perUsd,
        BigDecimal previousRate,
        BigDecimal changePercent,
        LocalDate asOf,
        String source,
        Instant fetchedAt,
        boolean stale) {
}
