package io.rateticker.service;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.rateticker.config.TickerConfig;
import io.rateticker.store.ObservationRepository;
import io.rateticker.store.ObservationRepository.Change;
import io.rateticker.Observation.Key;
import io.rateticker.stream.StreamBroadcaster;

/**
 * The events a stream client missed, rebuilt from the change log for ids this replica's replay buffer no longer (or
 * never) held, and kept.
 * <p>
 * When a replica goes away, its readers all come back at once, mostly with the same id, and those that reach a
 * replica started after that id all land here: the answer for an id is computed once and kept (it stays right, since
 * the replay buffer covers what comes after it, or the client gets a snapshot).
 * Made at start, so that its gauge is scraped from the start, not from the first stream.
 */
@Startup
@ApplicationScoped
public class Resumes {

    /** What an entry costs besides its frames (an id with no resume: a snapshot instead). */
    private static final long ENTRY_BYTES = 128;

    private final long maxBytes;
    private final ObservationRepository repository;
    private final RateWriter writer;
    private final ChangeEvents events;
    private final StreamBroadcaster broadcaster;
    /**
     * Recent answers by id, least recently used first, at most {@code ticker.stream.resume-cache-bytes} in all (ids
     * are the clients' choice); its lock also makes concurrent resumes from one id compute it once.
     */
    private final LinkedHashMap<Long, StreamBroadcaster.Resume> kept = new LinkedHashMap<>(16, 0.75f, true);
    private long keptBytes;

    Resumes(TickerConfig config, ObservationRepository repository, RateWriter writer, ChangeEvents events,
            StreamBroadcaster broadcaster, MeterRegistry registry) {
        this.maxBytes = config.stream().resumeCacheBytes();
        this.repository = repository;
        this.writer = writer;
        this.events = events;
        this.broadcaster = broadcaster;
        Gauge.builder("ticker.stream.resume.cache.bytes", () -> {
            synchronized (kept) {
                return keptBytes;
            }
        }).description("Bytes of rebuilt stream resumes kept (at most ticker.stream.resume-cache-bytes)")
                .register(registry);
    }

    /**
     * The events a client that has seen everything up to change {@code after} missed; null when more than
     * {@code limit} changes were missed or the id is unknown, in which case the client needs a snapshot.
     *
     * @param refusal asked before a resume that is not kept is rebuilt: a reason to refuse it (a client rebuilding
     *        too many), or null
     */
    public StreamBroadcaster.Resume resume(long after, int limit, Supplier<RequestException> refusal) {
        synchronized (kept) {
            if (kept.containsKey(after)) {
                return kept.get(after);
            }
            RequestException refused = refusal.get();
            if (refused != null) {
                throw refused;
            }
            StreamBroadcaster.Resume resume = rebuild(after, limit);
            kept.put(after, resume);
            keptBytes += bytes(resume);
            for (var eldest = kept.entrySet().iterator(); keptBytes > maxBytes && eldest.hasNext();) {
                keptBytes -= bytes(eldest.next().getValue());
                eldest.remove();
            }
            return resume;
        }
    }

    private static long bytes(StreamBroadcaster.Resume resume) {
        return ENTRY_BYTES + (resume == null ? 0 : resume.bytes());
    }

    /** The book rolled back to {@code after}, then the missed changes applied to it again, write by write. */
    private StreamBroadcaster.Resume rebuild(long after, int limit) {
        RateWriter.BookAt now = writer.bookNow();
        if (after > now.upTo()) {
            return null;
        }
        List<Change> missed = repository.changes(after, now.upTo(), limit + 1);
        if (missed.size() > limit) {
            return null;
        }
        RateBook then = now.book();
        Set<Key> keys = new LinkedHashSet<>();
        missed.forEach(change -> keys.add(change.observation().key()));
        keys.forEach(then::remove);
        repository.valuesAt(after, keys).forEach(then::put);
        return broadcaster.resume(now.upTo(), events.apply(then, missed, new HashMap<>()));
    }
}
