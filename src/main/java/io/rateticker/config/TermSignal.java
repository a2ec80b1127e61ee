package io.rateticker.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import sun.misc.Signal;

/**
 * SIGTERM (Kubernetes, {@code docker stop}, systemd) is how this service is normally stopped: it runs the same
 * graceful shutdown as the JVM's own handler would (shutdown delay, open streams ended, requests in flight
 * finished), but the process then exits 0 instead of 143, so that supervisors do not record an error.
 */
@ApplicationScoped
class TermSignal {

    void install(@Observes StartupEvent event) {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
        }
    }
}
