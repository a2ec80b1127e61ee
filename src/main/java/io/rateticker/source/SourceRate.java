package io.rateticker.source;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One rate read from an upstream document: {@code perUsd} units of {@code currency} per USD, effective on {@code asOf}. */
public record SourceRate(String currency, LocalDate asOf, BigDecimal perUsd) {
}
