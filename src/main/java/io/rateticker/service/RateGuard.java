package io.rateticker.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.time.LocalDate;

import io.rateticker.Observation;
import io.rateticker.config.TickerConfig;

/**
 * The sanity guard for values fetched automatically: a value outside its currency's plausible band, or moving more
 * than {@code ticker.guard.max-change-percent} from the previous served one, is held back (stored, never served)
 * unless another source gives the same currency and date within {@code ticker.guard.confirm-percent}.
 */
final class RateGuard {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final TickerConfig.Guard config;

    RateGuard(TickerConfig.Guard config) {
        this.config = config;
    }

    /**
     * What to store for {@code o}: {@code o} itself, accepted or held back with the reason, followed by held-back
     * values of other sources that {@code o} confirms, now accepted.
     */
    List<Observation> check(Observation o, RateBook book) {
        Observation stored = book.on(o.currency(), o.asOf()).get(o.source());
        if (stored != null && stored.perUsd().compareTo(o.perUsd()) == 0) {
            return List.of(o.withRejected(stored.rejected())); // judged when it first came; the same value again keeps that
        }
        List<Observation> others = book.on(o.currency(), o.asOf()).values().stream()
                .filter(other -> !other.source().equals(o.source()))
                .filter(other -> within(config.confirmPercent(), other.perUsd(), o.perUsd()))
                .toList();
        String reason = violation(o, book);
        List<Observation> store = new ArrayList<>();
        store.add(reason == null || !others.isEmpty() ? o.withRejected(null) : o.withRejected(reason));
        if (!store.get(0).isRejected()) {
            others.stream().filter(Observation::isRejected).map(other -> other.withRejected(null)).forEach(store::add);
        }
        return store;
    }

    /** Why {@code o} is implausible on its own, or null. */
    String violation(Observation o, RateBook book) {
        TickerConfig.Band band = config.bands().get(o.currency());
        if (band != null && (o.perUsd().compareTo(band.min()) < 0 || o.perUsd().compareTo(band.max()) > 0)) {
            return "outside the plausible range " + band.min().toPlainString() + "–" + band.max().toPlainString()
                    + " " + o.currency() + " per USD";
        }
        NavigableMap<LocalDate, Observation> served = book.served(o.currency());
        Map.Entry<LocalDate, Observation> previous = served.lowerEntry(o.asOf());
        Observation reference = previous != null ? previous.getValue() : served.get(o.asOf());
        if (reference == null || reference.source().equals(o.source()) && reference.asOf().equals(o.asOf())) {
            return null;
        }
        BigDecimal change = percent(o.perUsd(), reference.perUsd());
        if (change.abs().compareTo(config.maxChangePercent()) > 0) {
            return "moves " + change.toPlainString() + " % from " + reference.perUsd().toPlainString() + " ("
                    + reference.source() + ", " + reference.asOf() + "), more than "
                    + config.maxChangePercent().toPlainString() + " %";
        }
        return null;
    }

    /** {@code (value / reference − 1) × 100}, to 4 decimals. */
    static BigDecimal percent(BigDecimal value, BigDecimal reference) {
        return value.divide(reference, RateMath.WORKING).subtract(BigDecimal.ONE)
                .multiply(HUNDRED).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    private static boolean within(BigDecimal limitPercent, BigDecimal a, BigDecimal b) {
        return percent(a, b).abs().compareTo(limitPercent) <= 0;
    }
}
