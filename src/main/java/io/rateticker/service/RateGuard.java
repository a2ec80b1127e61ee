package io.rateticker.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.rateticker.Observation;
import io.rateticker.config.TickerConfig;

/**
 * The sanity guard for values fetched automatically: a dollar row outside its currency's plausible band, or any row
 * moving more than {@code ticker.guard.max-change-percent} from its reference, is held back (stored, never served).
 * <p>
 * The references are the nearest publications of the same line (the currency against the same quote) by any bank on
 * either side of the value's date, each at most {@code ticker.guard.reference-max-age} away: never a bundled or manual
 * value, and never one so far that a real move since (a devaluation, months of outage, a fresh install) would hold
 * back every new publication for good. A value with references on both sides (a day backfilled or published late) is
 * held back only for a jump against both, since a real move lies on one side of it; with one, against that one. So
 * backfill, which goes newest first, meets the guard as live publications do. A held-back value is released when
 * another source gives the same line and date within {@code ticker.guard.confirm-percent}, or when the same source's
 * adjacent publication (the next one live, the earlier one in backfill) confirms a jump within it (both are then
 * accepted), or by an operator ({@link RateWriter#release}).
 */
final class RateGuard {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final TickerConfig.Guard config;
    private final Predicate<String> bank;

    /** @param bank whether a source is a bank (its values may be a reference) */
    RateGuard(TickerConfig.Guard config, Predicate<String> bank) {
        this.config = config;
        this.bank = bank;
    }

    /**
     * What to store for {@code o}: {@code o} itself, accepted or held back with the reason, followed by held-back
     * values that {@code o} confirms, now released.
     */
    List<Observation> check(Observation o, RateBook book) {
        Observation stored = book.on(o.line(), o.asOf()).get(o.source());
        if (stored != null && stored.perUsd().compareTo(o.perUsd()) == 0) {
            return List.of(o.judgedAs(stored)); // judged when it first came; the same value again keeps that
        }
        List<Observation> confirming = book.on(o.line(), o.asOf()).values().stream()
                .filter(other -> !other.source().equals(o.source()))
                .filter(other -> within(other.perUsd(), o.perUsd()))
                .toList();
        String band = bandViolation(o);
        String jump = band == null ? jumpViolation(o, book) : null;
        List<Observation> store = new ArrayList<>();
        if (band == null && jump == null || !confirming.isEmpty()) {
            store.add(o.withRejected(null));
            confirming.stream().filter(Observation::isRejected)
                    .map(other -> other.withReleased("confirmed by " + o.source() + " for the same date"))
                    .forEach(store::add);
            return store;
        }
        Observation previous = jump == null ? null : book.previousOfAny(o);
        if (confirms(o, previous)) {
            // a real move, published twice: the source's next publication confirms the one held back
            store.add(o.withRejected(null));
            store.add(previous.withReleased("confirmed by " + o.source() + "'s next publication (" + o.asOf() + ")"));
            return store;
        }
        Observation next = jump == null ? null : book.nextOfAny(o);
        if (confirms(o, next)) {
            // the same, met in backfill: the earlier publication confirms the later one held back against its past
            store.add(o.withRejected(null));
            store.add(next.withReleased("confirmed by " + o.source() + "'s publication of " + o.asOf()));
            return store;
        }
        store.add(o.withRejected(band != null ? band : jump));
        return store;
    }

    /** Whether {@code o} confirms the same source's adjacent publication, held back for a jump alone. */
    private boolean confirms(Observation o, Observation adjacent) {
        return adjacent != null && adjacent.isRejected() && bandViolation(adjacent) == null
                && within(adjacent.perUsd(), o.perUsd());
    }

    /** Why {@code o} is outside its currency's plausible band (bands are per USD), or null. */
    String bandViolation(Observation o) {
        TickerConfig.Band band = o.isDollarRow() ? config.bands().get(o.currency()) : null;
        if (band != null && (o.perUsd().compareTo(band.min()) < 0 || o.perUsd().compareTo(band.max()) > 0)) {
            return "outside the plausible range " + band.min().toPlainString() + "–" + band.max().toPlainString()
                    + " " + o.currency() + " per USD";
        }
        return null;
    }

    /**
     * Why {@code o} moves too far from its references, or null (also when it has none): against both when it has
     * two, the earlier named.
     */
    String jumpViolation(Observation o, RateBook book) {
        long days = config.referenceMaxAge().toDays();
        Observation earlier = book.reference(o, o.asOf().minusDays(days), bank);
        Observation later = book.referenceAfter(o, o.asOf().plusDays(days), bank);
        String before = jump(o, earlier);
        String after = jump(o, later);
        if (earlier == null || later == null) {
            return earlier == null ? after : before;
        }
        return before != null && after != null ? before : null;
    }

    private String jump(Observation o, Observation reference) {
        if (reference == null) {
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

    private boolean within(BigDecimal a, BigDecimal b) {
        return percent(a, b).abs().compareTo(config.confirmPercent()) <= 0;
    }
}
