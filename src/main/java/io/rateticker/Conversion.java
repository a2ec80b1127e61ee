package io.rateticker;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * An amount of one currency in another, at the rate {@code /rates?base=} serves for the pair ({@code rate}: units of
 * {@code to} per unit of {@code from}). {@code stale} is true when the rate is. {@code path}: {@code direct} for a
 * bank's own value (a dollar rate or a row of its table), {@code cross} for two dollar rates crossed; {@code sources}
 * are those of the rate, the base's last.
 */
public record Conversion(String from, String to, BigDecimal amount, BigDecimal result, BigDecimal rate,
        LocalDate asOf, boolean stale, String path, List<String> sources) {
}
