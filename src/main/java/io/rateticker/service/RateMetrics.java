package io.rateticker.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.rateticker.source.RateSource;
import io.rateticker.store.ObservationRepository;

/**
 * Per-currency gauges read from the current snapshot at scrape time (NaN while a currency has no rate), each issuing
 * bank's own rates (its table), and whether the store takes writes.
 */
@Startup
@ApplicationScoped
public class RateMetrics {

    RateMetrics(MeterRegistry registry, RateReader rates, TickerConfig config, ObservationRepository repository,
            Instance<RateSource> sources, Pairs pairs) {
        Gauge.builder("ticker.store.up", () -> repository.writeFailure() == null ? 1 : 0)
                .description("1 while the store takes writes (checked by every write and a probe every 10 s), else 0;"
                        + " reads are served from memory either way").register(registry);
        for (String currency : config.currencies()) {
            gauge(registry, rates, currency, "ticker.rate", "USD per unit of the currency", Rate::rate);
            gauge(registry, rates, currency, "ticker.rate.per.usd", "Units of the currency per USD", Rate::perUsd);
            gauge(registry, rates, currency, "ticker.rate.change.percent",
                    "Change of the currency/USD rate from the previous date, in percent", Rate::changePercent);
            gauge(registry, rates, currency, "ticker.rate.updated.timestamp.seconds",
                    "When the served rate was last received from its source (Unix seconds)",
                    rate -> seconds(rate.fetchedAt()));
            gauge(registry, rates, currency, "ticker.rate.stale",
                    "1 while the served rate is stale (its bank has missed a publication, docs/sources.md), else 0",
                    rate -> rate.stale() ? BigDecimal.ONE : BigDecimal.ZERO);
            gauge(registry, rates, currency, "ticker.rate.as.of.timestamp.seconds",
                    "The official effective date of the served rate, at 00:00 UTC (Unix seconds)",
                    rate -> seconds(rate.asOf().atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        // each issuing bank's own rates, served or not: one series per bank and quote it is a base of, a bounded set
        for (RateSource source : sources) {
            for (String base : pairs.bases()) {
                if (Pairs.USD.equals(base) || !source.issues(base)) {
                    continue;
                }
                for (String quote : pairs.quotes(base)) {
                    String line = Observation.line(base, quote);
                    Gauge.builder("ticker.official.rate", () -> {
                        Snapshot snapshot = rates.snapshot();
                        Observation latest = snapshot == null ? null : snapshot.latest(line, source.id());
                        return latest == null ? Double.NaN : latest.perUsd().doubleValue();
                    }).description("The bank's latest official rate of the currency, in units of its own currency")
                            .tags("bank", source.id(), "currency", quote).register(registry);
                }
            }
        }
    }

    private static void gauge(MeterRegistry registry, RateReader rates, String currency, String name,
            String description, Function<Rate, BigDecimal> value) {
        Gauge.builder(name, () -> {
            Snapshot snapshot = rates.snapshot();
            Rate rate = snapshot == null ? null : snapshot.rate(currency);
            BigDecimal v = rate == null ? null : value.apply(rate);
            return v == null ? Double.NaN : v.doubleValue();
        }).description(description).tag("currency", currency).register(registry);
    }

    private static BigDecimal seconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
