package io.rateticker;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The served rate of one currency against USD, exactly as the API and the stream write it. The change is from the
 * previous publication of the same source ({@code previousAsOf}, {@code previousSource}); all three are null when that
 * source has none.
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
        boolean stale) {
}
