package io.rateticker.source;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One rate read from an upstream document: {@code perUsd} units of {@code currency} per USD, effective on {@code asOf};
 * or, for one row of a document of several that cannot be taken, why ({@code refused}, with {@code perUsd} null).
 */
public record SourceRate(String currency, LocalDate asOf, BigDecimal perUsd, String refused) {

    public SourceRate(String currency, LocalDate asOf, BigDecimal perUsd) {
        this(currency, asOf, perUsd, null);
    }

    static SourceRate refused(String currency, LocalDate asOf, String reason) {
        return new SourceRate(currency, asOf, null, reason);
    }
}
