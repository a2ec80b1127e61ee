package io.rateticker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.RateReader;
import io.rateticker.service.Snapshot;
import io.smallrye.health.api.Wellness;

/**
 * DOWN when any tracked currency is stale or has no rate. Kept out of readiness on purpose: a failing upstream
 * makes every replica stale at once, and unready replicas would turn stale data into no data.
 */
@Wellness
@ApplicationScoped
public class RatesFreshHealthCheck implements HealthCheck {

    private final RateReader rates;
    private final TickerConfig config;

    RatesFreshHealthCheck(RateReader rates, TickerConfig config) {
        this.rates = rates;
        this.config = config;
    }

    /** Per currency: the served rate's effective date and source, and whether it is stale (the API's rule). */
    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rates-fresh");
        Snapshot snapshot = rates.snapshot();
        if (snapshot == null) {
            return response.down().build();
        }
        boolean fresh = true;
        for (String currency : config.currencies()) {
            Rate rate = snapshot.rate(currency);
            if (rate == null) {
                response.withData(currency, "no rate");
                fresh = false;
            } else {
                response.withData(currency, rate.asOf() + " " + rate.source() + (rate.stale() ? " (stale)" : ""));
                fresh &= !rate.stale();
            }
        }
        return response.status(fresh).build();
    }
}
