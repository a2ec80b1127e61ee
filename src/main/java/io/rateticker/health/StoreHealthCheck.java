package io.rateticker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.rateticker.store.ObservationRepository;
import io.rateticker.store.StoreException;

/**
 * DOWN while the store refuses writes (the last write failed for want of a database, or of disk space or a writable
 * disk under H2); every check then tries a probe write, so readiness comes back by itself once the store takes
 * writes again, without waiting for the next real write. Reads are served from memory all the while.
 */
@Readiness
@ApplicationScoped
public class StoreHealthCheck implements HealthCheck {

    private final ObservationRepository repository;

    StoreHealthCheck(ObservationRepository repository) {
        this.repository = repository;
    }

    @Override
    public HealthCheckResponse call() {
        if (repository.writeFailure() != null) {
            try {
                repository.probe();
            } catch (StoreException stillFailing) {
                // reported below
            }
        }
        String failure = repository.writeFailure();
        return failure == null ? HealthCheckResponse.up("store")
                : HealthCheckResponse.named("store").down().withData("writes", failure).build();
    }
}
