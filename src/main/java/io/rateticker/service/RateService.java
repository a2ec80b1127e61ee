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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.rateticker.Observation;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.rateticker.store.ObservationRepository;
import io.rateticker.store.ObservationRepository.Stored;
import io.rateticker.stream.StreamBroadcaster;

/**
 * The data path: observations go to the store, then into memory, then into a new {@link Snapshot}, then out to
 * the stream. Writes are serialized by one lock; reads only take the current snapshot.
 */
@ApplicationScoped
public class RateService {

    private static final String BUNDLED = "bundled";
    private static final String BUNDLED_FILE = "bundled-rates.csv";

    /** What one write did, as the admin API reports it. */
    public record IngestResult(int accepted, int unchanged, int rejected, List<Item> items) {
    }

    /** One stored observation and its outcome: {@code accepted}, {@code unchanged} or {@code rejected} (held back). */
    public record Item(String currency, LocalDate asOf, BigDecimal perUsd, String source, String outcome, String reason) {
    }

    private final TickerConfig config;
    private final ObservationRepository repository;
    private final StreamBroadcaster broadcaster;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;

    private final RateGuard guard;
    private final Object writeLock = new Object();
    private RateBook book;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

    RateService(TickerConfig config, ObservationRepository repository, StreamBroadcaster broadcaster, Clock clock,
            ObjectMapper mapper, MeterRegistry registry) {
        this.config = config;
        this.repository = repository;
        this.broadcaster = broadcaster;
        this.clock = clock;
        this.mapper = mapper;
        this.registry = registry;
        this.guard = new RateGuard(config.guard());
    }

    void onStart(@Observes StartupEvent event) {
        load();
    }

    /** Loads the store into memory (filling an empty store with the bundled rates first). */
    void load() {
        synchronized (writeLock) {
            List<Observation> all = repository.findAll();
            if (all.isEmpty()) {
                List<Observation> bundled = bundledRates();
                result(repository.store(bundled));
                Log.infof("Empty store: loaded %d bundled last-known rates (served as stale)", bundled.size());
                all = repository.findAll();
            }
            book = new RateBook(config.sources().preference(), config.sources().currencyPreference());
            all.forEach(book::put);
            long sequence = repository.latestSequence();
            snapshot.set(build(sequence));
            broadcaster.start(sequence);
            Log.infof("Loaded %d observations up to change %d", all.size(), sequence);
        }
    }

    /**
     * The current snapshot, first rebuilt from its own data if a rate has turned stale since it was made; null until
     * loaded. Costs one clock read on the hot path and never waits for the write lock (it runs on event loops).
     */
    public Snapshot snapshot() {
        Snapshot current = snapshot.get();
        if (current != null && current.nextStaleAt() != null && !clock.instant().isBefore(current.nextStaleAt())) {
            // If a write swapped in a snapshot meanwhile, that one is newer and already right about staleness.
            snapshot.compareAndSet(current, snapshotOf(current.sequence(), current.data()));
            current = snapshot.get();
        }
        return current;
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
     * Stores the observations (all or nothing), then publishes a {@code rate} event for every currency whose served
     * rate changed in any field. {@code guarded} observations (fetched automatically) pass the sanity guard first:
     * implausible ones are stored as rejected and never served.
     */
    public IngestResult ingest(List<Observation> observations, boolean guarded) {
        synchronized (writeLock) {
            List<Observation> checked = guarded
                    ? observations.stream().flatMap(o -> guard.check(o, book).stream()).toList()
                    : observations;
            List<Stored> stored = repository.store(checked);
            stored.forEach(s -> book.put(s.observation()));
            Snapshot before = snapshot.get();
            Snapshot after = build(stored.stream().mapToLong(Stored::sequence).max().orElse(before.sequence()));
            snapshot.set(after);
            List<Rate> changed = new ArrayList<>();
            after.rates().forEach((currency, rate) -> {
                if (!Objects.equals(rate, before.rate(currency))) {
                    changed.add(rate);
                }
            });
            broadcaster.publish(after.sequence(), changed);
            return result(stored);
        }
    }

    /** The dates for which {@code source} has given any value (for backfill). */
    public Set<LocalDate> datesFrom(String source) {
        synchronized (writeLock) {
            return book.dates(source);
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
                    : s.outcome() == ObservationRepository.Outcome.REFRESHED ? "unchanged" : "accepted";
            ingested(o.source(), outcome).increment();
            items.add(new Item(o.currency(), o.asOf(), o.perUsd(), o.source(), outcome, o.rejected()));
        }
        return new IngestResult(countOf(items, "accepted"), countOf(items, "unchanged"), countOf(items, "rejected"),
                items);
    }

    private static int countOf(List<Item> items, String outcome) {
        return (int) items.stream().filter(i -> i.outcome().equals(outcome)).count();
    }

    private Counter ingested(String source, String outcome) {
        return Counter.builder("ticker.ingest")
                .description("Observations written: accepted (new or changed), unchanged (same value again), rejected")
                .tags("source", source, "outcome", outcome)
                .register(registry);
    }

    /** A snapshot of the book as it is now; caller holds the write lock. */
    private Snapshot build(long sequence) {
        Map<String, NavigableMap<LocalDate, Observation>> served = new HashMap<>();
        Map<String, List<String>> sources = new HashMap<>();
        Map<String, Map<String, BigDecimal>> divergence = new HashMap<>();
        for (String currency : config.currencies()) {
            NavigableMap<LocalDate, Observation> series = book.served(currency);
            served.put(currency, Collections.unmodifiableNavigableMap(series));
            sources.put(currency, book.sources(currency));
            if (!series.isEmpty()) {
                Observation latest = series.lastEntry().getValue();
                Map<String, BigDecimal> bySource = new TreeMap<>();
                book.on(currency, latest.asOf()).values().stream()
                        .filter(o -> !o.isRejected() && !o.source().equals(latest.source()))
                        .forEach(o -> bySource.put(o.source(), RateGuard.percent(o.perUsd(), latest.perUsd())));
                divergence.put(currency, bySource);
            }
        }
        Map<String, List<Observation>> rejected = new HashMap<>();
        book.rejected().forEach(o -> rejected.computeIfAbsent(o.source(), s -> new ArrayList<>()).add(o));
        return snapshotOf(sequence, new Snapshot.Data(served, sources, divergence, rejected));
    }

    /** The served rates of this data, stale or not as of now. */
    private Snapshot snapshotOf(long sequence, Snapshot.Data data) {
        Instant now = clock.instant();
        Instant nextStaleAt = null;
        Map<String, Rate> rates = new LinkedHashMap<>();
        for (String currency : config.currencies()) {
            NavigableMap<LocalDate, Observation> series = data.served().get(currency);
            if (series.isEmpty()) {
                continue;
            }
            Observation latest = series.lastEntry().getValue();
            Map.Entry<LocalDate, Observation> previous = series.lowerEntry(latest.asOf());
            Instant staleAt = latest.fetchedAt().plus(config.freshness().maxAge());
            boolean stale = now.isAfter(staleAt);
            if (!stale && (nextStaleAt == null || staleAt.isBefore(nextStaleAt))) {
                // isAfter is strict: the rate turns stale just past staleAt
                nextStaleAt = staleAt.plusNanos(1);
            }
            rates.put(currency, toRate(latest, previous == null ? null : previous.getValue(), stale));
        }
        return new Snapshot(sequence, rates, data, nextStaleAt, mapper);
    }

    static Rate toRate(Observation latest, Observation previous, boolean stale) {
        return new Rate(latest.currency() + "/USD", latest.currency(), RateMath.rate(latest.perUsd()), latest.perUsd(),
                previous == null ? null : RateMath.rate(previous.perUsd()),
                previous == null ? null : RateMath.changePercent(previous.perUsd(), latest.perUsd()),
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
