package io.rateticker.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.rateticker.Conversion;
import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.source.Calendar;
import io.rateticker.source.RateSource;
import io.rateticker.source.SourceRate;
import io.rateticker.source.Specimens;

/**
 * One read model, every door: on seeded random stores made of the six banks' real documents with their dates moved
 * (weekends, holidays and missed days by each bank's calendar, a bank's first publication late in the range, the Bank
 * of Russia's Saturdays, next-day rates, bundled and hand-written values, held-back and deleted ones, all put in a
 * random order, as a backfill newest first does), every pair against every base on every day of the range agrees:
 * the rate in force that day (what {@code /rates?date=}, {@code /rates/{currency}?date=} and {@code /convert} answer,
 * from {@link Pairs#rate}), the point of the served series in force that day (the history's and the day timeseries'
 * rows, from {@link Series}), and, from the last day on, the current rate (the current answer and the stream's
 * events, from the current legs): the same value, date, source and change. Plain logic, no HTTP: the doors' own tests
 * show that each reads these.
 */
class ReadModelPropertyTest {

    private static final int STORES = 200;
    private static final List<String> TRACKED = List.of("KGS", "KZT", "TJS", "UZS", "TMT");
    private static final List<String> QUOTES = List.of("EUR", "RUB", "CNY");
    private static final List<String> BASES = List.of("USD", "KGS", "KZT", "TJS", "UZS", "TMT", "RUB");
    private static final List<String> PREFERENCE = List.of("manual", "nbkr", "nbk", "cbu", "nbt", "cbt", "cbr",
            "bundled");
    private static final Duration GRACE = Duration.ofHours(6);
    private static final Duration MAX_AGE = Duration.ofHours(36);
    private static final LocalDate FIRST = LocalDate.of(2026, 5, 1);
    private static final Map<String, RateSource> BANKS = Specimens.parsers();
    private static final Map<String, String> SPECIMENS = Map.of("nbkr", "nbkr-daily.xml", "nbk",
            "nbk-get-rates-2026-04-01.xml", "cbu", "cbu-all-2026-04-01.json", "nbt", "nbt-2026-05-18.xml", "cbt",
            "cbt-20052026.xml", "cbr", "cbr-xml-daily-2026-04-25.xml");
    /** Each bank's rows as its real document publishes them, those this service keeps. */
    private static final Map<String, List<SourceRate>> ROWS = rows();

    private static Map<String, List<SourceRate>> rows() {
        Map<String, List<SourceRate>> rows = new TreeMap<>();
        BANKS.forEach((id, bank) -> {
            try {
                rows.put(id, bank.parse(Specimens.bytes(SPECIMENS.get(id))).stream()
                        .filter(r -> r.value() != null && kept(r.currency(), r.quote())).toList());
            } catch (Exception e) {
                throw new IllegalStateException(id, e);
            }
        });
        return rows;
    }

    private static List<String> quotes(String base) {
        if (Pairs.USD.equals(base)) {
            return TRACKED;
        }
        Set<String> quoted = new LinkedHashSet<>(List.of(Pairs.USD));
        quoted.addAll(TRACKED);
        quoted.addAll(QUOTES);
        quoted.remove(base);
        return List.copyOf(quoted);
    }

    private static boolean kept(String currency, String quote) {
        return Pairs.USD.equals(quote) && TRACKED.contains(currency)
                || BASES.contains(currency) && !Pairs.USD.equals(currency) && quotes(currency).contains(quote);
    }

    @Test
    void everyDoorTellsTheSameRateOnEveryDayOfEveryStore() throws Exception {
        // the same stores every run, so that the suite passes or fails alike each time; another seed explores others
        long first = Long.getLong("readModel.seed", 28);
        for (int i = 0; i < STORES; i++) {
            long seed = first + i;
            try {
                check(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("store of seed " + seed + " (again: -DreadModel.seed=" + seed + "): "
                        + e.getMessage(), e);
            }
        }
    }

    /** The terms of {@link Freshness}: each bank by its calendar (with this store's holidays), grace included. */
    private record Terms(Map<String, Calendar> calendars) implements RateBook.Terms {
        @Override
        public Instant staleAt(Observation o) {
            if (BundledRates.SOURCE.equals(o.source())) {
                return Instant.MIN;
            }
            Calendar calendar = calendars.get(o.source());
            return calendar == null ? o.fetchedAt().plus(MAX_AGE) : calendar.staleAt(o.asOf(), GRACE);
        }

        @Override
        public boolean calendared(String source) {
            return calendars.containsKey(source);
        }

        boolean stale(Observation o, Instant at) {
            Instant staleAt = staleAt(o);
            return staleAt != null && !at.isBefore(staleAt);
        }
    }

    private static void check(Random random) throws Exception {
        LocalDate today = FIRST.plusDays(10 + random.nextInt(20));
        Instant now = today.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextInt(86_400));
        Map<String, Calendar> calendars = new HashMap<>();
        List<Observation> store = new ArrayList<>();
        for (Map.Entry<String, RateSource> bank : BANKS.entrySet()) {
            Set<LocalDate> holidays = new HashSet<>();
            for (int h = random.nextInt(3); h > 0; h--) {
                holidays.add(FIRST.plusDays(random.nextInt(30)));
            }
            Calendar calendar = bank.getValue().info().calendar().withHolidays(holidays);
            calendars.put(bank.getKey(), calendar);
            LocalDate start = random.nextInt(4) == 0 ? FIRST.plusDays(random.nextInt(20)) : FIRST;
            // NBKR, NBK and the Bank of Russia announce the next day's rate the day before
            LocalDate last = today.plusDays(List.of("nbkr", "nbk", "cbr").contains(bank.getKey()) && random.nextBoolean()
                    ? 1 : 0);
            double level = 1;
            for (LocalDate day = start; !day.isAfter(last); day = day.plusDays(1)) {
                level *= 1 + (random.nextGaussian() * 0.004);
                if (!calendar.publishes(day) || random.nextInt(8) == 0) {
                    continue; // a holiday, a weekend, or a publication the bank missed
                }
                Instant fetched = earlier(day.atTime(10, 0).toInstant(ZoneOffset.UTC), now);
                for (SourceRate row : ROWS.get(bank.getKey())) {
                    BigDecimal value = row.value().multiply(BigDecimal.valueOf(level * (1 + random.nextGaussian() * 0.001)),
                            new MathContext(8));
                    Observation o = new Observation(row.currency(), row.quote(), day, value, bank.getKey(), fetched);
                    store.add(random.nextInt(40) == 0 ? o.withRejected("held back") : o);
                }
            }
        }
        for (String currency : TRACKED) {
            for (int b = random.nextInt(3); b > 0; b--) {
                LocalDate day = FIRST.minusDays(5).plusDays(random.nextInt((int) (today.toEpochDay() - FIRST.toEpochDay()) + 5));
                store.add(new Observation(currency, day, dollarRow(currency), BundledRates.SOURCE,
                        day.atStartOfDay(ZoneOffset.UTC).toInstant()));
            }
            if (random.nextInt(4) == 0) {
                LocalDate day = FIRST.plusDays(random.nextInt((int) (today.toEpochDay() - FIRST.toEpochDay()) + 1));
                store.add(new Observation(currency, day, dollarRow(currency).multiply(new BigDecimal("1.01")),
                        "manual", earlier(day.atTime(12, 0).toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(5 * 86_400)),
                                now)));
            }
        }
        Collections.shuffle(store, random);
        RateBook book = new RateBook(PREFERENCE, Map.of());
        for (Observation o : store) {
            book.put(o);
            if (random.nextInt(30) == 0) {
                book.remove(o.key());
            }
        }

        Terms terms = new Terms(calendars);
        Map<String, NavigableMap<LocalDate, Observation>> served = new HashMap<>();
        for (String line : book.lines()) {
            served.put(line, book.served(line, terms, now));
        }
        LocalDate end = today.plusDays(2);
        for (String base : BASES) {
            for (String currency : quotes(base)) {
                String pair = Pairs.pair(currency, base);
                java.util.function.Function<String, NavigableMap<LocalDate, Observation>> of =
                        line -> served.getOrDefault(line, Collections.emptyNavigableMap());
                Set<String> lines = Pairs.lines(base, List.of(currency));
                List<Series.Day> history = new ArrayList<>();
                Series.days(currency, base, of, FIRST.minusDays(10), end, history::add);
                Rate current = Pairs.rate(currency, base, Pairs.legsOn(of, Pairs.lines(base, List.of(currency)),
                        LocalDate.MAX, o -> terms.stale(o, now)));
                for (LocalDate day = FIRST; !day.isAfter(end); day = day.plusDays(1)) {
                    Instant endOfDay = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                    Instant at = endOfDay.isBefore(now) ? endOfDay : now;
                    Map<String, Pairs.Leg> legs = Pairs.legsOn(of, lines, day, o -> terms.stale(o, at));
                    Rate rate = Pairs.rate(currency, base, legs);
                    Conversion conversion = Pairs.convert(currency, base, BigDecimal.TEN, legs, BASES);
                    LocalDate on = day;
                    Series.Day point = history.stream().filter(d -> !d.servedFrom().isAfter(on)).reduce((a, b) -> b)
                            .orElse(null);
                    String what = pair + " on " + day + " (now " + now + ")";
                    if (rate == null) {
                        assertThat(point).as(what + ": a point where no rate is in force").isNull();
                        assertThat(conversion).as(what + ": a conversion where no rate is in force").isNull();
                        continue;
                    }
                    assertThat(conversion).as(what + ": no conversion where " + rate + " is in force").isNotNull();
                    assertThat(conversion.rate()).as(what + ": convert's rate").isEqualByComparingTo(rate.rate());
                    assertThat(conversion.asOf()).as(what + ": convert's asOf").isEqualTo(rate.asOf());
                    assertThat(conversion.sources()).as(what + ": convert's sources")
                            .isEqualTo(rate.sources() != null ? rate.sources() : List.of(rate.source()));
                    assertThat(point).as(what + ": no point where " + rate + " is in force").isNotNull();
                    assertThat(point.asOf()).as(what + ": asOf").isEqualTo(rate.asOf());
                    assertThat(point.source()).as(what + ": source").isEqualTo(rate.source());
                    assertThat(point.rate()).as(what + ": rate").isEqualByComparingTo(rate.rate());
                    if (rate.changePercent() == null) {
                        assertThat(point.changePercent()).as(what + ": change").isNull();
                    } else {
                        assertThat(point.changePercent()).as(what + ": change").isEqualByComparingTo(rate.changePercent());
                    }
                    if (day.equals(end)) {
                        assertThat(current).as(what + ": now").isEqualTo(rate);
                    }
                }
            }
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** A bank's dollar value of the currency, from its own document (the Bank of Russia's for the rouble). */
    private static BigDecimal dollarRow(String currency) {
        return ROWS.values().stream().flatMap(List::stream)
                .filter(r -> r.currency().equals(currency) && Pairs.USD.equals(r.quote()))
                .map(SourceRate::value).findFirst().orElseThrow();
    }
}
