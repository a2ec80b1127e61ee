package io.rateticker.service;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** The arithmetic of the API, in one place: exact decimals, explicit rounding, no binary floating point. */
public final class RateMath {

    /** Intermediate results carry 34 significant digits (IEEE 754 decimal128). */
    static final MathContext WORKING = MathContext.DECIMAL128;
    static final MathContext PUBLISHED = new MathContext(12, RoundingMode.HALF_EVEN);
    static final int PERCENT_DECIMALS = 4;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private RateMath() {
    }

    /** USD per one unit of the currency, to 12 significant digits. */
    public static BigDecimal rate(BigDecimal perUsd) {
        return BigDecimal.ONE.divide(perUsd, PUBLISHED).stripTrailingZeros();
    }

    /**
     * Units of the currency per USD as served: as published, or, for a value derived by a division (a cross rate, or
     * one given as a rate), rounded like {@link #rate} to 12 significant digits. The store keeps it exact.
     */
    public static BigDecimal servedPerUsd(BigDecimal perUsd) {
        return perUsd.precision() > PUBLISHED.getPrecision() ? perUsd.round(PUBLISHED).stripTrailingZeros() : perUsd;
    }

    /** Units of the currency per USD, for a value given as USD per unit. */
    public static BigDecimal perUsdFromRate(BigDecimal rate) {
        return BigDecimal.ONE.divide(rate, WORKING);
    }

    /**
     * The change of the X/USD rate from {@code previousPerUsd} to {@code perUsd}, in percent, to 4 decimals:
     * {@code (previousPerUsd / perUsd − 1) × 100}. A currency that needs fewer units per USD has risen.
     */
    public static BigDecimal changePercent(BigDecimal previousPerUsd, BigDecimal perUsd) {
        return previousPerUsd.divide(perUsd, WORKING)
                .subtract(BigDecimal.ONE)
                .multiply(HUNDRED, WORKING)
                .setScale(PERCENT_DECIMALS, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
    }

    /** Units of {@code to} per unit of {@code from}, both given per USD, to 12 significant digits. */
    public static BigDecimal crossRate(BigDecimal fromPerUsd, BigDecimal toPerUsd) {
        return toPerUsd.divide(fromPerUsd, WORKING).round(PUBLISHED).stripTrailingZeros();
    }

    /** {@code amount} of {@code from} in units of {@code to}, to 12 significant digits, rounded once at the end. */
    public static BigDecimal convert(BigDecimal amount, BigDecimal fromPerUsd, BigDecimal toPerUsd) {
        return amount.multiply(toPerUsd, WORKING).divide(fromPerUsd, WORKING).round(PUBLISHED).stripTrailingZeros();
    }
}
