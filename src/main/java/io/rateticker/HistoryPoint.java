package io.rateticker;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One served observation in a currency's history. */
public record HistoryPoint(LocalDate asOf, BigDecimal rate, BigDecimal perUsd, BigDecimal changePercent, String source) {
}
