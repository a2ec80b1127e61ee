package io.rateticker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.rateticker.store.ObservationRepository;
import io.smallrye.health.api.Wellness;

/**
 * DOWN while the store refuses writes (the last write or probe failed for want of a database, or of disk space or a
 * writable disk under H2). A wellness check, not readiness: every replica holds all rates in memory and serves reads
 * all the while, so a database outage must not take the replicas out of the Service; writes answer 503 meanwhile.
 */
@Wellness
@ApplicationScoped
public class StoreHealthCheck implements HealthCheck {

    private final ObservationRepository repository;

    StoreHealthCheck(ObservationRepository repository) {
        this.repository = repository;
    }

    @Override
    public HealthCheckResponse call() {
        String failure = repository.writeFailure();
        return failure == null ? HealthCheckResponse.up("store")
                : HealthCheckResponse.named("store").down().withData("writes", failure).build();
    }
}
