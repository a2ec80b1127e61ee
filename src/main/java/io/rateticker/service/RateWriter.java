package io.rateticker.service;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rateticker.Observation;
import io.rateticker.config.TickerConfig;
import io.rateticker.store.ObservationRepository;
import io.rateticker.store.ObservationRepository.Change;
import io.rateticker.store.ObservationRepository.Contents;
import io.rateticker.Observation.Key;
import io.rateticker.store.ObservationRepository.Stored;
import io.rateticker.store.StoreException;
import io.rateticker.stream.StreamBroadcaster;

/**
 * The write path: observations go to the store; changes come back from the store's change log (this replica's and,
 * on a shared store, every other replica's) into the book, then into a new {@link Snapshot}, then out to the stream.
 * Writes and catch-ups are serialized by one lock. Time writes too: a rate turns stale, a value in force lapses.
 */
@ApplicationScoped
public class RateWriter {

    /** The book as it stood at change {@code upTo}: a copy, the writer's own goes on. */
    record BookAt(RateBook book, long upTo) {
    }

    private final TickerConfig config;
    private final ObservationRepository repository;
    private final StreamBroadcaster broadcaster;
    private final Clock clock;
    private final MeterRegistry registry;
    private final SnapshotBuilder snapshots;
    private final ChangeEvents events;
    private final RateGuard guard;
    /** Serializes writes and catch-ups; a reader that finds a value lapsed takes it only if it is free. */
    private final ReentrantLock writeLock = new ReentrantLock();
    // Written under writeLock: every observation, and the last change applied to it (read freely, for the metrics).
    private RateBook book;
    private volatile long applied;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

    RateWriter(TickerConfig config, ObservationRepository repository, StreamBroadcaster broadcaster, Clock clock,
            MeterRegistry registry, Freshness freshness, SnapshotBuilder snapshots, ChangeEvents events) {
        this.config = config;
        this.repository = repository;
        this.broadcaster = broadcaster;
        this.clock = clock;
        this.registry = registry;
        this.snapshots = snapshots;
        this.events = events;
        this.guard = new RateGuard(config.guard(), source -> freshness.calendar(source) != null);
    }

    void onStart(@Observes StartupEvent event) {
        load();
    }

    /** Loads the store into memory (filling an empty store with the bundled rates first). */
    void load() {
        writeLock.lock();
        try {
            Contents contents = repository.load();
            if (contents.observations().isEmpty()) {
                List<Observation> bundled = BundledRates.of(config.currencies());
                counted(repository.store(bundled));
                Log.infof("Empty store: loaded %d bundled last-known rates (served as stale)", bundled.size());
                contents = repository.load();
            }
            book = new RateBook(config.sources().preference(), config.sources().currencyPreference());
            contents.observations().forEach(book::put);
            applied = contents.sequence();
            snapshot.set(snapshots.build(book, applied, null, null, new HashMap<>()));
            broadcaster.start(applied);
            Log.infof("Loaded %d observations up to change %d", contents.observations().size(), applied);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The current snapshot, first made again if a rate has turned stale since it was made; null until loaded. Costs
     * one clock read on the hot path and never waits for the write lock (it runs on event loops): where a value in
     * force has lapsed, so that another may serve, the series are made again if the lock is free, else only the
     * staleness is (and the next write or {@link #checkStale} makes them).
     */
    Snapshot current() {
        Snapshot current = snapshot.get();
        if (current != null && current.nextStaleAt() != null && !clock.instant().isBefore(current.nextStaleAt())) {
            if (current.data().lapsed(clock.instant()) && writeLock.tryLock()) {
                try {
                    return remakeLapsed(current);
                } finally {
                    writeLock.unlock();
                }
            }
            // If a write swapped in a snapshot meanwhile, that one is newer, already right about staleness, and its
            // events carry the flag.
            Snapshot restaled = snapshots.restaled(current);
            if (snapshot.compareAndSet(current, restaled)) {
                broadcaster.turned(events.turned(current, restaled));
            }
            return snapshot.get();
        }
        return current;
    }

    /**
     * Rates turn stale with no write: this makes sure streams hear of it soon even when nothing is being read, and
     * that a lapsed value gives way even when every reader found the lock taken.
     */
    @Scheduled(every = "10s", delayed = "10s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void checkStale() {
        Snapshot current = current();
        if (current != null && current.data().lapsed(clock.instant())) {
            writeLock.lock();
            try {
                remakeLapsed(snapshot.get());
            } finally {
                writeLock.unlock();
            }
        }
    }

    /**
     * Under the write lock: the series of {@code current} whose value in force has lapsed made again, and the streams
     * told what that turned, unless another snapshot has come meanwhile (a write's, right already).
     */
    private Snapshot remakeLapsed(Snapshot current) {
        if (snapshot.get() == current && current.data().lapsed(clock.instant())) {
            Snapshot rebuilt = snapshots.build(book, applied, current, Set.of(), new HashMap<>());
            if (snapshot.compareAndSet(current, rebuilt)) {
                broadcaster.turned(events.turned(current, rebuilt));
            }
        }
        return snapshot.get();
    }

    /**
     * Stores the observations (all or nothing), then applies them and publishes a {@code rate} event for every
     * currency whose served rate changed in any field. {@code guarded} observations (fetched automatically) pass the
     * sanity guard first: implausible ones are stored as rejected and never served.
     */
    public IngestResult ingest(List<Observation> observations, boolean guarded) {
        writeLock.lock();
        try {
            List<Observation> checked = observations;
            if (guarded) {
                catchUpLocked(); // the guard compares with the latest values, whichever replica stored them
                checked = observations.stream().flatMap(o -> guard.check(o, book).stream()).toList();
            }
            return storeAndApply(checked);
        } finally {
            writeLock.unlock();
        }
    }

    /** Stores the observations, applies them (and whatever came before them), and counts them; under the lock. */
    private IngestResult storeAndApply(List<Observation> observations) {
        List<Stored> stored = repository.store(observations);
        catchUpAfterWrite(stored.isEmpty() ? applied : stored.get(stored.size() - 1).sequence());
        return counted(stored);
    }

    /**
     * From the change log rather than from what was just stored: on a shared store, other replicas' writes committed
     * before this one must be applied (and published) first.
     */
    private void catchUpAfterWrite(long sequence) {
        try {
            catchUpLocked();
        } catch (StoreException e) {
            Log.warnf("Stored change %d but could not read it back yet (%s); the next catch-up applies it", sequence,
                    e.getMessage());
        }
    }

    /**
     * Applies every change committed after the last one applied, by this replica or another, and publishes the
     * events of each write. Idempotent: a change is applied once, in sequence order.
     */
    public void catchUp() {
        writeLock.lock();
        try {
            catchUpLocked();
        } finally {
            writeLock.unlock();
        }
    }

    private void catchUpLocked() {
        List<Change> changes = repository.changes(applied, Long.MAX_VALUE, Integer.MAX_VALUE);
        if (changes.isEmpty()) {
            return;
        }
        Snapshot before = snapshot.get();
        Map<String, NavigableMap<LocalDate, Observation>> series = new HashMap<>(before.data().served());
        List<StreamBroadcaster.Write> writes = events.apply(book, changes, series);
        applied = changes.get(changes.size() - 1).sequence();
        Set<String> touched = new HashSet<>();
        changes.forEach(change -> touched.add(change.observation().line()));
        snapshot.set(snapshots.build(book, applied, before, touched, series));
        broadcaster.publish(applied, writes);
    }

    /**
     * Releases a value the sanity guard holds back: stored as accepted, noting that an operator released it, and
     * published like any write. 404 if there is no such value, 409 if it is not held back.
     */
    public IngestResult release(Key key) {
        writeLock.lock();
        try {
            catchUpLocked();
            Observation held = book.on(key.line(), key.asOf()).get(key.source());
            if (held == null) {
                throw new RequestException(404, "no " + key.source() + " value of " + key.line() + " for "
                        + key.asOf() + " is stored; GET /api/v1/admin/rejections lists the held-back ones");
            }
            if (!held.isRejected()) {
                throw new RequestException(409, "the " + key.source() + " value of " + key.line() + " for "
                        + key.asOf() + " is not held back");
            }
            Observation released = held.withReleased("released by an operator at " + clock.instant()
                    .truncatedTo(ChronoUnit.SECONDS));
            Log.infof("Released %s %s %s (%s), held back for: %s", key.source(), key.line(), key.asOf(),
                    held.perUsd().toPlainString(), held.rejected());
            return storeAndApply(List.of(released));
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Removes one stored value (of any source: a bank's wrong date or value, a bundled one), through the change log,
     * so that every replica and every stream applies it. 404 if there is none.
     */
    public IngestResult.Item delete(Key key) {
        writeLock.lock();
        try {
            Stored deleted = repository.delete(key).orElseThrow(() -> new RequestException(404, "no " + key.source()
                    + " value of " + key.line() + " for " + key.asOf() + " is stored"));
            Observation o = deleted.observation();
            Log.infof("Deleted %s %s %s (%s)", key.source(), key.line(), key.asOf(), o.perUsd().toPlainString());
            catchUpAfterWrite(deleted.sequence());
            return new IngestResult.Item(o.currency(), o.quote(), o.asOf(), o.perUsd(), o.source(), "deleted",
                    o.rejected());
        } finally {
            writeLock.unlock();
        }
    }

    /** The last change applied to memory (and published). */
    public long appliedSequence() {
        return applied;
    }

    /** The dates for which {@code source} has given any value (for backfill). */
    Set<LocalDate> datesFrom(String source) {
        writeLock.lock();
        try {
            return book.dates(source);
        } finally {
            writeLock.unlock();
        }
    }

    /** The book as of the latest change of the store, whichever replica wrote it (for a resume to roll back). */
    BookAt bookNow() {
        writeLock.lock();
        try {
            catchUpLocked(); // an id from a replica that is ahead of this one
            return new BookAt(book.copy(), applied);
        } finally {
            writeLock.unlock();
        }
    }

    /** Counts items that failed validation, so that rejected input is visible in the metrics. */
    public void countRejected(String source, int items) {
        ingested(source, "rejected").increment(items);
    }

    /** Counts each stored observation by source and outcome, and reports them. */
    private IngestResult counted(List<Stored> stored) {
        List<IngestResult.Item> items = stored.stream().map(s -> {
            Observation o = s.observation();
            String outcome = o.isRejected() ? "rejected"
                    : s.outcome() == ObservationRepository.Outcome.REFRESHED ? "unchanged"
                    : o.released() != null ? "released" : "accepted";
            ingested(o.source(), outcome).increment();
            return new IngestResult.Item(o.currency(), o.quote(), o.asOf(), o.perUsd(), o.source(), outcome,
                    o.isRejected() ? o.rejected() : o.released());
        }).toList();
        return IngestResult.of(items);
    }

    private Counter ingested(String source, String outcome) {
        return Counter.builder("ticker.ingest")
                .description("Observations written: accepted (new or changed), unchanged (same value again), rejected "
                        + "(held back), released (held back before)")
                .tags("source", source, "outcome", outcome)
                .register(registry);
    }
}
