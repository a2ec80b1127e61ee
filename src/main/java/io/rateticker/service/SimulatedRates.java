package io.rateticker.service;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;

/**
 * For demos without internet: small random moves (at most ±0.2 %) of every served rate, dated today and labelled
 * {@code source: "simulated"}. Off unless {@code ticker.sources.simulated.enabled=true} (the {@code demo} profile).
 */
@ApplicationScoped
public class SimulatedRates {

    public static final String ID = "simulated";
    private static final String DEFAULT_SCHEDULE = "*/5 * * * * ?";
    private static final double MAX_MOVE = 0.002;

    private final RateReader rates;
    private final RateWriter writer;
    private final TickerConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Random random = new Random();

    SimulatedRates(RateReader rates, RateWriter writer, TickerConfig config, Clock clock, Scheduler scheduler) {
        this.rates = rates;
        this.writer = writer;
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    void onStart(@Observes StartupEvent event) {
        TickerConfig.Source settings = config.sources().source().get(ID);
        if (settings == null || !settings.enabled().orElse(false)) {
            return;
        }
        String schedule = settings.schedule().orElse(DEFAULT_SCHEDULE);
        scheduler.newJob("simulate").setCron(schedule)
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setSkipPredicate(Scheduled.ApplicationNotRunning.class)
                .setTask(execution -> move())
                .schedule();
        Log.infof("Simulated rates on (%s): values labelled source=simulated are not official", schedule);
    }

    void move() {
        Snapshot snapshot = rates.snapshot();
        if (snapshot == null) {
            return;
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<Observation> moves = new ArrayList<>();
        for (Rate rate : snapshot.rates().values()) {
            BigDecimal factor = BigDecimal.valueOf(1 + (random.nextDouble() * 2 - 1) * MAX_MOVE);
            moves.add(new Observation(rate.currency(), today, rate.perUsd().multiply(factor, MathContext.DECIMAL64),
                    ID, clock.instant()));
        }
        if (!moves.isEmpty()) {
            writer.ingest(moves, true);
        }
    }
}
