package io.rateticker.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.rateticker.Observation;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.RateService.IngestResult;
import io.rateticker.source.Calendar;
import io.rateticker.source.DocumentException;
import io.rateticker.source.FetchException;
import io.rateticker.source.RateSource;
import io.rateticker.source.SourceClient;
import io.rateticker.source.SourceRate;
import io.rateticker.store.StoreException;

/**
 * Fetches the official rates: on each source's schedule, once at start (with a backfill of missing days), on
 * demand, or from a document fed by hand. A failure is recorded and counted; the rates already served stay.
 */
@ApplicationScoped
public class FetchService {

    /**
     * What one fetch did: {@code success}, {@code not_modified}, {@code error}, {@code rejected}, or (for a past or
     * next day's document) {@code not_published}.
     */
    public record Outcome(String source, String outcome, String error, IngestResult result) {
    }

    /**
     * What the service knows of one source, for {@code GET /api/v1/sources}: {@code expectedAsOf} is the latest
     * effective date its calendar says it should have published by now, {@code latestAsOf} the latest it has given,
     * {@code publicationsMissed} how many publication days in between are overdue.
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

    /**
     * One fetch's outcome, and whether the bank could not be reached at all (no connection, no answer in time, a
     * 5xx, or its circuit breaker open): then asking it for other dates is pointless for now.
     */
    private record Attempt(Outcome outcome, boolean unreachable, boolean breakerOpen) {
    }

    /** The validators and rates of the last latest-document of a source, for conditional GET. */
    private record Cached(String url, String etag, String lastModified, List<SourceRate> rates) {
    }

    private static final class State {
        volatile Instant lastAttemptAt;
        volatile Instant lastSuccessAt;
        volatile String lastError;
        final AtomicInteger consecutiveFailures = new AtomicInteger();
        volatile Cached latest;
        /** Days to fill are owed since this replica took over; filled at the first fetch that reaches the bank. */
        final AtomicBoolean backfillDue = new AtomicBoolean();
        final AtomicBoolean backfilling = new AtomicBoolean();
        volatile Backfill backfill;
    }

    /** Backfills asking for at least this many days log their progress. */
    private static final int LOGGED_BACKFILL = 100;

    private final Map<String, RateSource> sources = new ConcurrentHashMap<>();
    private volatile boolean fetching;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final SourceClient client;
    private final RateService rates;
    private final TickerConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ManagedExecutor executor;
    private final MeterRegistry registry;
    private final Freshness freshness;
    private final Pairs pairs;

    FetchService(Instance<RateSource> sources, SourceClient client, RateService rates, TickerConfig config, Clock clock,
            Scheduler scheduler, ManagedExecutor executor, MeterRegistry registry, Freshness freshness, Pairs pairs) {
        sources.forEach(source -> this.sources.put(source.id(), source));
        this.client = client;
        this.rates = rates;
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.executor = executor;
        this.registry = registry;
        this.freshness = freshness;
        this.pairs = pairs;
        this.sources.keySet().forEach(id -> states.put(id, new State()));
    }

    /** After the store is loaded (the default observer priority): the schedules, which run on the fetcher only. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        for (RateSource source : sources.values()) {
            registerMetrics(source);
            String schedule = schedule(source);
            if (enabled(source) && !"off".equals(schedule)) {
                scheduler.newJob(job(source))
                        .setCron(schedule)
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
     * Makes this replica the one that runs the scheduled fetches (see {@link ClusterService}), starting with a fetch
     * of every source and a backfill: whatever was due while no replica fetched.
     */
    void takeOver() {
        fetching = true;
        for (RateSource source : sources.values()) {
            if (enabled(source)) {
                states.get(source.id()).backfillDue.set(true);
                // Off the caller's thread: readiness and the cluster listener do not wait for banks.
                executor.runAsync(() -> fetchLatest(source));
            }
        }
    }

    /** Nothing is fetched once the application stops: a backfill under way ends before its next date. */
    void onStop(@Observes ShutdownEvent event) {
        fetching = false;
    }

    /** Another replica fetches from now on (or none, until this one has its database connection back). */
    void standDown() {
        fetching = false;
    }

    /** Fetches now, from one source or from every enabled one (in parallel: one slow bank does not hold up the rest). */
    public List<Outcome> refresh(Optional<String> id) {
        if (id.isPresent()) {
            RateSource source = source(id.get());
            if (!enabled(source)) {
                throw new RequestException(409, "source " + source.id() + " is disabled (ticker.sources."
                        + source.id() + ".enabled)");
            }
            return List.of(fetchLatest(source));
        }
        List<CompletableFuture<Outcome>> fetches = sources.values().stream().filter(this::enabled)
                .sorted(this::byPreference)
                .map(source -> executor.supplyAsync(() -> fetchLatest(source)))
                .toList();
        return fetches.stream().map(CompletableFuture::join).toList();
    }

    /**
     * A document fed by hand, exactly as the bank serves it: the same parser, checks and store as a fetch.
     * Unparseable → 422, nothing stored.
     */
    public IngestResult feed(String id, byte[] body) {
        RateSource source = source(id);
        List<SourceRate> parsed;
        try {
            parsed = source.parse(body);
        } catch (DocumentException e) {
            throw new RequestException(422, "not a " + source.id() + " document: " + e.getMessage()
                    + "; nothing was stored");
        }
        IngestResult result;
        try {
            checkDates(source, parsed, null);
            result = ingest(source, parsed);
        } catch (DocumentException e) {
            throw new RequestException(422, e.getMessage() + "; nothing was stored");
        }
        count(source, result.rejected() > 0 ? "rejected" : "success");
        // The bank's latest document, as much as a fetched one: where a bank refuses the cluster, this is how its
        // rates arrive, and its last success must not read as an outage.
        states.get(source.id()).lastSuccessAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return result;
    }

    public List<SourceStatus> statuses() {
        Snapshot snapshot = rates.loadedSnapshot();
        Instant now = clock.instant();
        return sources.values().stream().sorted(this::byPreference).map(source -> {
            State state = states.get(source.id());
            RateSource.Info info = source.info();
            Trigger trigger = scheduler.getScheduledJob(job(source));
            LocalDate latest = snapshot.latestAsOf(info.id());
            return new SourceStatus(info.id(), info.name(), info.currencies(), url(source), enabled(source),
                    schedule(source), info.zone().getId(), info.terms(), state.lastAttemptAt, state.lastSuccessAt,
                    freshness.expectedAsOf(info.id(), now), latest, freshness.publicationsMissed(info.id(), latest, now),
                    state.lastError, state.consecutiveFailures.get(), client.circuit(info.id()),
                    trigger == null ? null : trigger.getNextFireTime(), state.backfill);
        }).toList();
    }

    /**
     * The latest document of the source: dateless where the bank has such an address, today's otherwise; then the
     * backfill, if one is owed and the bank answered.
     */
    Outcome fetchLatest(RateSource source) {
        LocalDate today = LocalDate.now(clock.withZone(source.info().zone()));
        String path = source.latestPath(today);
        Attempt attempt = fetch(source, url(source) + path, source.latestIsDated() ? today : null, true);
        Outcome outcome = attempt.outcome();
        State state = states.get(source.id());
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
        // a scheduled fetch and a refresh may both get here, and a backfill may still be under way: one fills
        if (!attempt.unreachable() && state.backfillDue.get() && state.backfilling.compareAndSet(false, true)) {
            state.backfillDue.set(false);
            executor.runAsync(() -> {
                try {
                    backfill(source, state);
                } finally {
                    state.backfilling.set(false);
                }
            });
        }
        if (!attempt.unreachable()) {
            fetchAhead(source);
        }
        return outcome;
    }

    /**
     * The next publication day's rate, once the bank's calendar says it is announced, from banks whose latest
     * document does not give it (only a dated address does): the served rate is then the latest announced, as it
     * is for the banks whose latest document already is the next day's.
     */
    private void fetchAhead(RateSource source) {
        Calendar calendar = freshness.calendar(source.id());
        ZonedDateTime now = clock.instant().atZone(calendar.zone());
        if (!source.aheadIsDated() || calendar.aheadFrom() == null || now.toLocalTime().isBefore(calendar.aheadFrom())) {
            return;
        }
        LocalDate next = calendar.nextPublication(now.toLocalDate());
        if (next == null || rates.datesFrom(source.id()).contains(next)) {
            return;
        }
        Attempt attempt = fetch(source, url(source) + source.datedPath(next), next, false);
        if (attempt.outcome().error() != null) {
            // Tried again at the next scheduled fetch; the latest document's failures are the ones reported.
            Log.debugf("Fetching %s for %s: %s", source.id(), next, attempt.outcome().error());
        }
    }

    /**
     * Fetches the publication days of the source's last {@code backfill-days} for which the store has nothing from
     * it, newest first, at most {@code ticker.sources.backfill-rate} requests a second, so that a restart asks only for
     * what is still missing. It stops when the bank cannot be reached (the rest is owed until a fetch reaches it
     * again) and when another replica takes over fetching. A progress line per tenth of a long backfill.
     */
    private void backfill(RateSource source, State state) {
        LocalDate to = LocalDate.now(clock.withZone(source.info().zone()));
        int days = backfillDays(source);
        if (days == 0 || source.datedPath(to) == null) {
            return;
        }
        LocalDate from = to.minusDays(days - 1L);
        Calendar calendar = freshness.calendar(source.id());
        Set<LocalDate> have = rates.datesFrom(source.id());
        List<LocalDate> missing = new ArrayList<>();
        int total = 0;
        for (LocalDate date = to; !date.isBefore(from); date = date.minusDays(1)) {
            if (calendar.publishes(date)) {
                total++;
                if (!have.contains(date)) {
                    missing.add(date);
                }
            }
        }
        int done = total - missing.size();
        state.backfill = new Backfill(from, to, done, total);
        long interval = (long) (1e9 / config.sources().backfillRate());
        long next = System.nanoTime();
        int filled = 0;
        for (int i = 0; i < missing.size(); i++) {
            try {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stopping
                return;
            }
            if (!fetching) {
                return; // stopping, or another replica fetches (and fills) from now on
            }
            next = System.nanoTime() + interval;
            LocalDate date = missing.get(i);
            Attempt attempt = fetch(source, url(source) + source.datedPath(date), date, false);
            if (attempt.outcome().error() == null) {
                filled++;
            } else if (attempt.unreachable()) {
                state.backfillDue.set(true);
                Log.debugf("Backfill of %s stopped at %s: %s", source.id(), date, attempt.outcome().error());
                return;
            } else {
                Log.debugf("Backfill of %s for %s: %s", source.id(), date, attempt.outcome().error());
            }
            state.backfill = new Backfill(from, to, ++done, total);
            if (missing.size() >= LOGGED_BACKFILL && (i + 1) * 10 / missing.size() > i * 10 / missing.size()
                    && i + 1 < missing.size()) {
                Log.infof("Backfill of %s: %d%% (%d of %d missing days asked, back to %s)", source.id(),
                        (i + 1) * 100 / missing.size(), i + 1, missing.size(), date);
            }
        }
        Log.infof("Backfill of %s: %d of %d missing publication days since %s fetched", source.id(), filled,
                missing.size(), from);
    }

    /**
     * The earliest date that a fetch still owed here may give a rate of (a backfill owed or under way), or null when
     * none is: an answer about an earlier day changes only by a correction.
     */
    public LocalDate pendingFrom() {
        LocalDate earliest = null;
        for (RateSource source : sources.values()) {
            State state = states.get(source.id());
            if (!state.backfillDue.get() && !state.backfilling.get() || !enabled(source)) {
                continue;
            }
            LocalDate today = LocalDate.now(clock.withZone(source.info().zone()));
            int days = backfillDays(source);
            if (days > 0 && source.datedPath(today) != null) {
                LocalDate from = today.minusDays(days - 1L);
                earliest = earliest == null || from.isBefore(earliest) ? from : earliest;
            }
        }
        return earliest;
    }

    private int backfillDays(RateSource source) {
        TickerConfig.Source settings = settings(source);
        return settings == null ? config.sources().backfillDays()
                : settings.backfillDays().orElse(config.sources().backfillDays());
    }

    /**
     * One fetch: conditional GET, parse, check the date, store through the sanity guard.
     *
     * @param requested the date asked for, which the document must be for; null for a dateless address
     */
    private Attempt fetch(RateSource source, String url, LocalDate requested, boolean latest) {
        State state = states.get(source.id());
        Timer.Sample sample = Timer.start(registry);
        if (latest) {
            state.lastAttemptAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
        Outcome outcome;
        boolean unreachable = false;
        boolean breakerOpen = false;
        try {
            Cached cached = latest && state.latest != null && state.latest.url().equals(url) ? state.latest : null;
            SourceClient.Response response = client.get(source.id(), url, cached == null ? null : cached.etag(),
                    cached == null ? null : cached.lastModified());
            List<SourceRate> parsed;
            LocalDate other = null;
            if (response.status() == 304) {
                parsed = cached.rates(); // the bank confirms what it sent last: received again, so fetchedAt moves
            } else {
                parsed = source.parse(response.body());
                // for a past or next day: a weekend, a holiday, or a rate not announced yet (another day's answers)
                other = latest ? null : otherDate(parsed, requested);
                if (other == null) {
                    checkDates(source, parsed, requested);
                }
                if (latest && (response.etag() != null || response.lastModified() != null)) {
                    state.latest = new Cached(url, response.etag(), response.lastModified(), parsed);
                }
            }
            if (other != null) {
                outcome = new Outcome(source.id(), "not_published", "no document for " + requested
                        + " yet (the bank answered with " + other + ")", null);
            } else {
                IngestResult result = ingest(source, parsed);
                outcome = new Outcome(source.id(),
                        result.rejected() > 0 ? "rejected" : response.status() == 304 ? "not_modified" : "success",
                        null, result);
            }
        } catch (FetchException e) {
            outcome = new Outcome(source.id(), "error", e.getMessage(), null);
            unreachable = e.retryable();
        } catch (DocumentException e) {
            outcome = new Outcome(source.id(), "error", e.getMessage(), null);
        } catch (CircuitBreakerOpenException e) {
            String last = state.lastError == null ? "" : " (last error: " + state.lastError + ")";
            outcome = new Outcome(source.id(), "error", "circuit breaker open after repeated failures" + last
                    + "; not calling " + url + " for now", null);
            unreachable = true;
            breakerOpen = true;
        } catch (StoreException e) {
            outcome = new Outcome(source.id(), "error", "the rate store is unavailable: " + e.getMessage(), null);
        } catch (Exception e) {
            Log.errorf(e, "Unexpected failure fetching %s", url);
            outcome = new Outcome(source.id(), "error", "unexpected: " + e, null);
        }
        sample.stop(fetchTimer(source));
        count(source, outcome.outcome());
        return new Attempt(outcome, unreachable, breakerOpen);
    }

    /** A date of the document other than the one asked for, or null. */
    private static LocalDate otherDate(List<SourceRate> parsed, LocalDate requested) {
        return requested == null ? null
                : parsed.stream().map(SourceRate::asOf).filter(d -> !d.equals(requested)).findFirst().orElse(null);
    }

    /**
     * The document's dates: the one asked for, if any (NBT, for one, answers a date it has not published with another
     * day's table), and never one no bank publishes (a typo, or a hostile document): served, a date years ahead would
     * hold the currency's served rate for good.
     */
    private void checkDates(RateSource source, List<SourceRate> parsed, LocalDate requested) throws DocumentException {
        LocalDate today = LocalDate.now(clock.withZone(source.info().zone()));
        LocalDate earliest = config.sources().earliest();
        for (SourceRate rate : parsed) {
            if (requested != null && !rate.asOf().equals(requested)) {
                throw new DocumentException("the document is for " + rate.asOf() + ", not the requested " + requested);
            }
            if (rate.asOf().isAfter(today.plusDays(2))) {
                throw new DocumentException("the " + source.id() + " document is dated " + rate.asOf()
                        + ", more than 2 days after today (" + today + " in " + source.info().zone() + ")");
            }
            if (rate.asOf().isBefore(earliest)) {
                throw new DocumentException("the " + source.id() + " document is dated " + rate.asOf()
                        + ", before ticker.sources.earliest (" + earliest + ")");
            }
        }
    }

    /**
     * Stores the document's rows that are kept (see {@link #kept}) through the guard; its refused rows are reported as
     * rejected items (never stored). A document of nothing but refused rows fails.
     */
    private IngestResult ingest(RateSource source, List<SourceRate> parsed) throws DocumentException {
        Instant now = clock.instant();
        List<Observation> observations = new ArrayList<>();
        List<RateService.Item> refused = new ArrayList<>();
        for (SourceRate rate : parsed) {
            if (!kept(source, rate)) {
                continue;
            }
            if (rate.refused() == null) {
                observations.add(new Observation(rate.currency(), rate.quote(), rate.asOf(), rate.value(), source.id(),
                        now));
            } else {
                refused.add(new RateService.Item(rate.currency(), rate.quote(), rate.asOf(), null, source.id(),
                        "rejected", rate.refused()));
            }
        }
        if (observations.isEmpty() && !refused.isEmpty()) {
            throw new DocumentException("no row can be taken: " + refused.stream()
                    .map(i -> Observation.line(i.currency(), i.quote()) + ": " + i.reason())
                    .collect(Collectors.joining("; ")));
        }
        rates.countRejected(source.id(), refused.size());
        IngestResult stored = observations.isEmpty() ? new IngestResult(0, 0, 0, 0, List.of())
                : rates.ingest(observations, true);
        if (refused.isEmpty()) {
            return stored;
        }
        List<RateService.Item> items = new ArrayList<>(stored.items());
        items.addAll(refused);
        return new IngestResult(stored.accepted(), stored.unchanged(), stored.rejected() + refused.size(),
                stored.released(), items);
    }

    /**
     * Whether a row is kept ({@link Pairs#kept}): of the bank's own currency, or a dollar rate of another that it makes
     * as a cross (the Bank of Russia's).
     */
    private boolean kept(RateSource source, SourceRate rate) {
        return pairs.kept(rate.currency(), rate.quote())
                && (source.issues(rate.currency()) || rate.quote().equals(Observation.USD));
    }

    private void count(RateSource source, String outcome) {
        counter(source, outcome).increment();
    }

    private Counter counter(RateSource source, String outcome) {
        return Counter.builder("ticker.source.fetch").description("Fetches of upstream documents by outcome")
                .tags("source", source.id(), "outcome", outcome).register(registry);
    }

    private Timer fetchTimer(RateSource source) {
        return Timer.builder("ticker.source.fetch.duration").description("Time to fetch and store a document")
                .tag("source", source.id()).register(registry);
    }

    private void registerMetrics(RateSource source) {
        // Every outcome from zero: increase() and the alerts see a source's first failure, not only its second.
        for (String outcome : List.of("success", "not_modified", "error", "rejected", "not_published")) {
            counter(source, outcome);
        }
        fetchTimer(source);
        State state = states.get(source.id());
        Gauge.builder("ticker.source.last.success.timestamp.seconds",
                () -> state.lastSuccessAt == null ? Double.NaN : state.lastSuccessAt.toEpochMilli() / 1000.0)
                .description("When the source last answered a fetch of its latest document, or one was fed by hand "
                        + "(Unix seconds)")
                .tag("source", source.id()).register(registry);
        Gauge.builder("ticker.source.publications.missed", () -> publicationsMissed(source))
                .description("Publication days of the source overdue by its calendar after the latest date it has "
                        + "given (NaN before its first value)")
                .tag("source", source.id()).register(registry);
        Gauge.builder("ticker.source.circuit.open", () -> "open".equals(client.circuit(source.id())) ? 1 : 0)
                .description("1 while the source's circuit breaker is open").tag("source", source.id())
                .register(registry);
        for (String currency : source.info().currencies()) {
            if (config.currencies().contains(currency)) {
                Gauge.builder("ticker.source.divergence.percent", () -> divergence(currency, source.id()))
                        .description("How far the source's value for the served date is from the served value, %")
                        .tags("currency", currency, "source", source.id()).register(registry);
            }
        }
    }

    private double publicationsMissed(RateSource source) {
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

    private RateSource source(String id) {
        RateSource source = sources.get(id);
        if (source == null) {
            throw new RequestException(404, "no source " + id + "; sources are " + String.join(",", sources.keySet()));
        }
        return source;
    }

    private int byPreference(RateSource a, RateSource b) {
        List<String> order = config.sources().preference();
        int ia = order.indexOf(a.id());
        int ib = order.indexOf(b.id());
        return Integer.compare(ia < 0 ? Integer.MAX_VALUE : ia, ib < 0 ? Integer.MAX_VALUE : ib);
    }

    private TickerConfig.Source settings(RateSource source) {
        return config.sources().source().get(source.id());
    }

    boolean enabled(RateSource source) {
        TickerConfig.Source settings = settings(source);
        return settings == null || settings.enabled().orElse(true);
    }

    String url(RateSource source) {
        TickerConfig.Source settings = settings(source);
        return settings == null ? source.info().defaultUrl() : settings.url().orElse(source.info().defaultUrl());
    }

    private String schedule(RateSource source) {
        TickerConfig.Source settings = settings(source);
        return settings == null ? source.info().defaultSchedule() : settings.schedule().orElse(source.info().defaultSchedule());
    }

    private static String job(RateSource source) {
        return "fetch-" + source.id();
    }
}
