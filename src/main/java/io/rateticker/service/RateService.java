package io.rateticker.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.rateticker.store.ObservationRepository;
import io.rateticker.store.ObservationRepository.Change;
import io.rateticker.store.ObservationRepository.Contents;
import io.rateticker.store.ObservationRepository.Key;
import io.rateticker.store.ObservationRepository.Stored;
import io.rateticker.store.StoreException;
import io.rateticker.stream.StreamBroadcaster;

/**
 * The data path: observations go to the store; changes come back from the store's change log (this replica's and,
 * on a shared store, every other replica's) into memory, then into a new {@link Snapshot}, then out to the stream.
 * Writes and catch-ups are serialized by one lock; reads only take the current snapshot.
 */
@ApplicationScoped
public class RateService {

    static final String BUNDLED = "bundled";
    private static final String BUNDLED_FILE = "bundled-rates.csv";
    /** What an entry of the resume cache costs besides its frames (an id with no resume: a snapshot instead). */
    private static final long RESUME_ENTRY_BYTES = 128;

    /** What one write did, as the admin API reports it. */
    public record IngestResult(int accepted, int unchanged, int rejected, int released, List<Item> items) {
    }

    /**
     * One stored observation and its outcome: {@code accepted}, {@code unchanged}, {@code rejected} (held back, with
     * the reason), {@code released} (held back before, accepted now; the reason says who or what released it) or
     * {@code deleted}.
     */
    public record Item(String currency, String quote, LocalDate asOf, BigDecimal perUsd, String source,
            String outcome, String reason) {
    }

    /** A value the sanity guard holds back ({@code value}: units of the currency per unit of the quote), and since when. */
    public record Rejection(String source, String currency, String quote, LocalDate asOf, BigDecimal value,
            String reason, Instant since) {
    }

    private final TickerConfig config;
    private final ObservationRepository repository;
    private final StreamBroadcaster broadcaster;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final Freshness freshness;
    private final Pairs pairs;

    private final RateGuard guard;
    /** Serializes writes and catch-ups; a reader that finds a value lapsed takes it only if it is free. */
    private final ReentrantLock writeLock = new ReentrantLock();
    // Written under writeLock: every observation, and the last change applied to it (read freely, for the metrics).
    private RateBook book;
    private volatile long applied;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    /**
     * Recent answers of {@link #resume}, by id, least recently used first, at most
     * {@code ticker.stream.resume-cache-bytes} in all (ids are the clients' choice); the lock also makes concurrent
     * resumes from one id compute it once.
     */
    private final LinkedHashMap<Long, StreamBroadcaster.Resume> resumes = new LinkedHashMap<>(16, 0.75f, true);
    private long resumesBytes;

    RateService(TickerConfig config, ObservationRepository repository, StreamBroadcaster broadcaster, Clock clock,
            ObjectMapper mapper, MeterRegistry registry, Freshness freshness, Pairs pairs) {
        this.config = config;
        this.pairs = pairs;
        this.repository = repository;
        this.broadcaster = broadcaster;
        this.clock = clock;
        this.mapper = mapper;
        this.registry = registry;
        this.freshness = freshness;
        this.guard = new RateGuard(config.guard(), source -> freshness.calendar(source) != null);
        Gauge.builder("ticker.stream.resume.cache.bytes", () -> {
            synchronized (resumes) {
                return resumesBytes;
            }
        }).description("Bytes of rebuilt stream resumes kept (at most ticker.stream.resume-cache-bytes)")
                .register(registry);
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
                List<Observation> bundled = bundledRates();
                result(repository.store(bundled));
                Log.infof("Empty store: loaded %d bundled last-known rates (served as stale)", bundled.size());
                contents = repository.load();
            }
            book = new RateBook(config.sources().preference(), config.sources().currencyPreference());
            contents.observations().forEach(book::put);
            applied = contents.sequence();
            snapshot.set(build(applied, null, new HashMap<>()));
            broadcaster.start(applied);
            Log.infof("Loaded %d observations up to change %d", contents.observations().size(), applied);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The current snapshot, first rebuilt if a rate has turned stale since it was made; null until loaded. Costs one
     * clock read on the hot path and never waits for the write lock (it runs on event loops): where a value in force
     * has lapsed, so that another may serve, the series are made again if the lock is free, else only the staleness
     * is (and the next write or {@link #checkStale} makes them).
     */
    public Snapshot snapshot() {
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
            Snapshot rebuilt = snapshotOf(current.sequence(), current.data());
            if (snapshot.compareAndSet(current, rebuilt)) {
                turned(current, rebuilt);
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
        Snapshot current = snapshot();
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
            Snapshot rebuilt = build(applied, Set.of(), new HashMap<>());
            if (snapshot.compareAndSet(current, rebuilt)) {
                turned(current, rebuilt);
            }
        }
        return snapshot.get();
    }

    /** Tells the streams what time alone changed between two snapshots of the same data: staleness, a lapse. */
    private void turned(Snapshot before, Snapshot after) {
        List<Rate> turned = new ArrayList<>(after.rates().values().stream()
                .filter(rate -> !rate.equals(before.rate(rate.currency())))
                .toList());
        turned.addAll(pairs.moved(before.legs(), after.legs()));
        broadcaster.turned(turned);
    }

    /**
     * The rates in force on {@code date} ({@code ?date=}) against {@code base} (see {@link Pairs}), from
     * {@link #legsOn}. A 404 if none of them has a rate that early.
     */
    public List<Rate> ratesOn(Snapshot snapshot, LocalDate date, String base, List<String> currencies) {
        InForce inForce = legsOn(snapshot, date, Pairs.lines(base, currencies));
        List<Rate> rates = new ArrayList<>(currencies.size());
        for (String currency : currencies) {
            Rate rate = Pairs.rate(currency, base, inForce.legs());
            if (rate != null) {
                rates.add(rate);
            }
        }
        if (rates.isEmpty()) {
            throw inForce.none(String.join(",", Pairs.USD.equals(base) ? currencies
                    : currencies.stream().map(c -> Pairs.pair(c, base)).toList()), date);
        }
        return rates;
    }

    /**
     * The legs of some lines in force on a date; {@code earliest} is the earliest date of those that have none then
     * (null if they have none at all).
     */
    public record InForce(Map<String, Pairs.Leg> legs, LocalDate earliest) {

        /** The 404 of a date with no rate of {@code what}. */
        public RequestException none(String what, LocalDate date) {
            return new RequestException(404, "date: no rate of " + what + " is dated on or before " + date
                    + (earliest == null ? "" : "; the earliest is of " + earliest));
        }
    }

    /**
     * Each line's value in force on {@code date} from its served series (see {@link RateBook#served}), with the change
     * from the value served before it, stale as it stood at the end of that day (UTC), or now if that is earlier. A
     * 400 for a date more than two days ahead, where no rate can be dated (FetchService refuses them, and so does the
     * admin API).
     */
    public InForce legsOn(Snapshot snapshot, LocalDate date, Set<String> lines) {
        Instant now = clock.instant();
        if (date.isAfter(LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(2))) {
            throw new RequestException(400, "date: " + date + " is more than 2 days ahead; no rate is dated that far ahead");
        }
        Instant endOfDay = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant at = endOfDay.isBefore(now) ? endOfDay : now;
        Map<String, Pairs.Leg> legs = Pairs.legsOn(snapshot::served, lines, date, o -> freshness.stale(o, at));
        LocalDate earliest = null;
        for (String line : lines) {
            NavigableMap<LocalDate, Observation> served = snapshot.served(line);
            if (!legs.containsKey(line) && !served.isEmpty() && (earliest == null || served.firstKey().isBefore(earliest))) {
                earliest = served.firstKey();
            }
        }
        return new InForce(legs, earliest);
    }

    /** The current snapshot for answering a request: a 503 while the store is still being loaded. */
    public Snapshot loadedSnapshot() {
        Snapshot current = snapshot();
        if (current == null) {
            throw new RequestException(503, "rates are still being loaded", Map.of("Retry-After", "2"));
        }
        return current;
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
        return result(stored);
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
    public Item delete(Key key) {
        writeLock.lock();
        try {
            Stored deleted = repository.delete(key).orElseThrow(() -> new RequestException(404, "no " + key.source()
                    + " value of " + key.line() + " for " + key.asOf() + " is stored"));
            Observation o = deleted.observation();
            Log.infof("Deleted %s %s %s (%s)", key.source(), key.line(), key.asOf(), o.perUsd().toPlainString());
            catchUpAfterWrite(deleted.sequence());
            return new Item(o.currency(), o.quote(), o.asOf(), o.perUsd(), o.source(), "deleted", o.rejected());
        } finally {
            writeLock.unlock();
        }
    }

    /** Every value the sanity guard holds back, the latest dates first, with when it was first held back. */
    public List<Rejection> rejections() {
        Snapshot current = loadedSnapshot();
        return current.data().rejected().values().stream().flatMap(List::stream)
                .sorted(Comparator.comparing(Observation::asOf).reversed()
                        .thenComparing(Observation::currency).thenComparing(Observation::quote)
                        .thenComparing(Observation::source))
                .map(o -> new Rejection(o.source(), o.currency(), o.quote(), o.asOf(), o.perUsd(), o.rejected(),
                        repository.heldSince(o)))
                .toList();
    }

    /** The last change applied to memory (and published). */
    public long appliedSequence() {
        return applied;
    }

    /**
     * The events a stream client that has seen everything up to change {@code after} missed, rebuilt from the change
     * log, for ids this replica's replay buffer no longer (or never) held; null when more than {@code limit} changes
     * were missed or the id is unknown, in which case the client needs a snapshot.
     * <p>
     * When a replica goes away, its readers all come back at once, mostly with the same id, and those that reach a
     * replica started after that id all land here: the answer for an id is computed once and kept (it stays right,
     * since the replay buffer covers what comes after it, or the client gets a snapshot).
     *
     * @param refusal asked before a resume that is not kept is rebuilt: a reason to refuse it (a client rebuilding
     *        too many), or null
     */
    public StreamBroadcaster.Resume resume(long after, int limit, Supplier<RequestException> refusal) {
        synchronized (resumes) {
            if (resumes.containsKey(after)) {
                return resumes.get(after);
            }
            RequestException refused = refusal.get();
            if (refused != null) {
                throw refused;
            }
            StreamBroadcaster.Resume resume = rebuild(after, limit);
            resumes.put(after, resume);
            resumesBytes += bytes(resume);
            for (var eldest = resumes.entrySet().iterator();
                    resumesBytes > config.stream().resumeCacheBytes() && eldest.hasNext();) {
                resumesBytes -= bytes(eldest.next().getValue());
                eldest.remove();
            }
            return resume;
        }
    }

    private static long bytes(StreamBroadcaster.Resume resume) {
        return RESUME_ENTRY_BYTES + (resume == null ? 0 : resume.bytes());
    }

    private StreamBroadcaster.Resume rebuild(long after, int limit) {
        RateBook then;
        long upTo;
        writeLock.lock();
        try {
            catchUpLocked(); // an id from a replica that is ahead of this one
            then = book.copy();
            upTo = applied;
        } finally {
            writeLock.unlock();
        }
        if (after > upTo) {
            return null;
        }
        List<Change> missed = repository.changes(after, upTo, limit + 1);
        if (missed.size() > limit) {
            return null;
        }
        Set<Key> keys = new LinkedHashSet<>();
        missed.forEach(change -> keys.add(Key.of(change.observation())));
        keys.forEach(then::remove);
        repository.valuesAt(after, keys).forEach(then::put);
        return broadcaster.resume(upTo, apply(then, missed, new HashMap<>()));
    }

    private void catchUpLocked() {
        List<Change> changes = repository.changes(applied, Long.MAX_VALUE, Integer.MAX_VALUE);
        if (changes.isEmpty()) {
            return;
        }
        Map<String, NavigableMap<LocalDate, Observation>> series = new HashMap<>(snapshot.get().data().served());
        List<StreamBroadcaster.Write> writes = apply(book, changes, series);
        applied = changes.get(changes.size() - 1).sequence();
        Set<String> touched = new HashSet<>();
        changes.forEach(change -> touched.add(change.observation().line()));
        snapshot.set(build(applied, touched, series));
        broadcaster.publish(applied, writes);
    }

    /**
     * Applies the changes to the book, write by write, and returns for each write the served rates it changed, in
     * currency order, then the pairs against the other bases that it moved. A function of the changes and the book
     * alone (and the clock, as every read is), so every replica derives the same events.
     *
     * @param series the served series of lines of {@code target} as it stands (those it lacks are made from the
     *        book); the written lines' are made again after each write, so that it holds them as they end
     */
    private List<StreamBroadcaster.Write> apply(RateBook target, List<Change> changes,
            Map<String, NavigableMap<LocalDate, Observation>> series) {
        Instant now = clock.instant();
        List<StreamBroadcaster.Write> writes = new ArrayList<>();
        int from = 0;
        while (from < changes.size()) {
            long write = changes.get(from).write();
            int to = from;
            while (to < changes.size() && changes.get(to).write() == write) {
                to++;
            }
            List<Change> ofWrite = changes.subList(from, to);
            Map<String, Pairs.Leg> legsBefore = legs(target, series, now);
            ofWrite.forEach(c -> {
                if (c.deleted()) {
                    target.remove(Key.of(c.observation()));
                } else {
                    target.put(c.observation());
                }
                series.remove(c.observation().line());
            });
            Map<String, Pairs.Leg> legsAfter = legs(target, series, now);
            List<Rate> changed = new ArrayList<>();
            Set<String> written = new HashSet<>();
            ofWrite.stream().map(Change::observation).filter(Observation::isDollarRow)
                    .forEach(o -> written.add(o.currency()));
            for (String currency : config.currencies()) {
                Pairs.Leg after = legsAfter.get(currency);
                if (written.contains(currency) && after != null) {
                    Rate rate = toRate(after.latest(), after.previous(), after.stale());
                    Pairs.Leg before = legsBefore.get(currency);
                    if (before == null || !rate.equals(toRate(before.latest(), before.previous(), before.stale()))) {
                        changed.add(rate);
                    }
                }
            }
            changed.addAll(pairs.moved(legsBefore, legsAfter));
            if (!changed.isEmpty()) {
                writes.add(new StreamBroadcaster.Write(write, changed));
            }
            from = to;
        }
        return writes;
    }

    /** Each line's current leg in the book, stale or not as of {@code now}, its series made where missing. */
    private Map<String, Pairs.Leg> legs(RateBook target, Map<String, NavigableMap<LocalDate, Observation>> series,
            Instant now) {
        return Pairs.legsOn(line -> series.computeIfAbsent(line, l -> target.served(l, freshness, now)), target.lines(),
                LocalDate.MAX, o -> freshness.stale(o, now));
    }

    /** The dates for which {@code source} has given any value (for backfill). */
    public Set<LocalDate> datesFrom(String source) {
        writeLock.lock();
        try {
            return book.dates(source);
        } finally {
            writeLock.unlock();
        }
    }

    /** Counts items that failed validation, so that rejected input is visible in the metrics. */
    public void countRejected(String source, int items) {
        ingested(source, "rejected").increment(items);
    }

    /** Counts each stored observation by source and outcome, and reports them. */
    private IngestResult result(List<Stored> stored) {
        List<Item> items = new ArrayList<>(stored.size());
        for (Stored s : stored) {
            Observation o = s.observation();
            String outcome = o.isRejected() ? "rejected"
                    : s.outcome() == ObservationRepository.Outcome.REFRESHED ? "unchanged"
                    : o.released() != null ? "released" : "accepted";
            ingested(o.source(), outcome).increment();
            items.add(new Item(o.currency(), o.quote(), o.asOf(), o.perUsd(), o.source(), outcome,
                    o.isRejected() ? o.rejected() : o.released()));
        }
        return new IngestResult(countOf(items, "accepted"), countOf(items, "unchanged"), countOf(items, "rejected"),
                countOf(items, "released"), items);
    }

    private static int countOf(List<Item> items, String outcome) {
        return (int) items.stream().filter(i -> i.outcome().equals(outcome)).count();
    }

    private Counter ingested(String source, String outcome) {
        return Counter.builder("ticker.ingest")
                .description("Observations written: accepted (new or changed), unchanged (same value again), rejected "
                        + "(held back), released (held back before)")
                .tags("source", source, "outcome", outcome)
                .register(registry);
    }

    /**
     * A snapshot of the book as it is now; caller holds the write lock. What the current snapshot holds of a line that
     * no change since {@code touched} (null: every line) and whose value in force has not lapsed is taken as it is: a
     * write of one table costs that table, not ten years of every other.
     *
     * @param series served series made since (see {@link #apply}), taken for the touched lines
     */
    private Snapshot build(long sequence, Set<String> touched, Map<String, NavigableMap<LocalDate, Observation>> series) {
        Instant now = clock.instant();
        Map<String, NavigableMap<LocalDate, Observation>> served = new HashMap<>();
        Map<String, List<String>> sources = new HashMap<>();
        Map<String, Map<String, BigDecimal>> divergence = new HashMap<>();
        Map<String, Instant> lapses = new HashMap<>();
        Map<String, Map<String, Observation>> latestAccepted = new HashMap<>();
        Snapshot.Data before = touched == null || snapshot.get() == null ? null : snapshot.get().data();
        Set<String> lines = new LinkedHashSet<>(config.currencies());
        lines.addAll(book.lines());
        for (String line : lines) {
            Instant lapse = before == null ? null : before.lapses().get(line);
            boolean lapsed = lapse != null && !now.isBefore(lapse);
            if (before != null && !touched.contains(line) && before.served().containsKey(line) && !lapsed) {
                served.put(line, before.served().get(line));
                sources.put(line, before.sources().get(line));
                Optional.ofNullable(lapse).ifPresent(at -> lapses.put(line, at));
                Optional.ofNullable(before.divergence().get(line)).ifPresent(d -> divergence.put(line, d));
                latestAccepted.put(line, before.latestAccepted().get(line));
                continue;
            }
            Map<String, Observation> latestBySource = book.latestAccepted(line);
            latestAccepted.put(line, latestBySource);
            NavigableMap<LocalDate, Observation> made = lapsed || touched == null || !touched.contains(line)
                    ? null : series.get(line);
            NavigableMap<LocalDate, Observation> lineSeries = Collections.unmodifiableNavigableMap(
                    made != null ? made : book.served(line, freshness, now));
            served.put(line, lineSeries);
            sources.put(line, book.sources(line));
            Optional.ofNullable(RateBook.nextLapse(latestBySource, freshness, now)).ifPresent(at -> lapses.put(line, at));
            if (!lineSeries.isEmpty()) {
                Observation latest = lineSeries.lastEntry().getValue();
                Map<String, BigDecimal> bySource = new TreeMap<>();
                book.on(line, latest.asOf()).values().stream()
                        .filter(o -> !o.isRejected() && !o.source().equals(latest.source()))
                        .forEach(o -> bySource.put(o.source(), RateGuard.percent(o.perUsd(), latest.perUsd())));
                divergence.put(line, bySource);
            }
        }
        Map<String, List<Observation>> rejected = new HashMap<>();
        book.rejected().forEach(o -> rejected.computeIfAbsent(o.source(), s -> new ArrayList<>()).add(o));
        sources.put(Pairs.USD, book.allSources());
        return snapshotOf(sequence, new Snapshot.Data(served, sources, divergence, lapses, rejected,
                book.latestBySource(), latestAccepted));
    }

    /** The served rates and legs of this data, stale or not as of now. */
    private Snapshot snapshotOf(long sequence, Snapshot.Data data) {
        Instant now = clock.instant();
        Instant nextStaleAt = null;
        Map<String, Pairs.Leg> legs = Pairs.legsOn(data.served()::get, data.served().keySet(), LocalDate.MAX,
                o -> freshness.stale(o, now));
        for (Pairs.Leg leg : legs.values()) {
            Instant staleAt = freshness.staleAt(leg.latest());
            if (!leg.stale() && staleAt != null && (nextStaleAt == null || staleAt.isBefore(nextStaleAt))) {
                nextStaleAt = staleAt;
            }
        }
        for (Instant lapse : data.lapses().values()) {
            if (lapse.isAfter(now) && (nextStaleAt == null || lapse.isBefore(nextStaleAt))) {
                nextStaleAt = lapse;
            }
        }
        Map<String, Rate> rates = new LinkedHashMap<>();
        for (String currency : config.currencies()) {
            Pairs.Leg leg = legs.get(currency);
            if (leg != null) {
                rates.put(currency, toRate(leg.latest(), leg.previous(), leg.stale()));
            }
        }
        return new Snapshot(sequence, rates, legs, data, nextStaleAt, mapper);
    }

    static Rate toRate(Observation latest, Observation previous, boolean stale) {
        return new Rate(Pairs.pair(latest.currency(), Pairs.USD), latest.currency(), RateMath.rate(latest.perUsd()),
                RateMath.servedPerUsd(latest.perUsd()),
                previous == null ? null : RateMath.rate(previous.perUsd()),
                previous == null ? null : RateMath.changePercent(previous.perUsd(), latest.perUsd()),
                previous == null ? null : previous.asOf(), previous == null ? null : previous.source(),
                latest.asOf(), latest.source(), latest.fetchedAt(), stale);
    }

    /** The bundled rates of the tracked currencies; received "at" their effective date, so they are served as stale. */
    private List<Observation> bundledRates() {
        List<Observation> rates = new ArrayList<>();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(BUNDLED_FILE);
                BufferedReader reader = new BufferedReader(new InputStreamReader(
                        Objects.requireNonNull(in, BUNDLED_FILE + " is missing"), StandardCharsets.UTF_8))) {
            reader.lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith("currency,"))
                    .map(line -> line.split(",", 4))
                    .filter(fields -> config.currencies().contains(fields[0]))
                    .forEach(fields -> {
                        LocalDate asOf = LocalDate.parse(fields[1]);
                        rates.add(new Observation(fields[0], asOf, new BigDecimal(fields[2]), BUNDLED,
                                asOf.atStartOfDay().toInstant(ZoneOffset.UTC)));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rates;
    }
}
