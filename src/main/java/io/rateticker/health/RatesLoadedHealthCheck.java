package io.rateticker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.rateticker.service.RateReader;
import io.rateticker.service.Snapshot;

/** Ready once the rates are in memory, so that no reader ever gets an empty answer while the service starts. */
@Readiness
@ApplicationScoped
public class RatesLoadedHealthCheck implements HealthCheck {

    private final RateReader rates;

    RatesLoadedHealthCheck(RateReader rates) {
        this.rates = rates;
    }

    @Override
    public HealthCheckResponse call() {
        Snapshot snapshot = rates.snapshot();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rates-loaded");
        if (snapshot == null) {
            return response.down().build();
        }
        return response.up()
                .withData("currencies", snapshot.rates().size())
                .withData("sequence", snapshot.sequence())
                .build();
    }
}
