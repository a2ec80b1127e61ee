package io.rateticker;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One value of a pair's served series: the publication ({@code asOf}, {@code source}) and the day it is served from,
 * which is later than its date where it serves once a preferred source's value lapsed.
 */
public record HistoryPoint(LocalDate asOf, BigDecimal rate, BigDecimal perUsd, BigDecimal changePercent, String source,
        LocalDate servedFrom) {
}
