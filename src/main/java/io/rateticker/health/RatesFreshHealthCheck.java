package io.rateticker.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.RateService;
import io.rateticker.service.Snapshot;
import io.smallrye.health.api.Wellness;

/**
 * DOWN when any tracked currency is stale or has no rate. Kept out of readiness on purpose: a failing upstream
 * makes every replica stale at once, and unready replicas would turn stale data into no data.
 */
@Wellness
@ApplicationScoped
public class RatesFreshHealthCheck implements HealthCheck {

    private final RateService rates;
    private final TickerConfig config;
    private final Clock clock;

    RatesFreshHealthCheck(RateService rates, TickerConfig config, Clock clock) {
        this.rates = rates;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rates-fresh")
                .withData("maxAge", config.freshness().maxAge().toString());
        Snapshot snapshot = rates.snapshot();
        if (snapshot == null) {
            return response.down().build();
        }
        boolean fresh = true;
        Instant now = clock.instant();
        for (String currency : config.currencies()) {
            Rate rate = snapshot.rate(currency);
            if (rate == null) {
                response.withData(currency, "no rate");
                fresh = false;
            } else {
                Duration age = Duration.between(rate.fetchedAt(), now);
                response.withData(currency, age.withNanos(0) + (rate.stale() ? " (stale)" : ""));
                fresh &= !rate.stale();
            }
        }
        return response.status(fresh).build();
    }
}
