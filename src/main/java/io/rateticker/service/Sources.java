package io.rateticker.service;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.All;
import io.rateticker.config.TickerConfig;
import io.rateticker.source.Calendar;
import io.rateticker.source.RateSource;

/**
 * The banks' sources as configured: each one's {@code ticker.sources.<id>.*} resolved once over the bank's own
 * defaults, in order of preference, each with what this replica knows of fetching it.
 */
@ApplicationScoped
public class Sources {

    /** A bank's source with its settings resolved, and its fetch state. */
    public record Source(RateSource bank, boolean enabled, String url, String schedule, int backfillDays,
            Calendar calendar, FetchState state) {

        public String id() {
            return bank.id();
        }

        public RateSource.Info info() {
            return bank.info();
        }

        /** The name of its scheduled job. */
        String job() {
            return "fetch-" + id();
        }

        /** Today in the bank's own time zone. */
        LocalDate today(Clock clock) {
            return LocalDate.now(clock.withZone(info().zone()));
        }
    }

    private final Map<String, Source> sources = new LinkedHashMap<>();

    Sources(@All List<RateSource> banks, TickerConfig config) {
        List<String> preference = config.sources().preference();
        banks.stream()
                .sorted(Comparator.comparingInt((RateSource bank) -> {
                    int rank = preference.indexOf(bank.id());
                    return rank < 0 ? Integer.MAX_VALUE : rank;
                }).thenComparing(RateSource::id))
                .forEach(bank -> {
                    Optional<TickerConfig.Source> settings = settings(config, bank.id());
                    RateSource.Info info = bank.info();
                    sources.put(bank.id(), new Source(bank,
                            settings.flatMap(TickerConfig.Source::enabled).orElse(true),
                            settings.flatMap(TickerConfig.Source::url).orElse(info.defaultUrl()),
                            settings.flatMap(TickerConfig.Source::schedule).orElse(info.defaultSchedule()),
                            settings.flatMap(TickerConfig.Source::backfillDays).orElse(config.sources().backfillDays()),
                            info.calendar().withHolidays(Set.copyOf(
                                    settings.flatMap(TickerConfig.Source::holidays).orElse(List.of()))),
                            new FetchState()));
                });
    }

    /** What {@code ticker.sources.<id>.*} sets, for any source (the simulated one too). */
    static Optional<TickerConfig.Source> settings(TickerConfig config, String id) {
        return Optional.ofNullable(config.sources().source().get(id));
    }

    /** Every bank's source, the most preferred first. */
    public List<Source> all() {
        return List.copyOf(sources.values());
    }

    /** The source of {@code id}: a 404 if there is none. */
    Source get(String id) {
        Source source = sources.get(id);
        if (source == null) {
            throw new RequestException(404, "no source " + id + "; sources are " + String.join(",", sources.keySet()));
        }
        return source;
    }
}
