package io.rateticker.service;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.context.ManagedExecutor;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.rateticker.service.Fetcher.Attempt;
import io.rateticker.service.Fetcher.Outcome;
import io.rateticker.service.Sources.Source;
import io.rateticker.source.Calendar;

/**
 * When the banks are asked: on each source's schedule while this replica is the fetcher (see {@link ClusterService}),
 * once at takeover with a backfill of missing days, the next day's rate once announced, and on demand.
 */
@ApplicationScoped
public class FetchScheduler {

    private final Sources sources;
    private final Fetcher fetcher;
    private final Backfiller backfiller;
    private final RateWriter writer;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ManagedExecutor executor;
    private volatile boolean fetching;

    FetchScheduler(Sources sources, Fetcher fetcher, Backfiller backfiller, RateWriter writer, Clock clock,
            Scheduler scheduler, ManagedExecutor executor) {
        this.sources = sources;
        this.fetcher = fetcher;
        this.backfiller = backfiller;
        this.writer = writer;
        this.clock = clock;
        this.scheduler = scheduler;
        this.executor = executor;
    }

    /** After the store is loaded (the default observer priority): the schedules, which run on the fetcher only. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        for (Source source : sources.all()) {
            if (source.enabled() && !"off".equals(source.schedule())) {
                scheduler.newJob(source.job())
                        .setCron(source.schedule())
                        .setTimeZone(source.info().zone().getId())
                        .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                        .setSkipPredicate(Scheduled.ApplicationNotRunning.class)
                        .setTask(execution -> {
                            if (fetching) {
                                fetchLatest(source);
                            }
                        })
                        .schedule();
            }
        }
    }

    /**
     * Makes this replica the one that runs the scheduled fetches, starting with a fetch of every source and a
     * backfill: whatever was due while no replica fetched.
     */
    void takeOver() {
        fetching = true;
        for (Source source : sources.all()) {
            if (source.enabled()) {
                source.state().backfillDue.set(true);
                // Off the caller's thread: readiness and the cluster listener do not wait for banks.
                executor.runAsync(() -> fetchLatest(source));
            }
        }
    }

    /** Another replica fetches from now on (or none, until this one has its database connection back). */
    void standDown() {
        fetching = false;
    }

    /** Nothing is fetched once the application stops: a backfill under way ends before its next date. */
    void onStop(@Observes ShutdownEvent event) {
        fetching = false;
    }

    /** Fetches now, from one source or from every enabled one (in parallel: one slow bank does not hold up the rest). */
    public List<Outcome> refresh(Optional<String> id) {
        if (id.isPresent()) {
            Source source = sources.get(id.get());
            if (!source.enabled()) {
                throw new RequestException(409, "source " + source.id() + " is disabled (ticker.sources."
                        + source.id() + ".enabled)");
            }
            return List.of(fetchLatest(source));
        }
        List<CompletableFuture<Outcome>> fetches = sources.all().stream().filter(Source::enabled)
                .map(source -> executor.supplyAsync(() -> fetchLatest(source)))
                .toList();
        return fetches.stream().map(CompletableFuture::join).toList();
    }

    /**
     * The latest document of the source: dateless where the bank has such an address, today's otherwise; then the
     * backfill, if one is owed and the bank answered.
     */
    Outcome fetchLatest(Source source) {
        LocalDate today = source.today(clock);
        String path = source.bank().latestPath(today);
        Attempt attempt = fetcher.fetch(source, source.url() + path, source.bank().latestIsDated() ? today : null, true);
        Outcome outcome = attempt.outcome();
        FetchState state = source.state();
        if (outcome.error() == null) {
            state.lastSuccessAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            state.lastError = null;
            state.consecutiveFailures.set(0);
        } else if (attempt.breakerOpen()) {
            // Not called: the last real error stays what /api/v1/sources shows, and was logged when it happened.
            Log.debugf("Fetching %s skipped: %s", source.id(), outcome.error());
        } else {
            state.lastError = outcome.error();
            state.consecutiveFailures.incrementAndGet();
            Log.warnf("Fetching %s failed: %s", source.id(), outcome.error());
        }
        if (!attempt.unreachable()) {
            backfiller.startIfDue(source, () -> fetching);
            fetchAhead(source);
        }
        return outcome;
    }

    /**
     * The next publication day's rate, once the bank's calendar says it is announced, from banks whose latest
     * document does not give it (only a dated address does): the served rate is then the latest announced, as it
     * is for the banks whose latest document already is the next day's.
     */
    private void fetchAhead(Source source) {
        Calendar calendar = source.calendar();
        ZonedDateTime now = clock.instant().atZone(calendar.zone());
        if (!source.bank().aheadIsDated() || calendar.aheadFrom() == null
                || now.toLocalTime().isBefore(calendar.aheadFrom())) {
            return;
        }
        LocalDate next = calendar.nextPublication(now.toLocalDate());
        if (next == null || writer.datesFrom(source.id()).contains(next)) {
            return;
        }
        Attempt attempt = fetcher.fetch(source, source.url() + source.bank().datedPath(next), next, false);
        if (attempt.outcome().error() != null) {
            // Tried again at the next scheduled fetch; the latest document's failures are the ones reported.
            Log.debugf("Fetching %s for %s: %s", source.id(), next, attempt.outcome().error());
        }
    }
}
