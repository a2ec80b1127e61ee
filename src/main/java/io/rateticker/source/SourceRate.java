package io.rateticker.source;

import java.math.BigDecimal;
import java.time.LocalDate;

import io.rateticker.Observation;

/**
 * One row read from an upstream document: {@code value} units of {@code currency} per 1 {@code quote}, effective on
 * {@code asOf} (a dollar row when the quote is USD); or, for one row of a document of several that cannot be taken,
 * why ({@code refused}, with {@code value} null).
 */
public record SourceRate(String currency, String quote, LocalDate asOf, BigDecimal value, String refused) {

    /** A dollar row. */
    public SourceRate(String currency, LocalDate asOf, BigDecimal perUsd) {
        this(currency, Observation.USD, asOf, perUsd, null);
    }

    static SourceRate refused(String currency, String quote, LocalDate asOf, String reason) {
        return new SourceRate(currency, quote, asOf, null, reason);
    }
}
