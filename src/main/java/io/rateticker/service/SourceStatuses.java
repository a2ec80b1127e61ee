package io.rateticker.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.Sources.Source;
import io.rateticker.source.RateSource;
import io.rateticker.source.SourceClient;

/** What the service knows of each source, for {@code GET /api/v1/sources} and as gauges. */
@ApplicationScoped
public class SourceStatuses {

    /**
     * One source: {@code expectedAsOf} is the latest effective date its calendar says it should have published by
     * now, {@code latestAsOf} the latest it has given, {@code publicationsMissed} how many publication days in
     * between are overdue.
     */
    public record SourceStatus(String id, String name, List<String> currencies, String url, boolean enabled,
            String schedule, String timeZone, String terms, Instant lastAttemptAt, Instant lastSuccessAt,
            LocalDate expectedAsOf, LocalDate latestAsOf, Integer publicationsMissed, String lastError,
            int consecutiveFailures, String circuit, Instant nextRunAt, Backfill backfill) {
    }

    /**
     * The last backfill of a source: of the {@code total} publication days from {@code from} to {@code to},
     * {@code done} were there already or have been asked for.
     */
    public record Backfill(LocalDate from, LocalDate to, int done, int total) {
    }

    private final Sources sources;
    private final RateReader rates;
    private final SourceClient client;
    private final Scheduler scheduler;
    private final Freshness freshness;
    private final Clock clock;
    private final MeterRegistry registry;
    private final List<String> currencies;

    SourceStatuses(Sources sources, RateReader rates, SourceClient client, Scheduler scheduler, Freshness freshness,
            Clock clock, MeterRegistry registry, TickerConfig config) {
        this.sources = sources;
        this.rates = rates;
        this.client = client;
        this.scheduler = scheduler;
        this.freshness = freshness;
        this.clock = clock;
        this.registry = registry;
        this.currencies = config.currencies();
    }

    public List<SourceStatus> statuses() {
        Snapshot snapshot = rates.loadedSnapshot();
        Instant now = clock.instant();
        return sources.all().stream().map(source -> {
            FetchState state = source.state();
            RateSource.Info info = source.info();
            Trigger trigger = scheduler.getScheduledJob(source.job());
            LocalDate latest = snapshot.latestAsOf(info.id());
            return new SourceStatus(info.id(), info.name(), info.currencies(), source.url(), source.enabled(),
                    source.schedule(), info.zone().getId(), info.terms(), state.lastAttemptAt, state.lastSuccessAt,
                    freshness.expectedAsOf(info.id(), now), latest, freshness.publicationsMissed(info.id(), latest, now),
                    state.lastError, state.consecutiveFailures.get(), client.circuit(info.id()),
                    trigger == null ? null : trigger.getNextFireTime(), state.backfill);
        }).toList();
    }

    void onStart(@Observes StartupEvent event) {
        for (Source source : sources.all()) {
            FetchState state = source.state();
            Gauge.builder("ticker.source.last.success.timestamp.seconds",
                    () -> state.lastSuccessAt == null ? Double.NaN : state.lastSuccessAt.toEpochMilli() / 1000.0)
                    .description("When the source last answered a fetch of its latest document, or one was fed by "
                            + "hand (Unix seconds)")
                    .tag("source", source.id()).register(registry);
            Gauge.builder("ticker.source.publications.missed", () -> publicationsMissed(source))
                    .description("Publication days of the source overdue by its calendar after the latest date it has "
                            + "given (NaN before its first value)")
                    .tag("source", source.id()).register(registry);
            Gauge.builder("ticker.source.circuit.open", () -> "open".equals(client.circuit(source.id())) ? 1 : 0)
                    .description("1 while the source's circuit breaker is open").tag("source", source.id())
                    .register(registry);
            for (String currency : source.info().currencies()) {
                if (currencies.contains(currency)) {
                    Gauge.builder("ticker.source.divergence.percent", () -> divergence(currency, source.id()))
                            .description("How far the source's value for the served date is from the served value, %")
                            .tags("currency", currency, "source", source.id()).register(registry);
                }
            }
        }
    }

    private double publicationsMissed(Source source) {
        Snapshot snapshot = rates.snapshot();
        // a disabled source counts too: its documents may be fed by hand
        Integer missed = snapshot == null ? null
                : freshness.publicationsMissed(source.id(), snapshot.latestAsOf(source.id()), clock.instant());
        return missed == null ? Double.NaN : missed;
    }

    private double divergence(String currency, String source) {
        Snapshot snapshot = rates.snapshot();
        if (snapshot == null || snapshot.rate(currency) == null) {
            return Double.NaN;
        }
        if (snapshot.rate(currency).source().equals(source)) {
            return 0;
        }
        BigDecimal percent = snapshot.divergence(currency).get(source);
        return percent == null ? Double.NaN : percent.doubleValue();
    }
}
