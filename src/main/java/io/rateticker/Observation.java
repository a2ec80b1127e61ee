package io.rateticker;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * One published value: {@code perUsd} units of {@code currency} per 1 {@code quote}, effective on {@code asOf},
 * as given by {@code source} and last received at {@code fetchedAt}. Most are dollar rows ({@code quote} USD, which
 * {@code perUsd} is named after); a bank's table gives its own currency against other quotes too ({@code KZT} per
 * {@code EUR}). {@code rejected} is null for a value that may be served, or says why the sanity guard holds it back;
 * {@code released} says who or what released a value the guard had held back (null for every other).
 */
public record Observation(String currency, String quote, LocalDate asOf, BigDecimal perUsd, String source,
        Instant fetchedAt, String rejected, String released) {

    /** The store keeps 30 decimals; larger precision than that is noise no central bank publishes. */
    public static final int STORED_SCALE = 30;

    public static final String USD = "USD";

    public Observation {
        perUsd = canonical(perUsd);
        // The database keeps microseconds at best: keep memory and store identical.
        fetchedAt = fetchedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** An accepted dollar row. */
    public Observation(String currency, LocalDate asOf, BigDecimal perUsd, String source, Instant fetchedAt) {
        this(currency, USD, asOf, perUsd, source, fetchedAt, null, null);
    }

    /** An accepted row of {@code quote}. */
    public Observation(String currency, String quote, LocalDate asOf, BigDecimal value, String source,
            Instant fetchedAt) {
        this(currency, quote, asOf, value, source, fetchedAt, null, null);
    }

    /**
     * The series a value belongs to: a dollar row's is its currency ({@code KZT}, served as {@code KZT/USD}); any
     * other's is the pair it is served as against its own currency ({@code EUR/KZT}: KZT per EUR).
     */
    public String line() {
        return line(currency, quote);
    }

    public static String line(String currency, String quote) {
        return USD.equals(quote) ? currency : quote + "/" + currency;
    }

    public boolean isDollarRow() {
        return USD.equals(quote);
    }

    /** Held back for {@code reason}, or accepted if null. */
    public Observation withRejected(String reason) {
        return new Observation(currency, quote, asOf, perUsd, source, fetchedAt, reason, null);
    }

    /** Accepted, having been held back: {@code note} says who or what released it. */
    public Observation withReleased(String note) {
        return new Observation(currency, quote, asOf, perUsd, source, fetchedAt, null, note);
    }

    /** With the guard's judgement of {@code earlier} (the same value, received again). */
    public Observation judgedAs(Observation earlier) {
        return new Observation(currency, quote, asOf, perUsd, source, fetchedAt, earlier.rejected, earlier.released);
    }

    public boolean isRejected() {
        return rejected != null;
    }

    /** The form a value is stored and compared in: at most 34 significant digits and 30 decimals, no trailing zeros. */
    public static BigDecimal canonical(BigDecimal value) {
        BigDecimal rounded = value.round(MathContext.DECIMAL128);
        if (rounded.scale() > STORED_SCALE) {
            rounded = rounded.setScale(STORED_SCALE, RoundingMode.HALF_EVEN);
        }
        return rounded.stripTrailingZeros();
    }

    /** What identifies a stored observation: one source's value of one line on one date. */
    public record Key(String currency, String quote, LocalDate asOf, String source) {

        public String line() {
            return Observation.line(currency, quote);
        }
    }

    public Key key() {
        return new Key(currency, quote, asOf, source);
    }
}
