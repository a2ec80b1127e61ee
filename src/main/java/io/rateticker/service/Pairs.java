package io.rateticker.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.All;
import io.rateticker.Conversion;
import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.rateticker.source.RateSource;

/**
 * Rates against a base other than USD ({@code ?base=}): the bases there are, what each quotes, and each pair made
 * from the served lines ({@link Observation#line}). {@code USD/KZT} is NBK's own dollar rate, {@code EUR/KZT} its own
 * row of EUR; a pair the base's bank does not publish is a cross of the two dollar rates, marked as one.
 */
@ApplicationScoped
public class Pairs {

    public static final String USD = Observation.USD;
    /** The {@code source} of a cross: it is no one bank's value. */
    static final String CROSS = "cross";

    /**
     * One line as served on a day: the value in force ({@code latest}), the day its series has served it from, the
     * value served before it, which its change is from (null if none), and whether it is stale then.
     */
    public record Leg(LocalDate since, Observation latest, Observation previous, boolean stale) {

        /** The leg of a served series ({@link RateBook#served}) on {@code day}, stale by {@code stale}; null if none. */
        static Leg on(NavigableMap<LocalDate, Observation> series, LocalDate day, Predicate<Observation> stale) {
            Map.Entry<LocalDate, Observation> inForce = series.floorEntry(day);
            if (inForce == null) {
                return null;
            }
            Map.Entry<LocalDate, Observation> before = series.lowerEntry(inForce.getKey());
            return new Leg(inForce.getKey(), inForce.getValue(), before == null ? null : before.getValue(),
                    stale.test(inForce.getValue()));
        }

        /** The dollar rate this leg serves, with its change from the value served before. */
        public Rate rate() {
            return new Rate(pair(latest.currency(), USD), latest.currency(), RateMath.rate(latest.perUsd()),
                    RateMath.servedPerUsd(latest.perUsd()),
                    previous == null ? null : RateMath.rate(previous.perUsd()),
                    previous == null ? null : RateMath.changePercent(previous.perUsd(), latest.perUsd()),
                    previous == null ? null : previous.asOf(), previous == null ? null : previous.source(),
                    latest.asOf(), latest.source(), latest.fetchedAt(), stale);
        }
    }

    /**
     * Each line's leg on {@code day} (see {@link Leg#on}) from its served series, of those that have one; the one
     * read of the served series that every door makes ({@code LocalDate.MAX}: the current legs).
     */
    static Map<String, Leg> legsOn(Function<String, NavigableMap<LocalDate, Observation>> served,
            Collection<String> lines, LocalDate day, Predicate<Observation> stale) {
        Map<String, Leg> legs = new HashMap<>();
        for (String line : lines) {
            Leg leg = Leg.on(served.apply(line), day, stale);
            if (leg != null) {
                legs.put(line, leg);
            }
        }
        return legs;
    }

    private final List<String> bases;
    /**
     * By base, what it quotes, in API order: the tracked currencies against USD; against the others USD, the other
     * tracked currencies, then the other {@code ticker.quotes}.
     */
    private final Map<String, List<String>> quotes = new HashMap<>();
    /** By base, the names of the pairs of everything it quotes: what most streams follow, one set for them all. */
    private final Map<String, Set<String>> allNames = new HashMap<>();

    Pairs(TickerConfig config, @All List<RateSource> sources) {
        List<String> tracked = config.currencies();
        Set<String> candidates = new LinkedHashSet<>(tracked);
        candidates.addAll(config.quotes());
        List<String> bases = new ArrayList<>(List.of(USD));
        quotes.put(USD, tracked);
        for (String currency : candidates) {
            if (sources.stream().anyMatch(source -> source.issues(currency))) {
                bases.add(currency);
                Set<String> quoted = new LinkedHashSet<>(List.of(USD));
                quoted.addAll(tracked);
                quoted.addAll(config.quotes());
                quoted.remove(currency);
                quotes.put(currency, List.copyOf(quoted));
            }
        }
        this.bases = List.copyOf(bases);
        quotes.forEach((base, quoted) -> allNames.put(base, namesOf(base, quoted)));
    }

    /** The name of a pair: {@code KGS/USD}, {@code USD/KZT}. */
    public static String pair(String currency, String base) {
        return currency + "/" + base;
    }

    /**
     * The names of the pairs of these currencies against {@code base}, as a stream follows them. Every stream of a
     * base's whole quote list shares one set: it is held for as long as the stream is open.
     */
    public Set<String> names(String base, List<String> currencies) {
        return currencies.equals(quotes.get(base)) ? allNames.get(base) : namesOf(base, currencies);
    }

    private static Set<String> namesOf(String base, List<String> currencies) {
        return Set.copyOf(currencies.stream().map(currency -> pair(currency, base)).toList());
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

    /** Every base, USD first. */
    public List<String> bases() {
        return bases;
    }

    /** What {@code base} (one of {@link #base}'s answers) quotes, in API order. */
    public List<String> quotes(String base) {
        return quotes.get(base);
    }

    /**
     * Whether values of {@code currency} per {@code quote} are kept: a tracked currency's dollar rate, and a base's
     * currency per USD and per each currency the base quotes (its bank's table).
     */
    public boolean kept(String currency, String quote) {
        return USD.equals(quote) && quotes.get(USD).contains(currency)
                || !USD.equals(currency) && quotes.getOrDefault(currency, List.of()).contains(quote);
    }

    /**
     * The lines the pairs of these currencies against {@code base} may be made of: each currency's dollar rate, the
     * base's, and the base's bank's own row of each.
     */
    public static Set<String> lines(String base, Collection<String> currencies) {
        Set<String> lines = new LinkedHashSet<>();
        for (String currency : currencies) {
            if (!USD.equals(currency)) {
                lines.add(currency);
                if (!USD.equals(base)) {
                    lines.add(Observation.line(base, currency));
                }
            }
        }
        if (!USD.equals(base)) {
            lines.add(base);
        }
        return lines;
    }

    /** The rates against every other base than USD that differ between two sets of legs: what a change moved. */
    public List<Rate> moved(Map<String, Leg> before, Map<String, Leg> after) {
        List<Rate> moved = new ArrayList<>();
        for (String base : bases) {
            if (USD.equals(base)) {
                continue;
            }
            for (String quoted : quotes(base)) {
                Rate rate = rate(quoted, base, after);
                if (rate != null && !rate.equals(rate(quoted, base, before))) {
                    moved.add(rate);
                }
            }
        }
        return moved;
    }

    /**
     * The rate of {@code currency} against {@code base} from the legs (by line), or null when there is none: against
     * USD the currency's dollar rate as always; else the base's bank's own value where it publishes the currency, or
     * a cross of both dollar rates.
     */
    public static Rate rate(String currency, String base, Map<String, Leg> legs) {
        if (USD.equals(base)) {
            Leg leg = legs.get(currency);
            return leg == null ? null : leg.rate();
        }
        Leg baseLeg = legs.get(base);
        if (USD.equals(currency)) {
            return baseLeg == null ? null : own(currency, base, baseLeg, BigDecimal.ONE);
        }
        Leg direct = legs.get(Observation.line(base, currency));
        if (direct != null) {
            return own(currency, base, direct, null);
        }
        Leg leg = legs.get(currency);
        return leg == null || baseLeg == null ? null : cross(currency, base, leg, baseLeg);
    }

    /**
     * {@code X/BASE} as the base's bank publishes it (its dollar rate for USD, a row of its table else): units of the
     * base per X, and its change from the value served before it. {@code perUsd} is 1 for USD; a row of another
     * currency is no dollar rate, and has none.
     */
    private static Rate own(String currency, String base, Leg leg, BigDecimal perUsd) {
        Observation latest = leg.latest();
        Observation previous = leg.previous();
        return new Rate(pair(currency, base), currency, RateMath.servedPerUsd(latest.perUsd()), perUsd,
                previous == null ? null : RateMath.servedPerUsd(previous.perUsd()),
                previous == null ? null : RateMath.changePercent(latest.perUsd(), previous.perUsd()),
                previous == null ? null : previous.asOf(), previous == null ? null : previous.source(),
                latest.asOf(), latest.source(), latest.fetchedAt(), leg.stale(), RateMath.rate(latest.perUsd()),
                false, null);
    }

    /**
     * {@code X/BASE} through USD: units of the base per X, as of the later of the two values' dates, stale if either
     * is. The change is from the pair as it stood before the day it last moved (the later of the days the two values
     * are served from): the value served before of the one that moved then (of both, if both did), crossed with the
     * other's; the same move as the series shows.
     */
    private static Rate cross(String currency, String base, Leg leg, Leg baseLeg) {
        Observation x = leg.latest();
        Observation b = baseLeg.latest();
        LocalDate asOf = x.asOf().isAfter(b.asOf()) ? x.asOf() : b.asOf();
        LocalDate moved = leg.since().isAfter(baseLeg.since()) ? leg.since() : baseLeg.since();
        Observation xBefore = leg.since().equals(moved) ? leg.previous() : x;
        Observation bBefore = baseLeg.since().equals(moved) ? baseLeg.previous() : b;
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

    /**
     * {@code amount} of {@code from} in {@code to} at exactly the rate {@code /rates?base=} serves for the pair: against
     * {@code to} where it is a base (its bank's own value for {@code from}, else a cross), else the inverse of
     * {@code to} against {@code from} where that is one. Null when there is none (also between two currencies that
     * are no base: they have no dollar rates to cross).
     */
    public static Conversion convert(String from, String to, BigDecimal amount, Map<String, Leg> legs,
            List<String> bases) {
        if (from.equals(to)) {
            return new Conversion(from, to, amount, amount, BigDecimal.ONE, null, false, "direct", List.of());
        }
        if (bases.contains(to)) {
            Rate rate = rate(from, to, legs);
            if (rate == null) {
                return null;
            }
            BigDecimal result = Boolean.TRUE.equals(rate.cross()) ? crossed(amount, from, to, legs)
                    : USD.equals(to) ? RateMath.convert(amount, rate.perUsd(), BigDecimal.ONE)
                    : RateMath.convert(amount, BigDecimal.ONE, rate.rate());
            return served(from, to, amount, result, rate, rate.rate());
        }
        if (bases.contains(from)) {
            Rate rate = rate(to, from, legs);
            if (rate == null) {
                return null;
            }
            if (USD.equals(from)) {
                return served(from, to, amount, RateMath.convert(amount, BigDecimal.ONE, rate.perUsd()), rate,
                        rate.perUsd());
            }
            BigDecimal result = Boolean.TRUE.equals(rate.cross()) ? crossed(amount, from, to, legs)
                    : RateMath.convert(amount, rate.rate(), BigDecimal.ONE);
            return served(from, to, amount, result, rate, rate.inverse());
        }
        return null; // between two currencies that are no base (EUR and CNY) there is no rate here
    }

    /** {@code amount} through both dollar rates, exactly as the cross the rate is of, rounded once. */
    private static BigDecimal crossed(BigDecimal amount, String from, String to, Map<String, Leg> legs) {
        return RateMath.convert(amount, legs.get(from).latest().perUsd(), legs.get(to).latest().perUsd());
    }

    /** A conversion at a served rate: {@code perFrom} units of {@code to} per unit of {@code from}. */
    private static Conversion served(String from, String to, BigDecimal amount, BigDecimal result, Rate rate,
            BigDecimal perFrom) {
        boolean cross = Boolean.TRUE.equals(rate.cross());
        return new Conversion(from, to, amount, result, perFrom, rate.asOf(), rate.stale(), cross ? "cross" : "direct",
                cross ? rate.sources() : List.of(rate.source()));
    }
}
