package io.rateticker.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.rateticker.source.RateSource;

/**
 * Rates against a base other than USD ({@code ?base=}): the bases there are, what each quotes, and each pair made
 * from the served dollar rates. {@code USD/KZT} is NBK's own value (KZT per USD); a pair of two tracked currencies is
 * a cross of their dollar rates, marked as one, since no bank's own table of them is kept.
 */
@ApplicationScoped
public class Pairs {

    public static final String USD = "USD";
    /** The {@code source} of a cross: it is no one bank's value. */
    static final String CROSS = "cross";

    /** One currency's dollar rate as served: its publication, the one its change is from (null if none), staleness. */
    public record Leg(Observation latest, Observation previous, boolean stale) {
    }

    private final List<String> bases;
    /** By base, what it quotes, in API order: the tracked currencies against USD; USD and the others against the rest. */
    private final Map<String, List<String>> quotes = new HashMap<>();

    Pairs(TickerConfig config, Instance<RateSource> sources) {
        List<String> tracked = config.currencies();
        List<String> bases = new ArrayList<>(List.of(USD));
        quotes.put(USD, tracked);
        for (String currency : tracked) {
            if (sources.stream().anyMatch(source -> source.issues(currency))) {
                bases.add(currency);
                List<String> quoted = new ArrayList<>(List.of(USD));
                tracked.stream().filter(code -> !code.equals(currency)).forEach(quoted::add);
                quotes.put(currency, List.copyOf(quoted));
            }
        }
        this.bases = List.copyOf(bases);
    }

    /** The name of a pair: {@code KGS/USD}, {@code USD/KZT}. */
    public static String pair(String currency, String base) {
        return currency + "/" + base;
    }

    /** The {@code base} parameter: USD when absent; a currency whose central bank is a source; else a 400. */
    public String base(String base) {
        if (base == null || base.isBlank()) {
            return USD;
        }
        String code = base.trim().toUpperCase(Locale.ROOT);
        if (!bases.contains(code)) {
            throw new RequestException(400, "base: '" + Symbols.shorten(base) + "' is not a base here; bases are "
                    + String.join(",", bases) + " (USD, and each currency whose central bank is a source)");
        }
        return code;
    }

    /** What {@code base} (one of {@link #base}'s answers) quotes, in API order. */
    public List<String> quotes(String base) {
        return quotes.get(base);
    }

    /**
     * The rates against every other base than USD that a change of these currencies' dollar rates changes: each pair
     * of a currency that moved, and every pair against a base that moved.
     */
    public List<Rate> moved(Collection<String> currencies, Map<String, Leg> legs) {
        List<Rate> moved = new ArrayList<>();
        for (String base : bases) {
            if (USD.equals(base)) {
                continue;
            }
            for (String quoted : quotes(base)) {
                if (currencies.contains(base) || currencies.contains(quoted)) {
                    Rate rate = rate(quoted, base, legs);
                    if (rate != null) {
                        moved.add(rate);
                    }
                }
            }
        }
        return moved;
    }

    /**
     * The rate of {@code currency} against {@code base} from the dollar legs of both, or null when a leg is missing.
     * Against USD it is the currency's dollar rate as always.
     */
    public static Rate rate(String currency, String base, Map<String, Leg> legs) {
        Leg baseLeg = legs.get(base);
        if (USD.equals(base)) {
            Leg leg = legs.get(currency);
            return leg == null ? null : RateService.toRate(leg.latest(), leg.previous(), leg.stale());
        }
        if (baseLeg == null) {
            return null;
        }
        if (USD.equals(currency)) {
            return dollarIn(base, baseLeg);
        }
        Leg leg = legs.get(currency);
        return leg == null ? null : cross(currency, base, leg, baseLeg);
    }

    /** {@code USD/BASE}: the base's bank's own value, units of the base per USD, and its change. */
    private static Rate dollarIn(String base, Leg leg) {
        Observation latest = leg.latest();
        Observation previous = leg.previous();
        return new Rate(pair(USD, base), USD, RateMath.servedPerUsd(latest.perUsd()), BigDecimal.ONE,
                previous == null ? null : RateMath.servedPerUsd(previous.perUsd()),
                previous == null ? null : RateMath.changePercent(latest.perUsd(), previous.perUsd()),
                previous == null ? null : previous.asOf(), previous == null ? null : previous.source(),
                latest.asOf(), latest.source(), latest.fetchedAt(), leg.stale(), RateMath.rate(latest.perUsd()),
                false, null);
    }

    /**
     * {@code X/BASE} through USD: units of the base per X, as of the later of the two dates (the day the pair last
     * moved), stale if either is. The change is from the pair as it stood before that day: the previous publication
     * of the one that moved then (of both, if both did), crossed with the other's value; the same move as the series'
     * last date shows.
     */
    private static Rate cross(String currency, String base, Leg leg, Leg baseLeg) {
        Observation x = leg.latest();
        Observation b = baseLeg.latest();
        LocalDate asOf = x.asOf().isAfter(b.asOf()) ? x.asOf() : b.asOf();
        Observation xBefore = x.asOf().equals(asOf) ? leg.previous() : x;
        Observation bBefore = b.asOf().equals(asOf) ? baseLeg.previous() : b;
        boolean changed = xBefore != null && bBefore != null;
        return new Rate(pair(currency, base), currency, RateMath.crossRate(x.perUsd(), b.perUsd()),
                RateMath.servedPerUsd(x.perUsd()),
                changed ? RateMath.crossRate(xBefore.perUsd(), bBefore.perUsd()) : null,
                changed ? RateMath.changePercent(b.perUsd().multiply(xBefore.perUsd()),
                        x.perUsd().multiply(bBefore.perUsd())) : null,
                changed ? (xBefore.asOf().isAfter(bBefore.asOf()) ? xBefore.asOf() : bBefore.asOf()) : null,
                changed ? CROSS : null, asOf, CROSS,
                x.fetchedAt().isAfter(b.fetchedAt()) ? x.fetchedAt() : b.fetchedAt(), leg.stale() || baseLeg.stale(),
                RateMath.crossRate(b.perUsd(), x.perUsd()), true, List.of(x.source(), b.source()));
    }
}
