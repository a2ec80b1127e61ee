package io.rateticker.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rateticker.Rate;
import io.rateticker.service.Snapshot;

/**
 * The bodies of {@code GET /api/v1/rates} (and the stream's first event): the JSON of each selection rendered once per
 * snapshot and then served as it is, with its gzip and ETags.
 */
@ApplicationScoped
public class RatesBodies {

    /**
     * The JSON shape of {@code GET /api/v1/rates}. {@code date} is there only for the rates in force on a date
     * ({@code ?date=}). {@code sequence} is the last change it reflects, as the stream's ids count them: a client
     * that also holds events can tell an older answer (a cache, a replica behind) by it.
     */
    record RatesView(String base, @JsonInclude(JsonInclude.Include.NON_NULL) LocalDate date, long sequence,
            Instant updatedAt, List<Rate> rates, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> missing) {
    }

    /** The bodies of one snapshot: by base, then by currencies (a request's own list, nothing made for the lookup). */
    private record Rendered(Snapshot snapshot, Map<String, Map<List<String>, Body>> bodies) {
    }

    /** The subsets of a handful of currencies are few; the bound only guards against a long configured list. */
    private static final int MAX_CACHED_BODIES = 256;

    private final ObjectMapper mapper;
    private final AtomicReference<Rendered> rendered = new AtomicReference<>();

    RatesBodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The current rates of these currencies against {@code base} (what the base quotes, or a subset, in API order). */
    Body current(Snapshot snapshot, String base, List<String> currencies) {
        Rendered of = renderedOf(snapshot);
        Map<List<String>, Body> ofBase = of.bodies().get(base);
        Body body = ofBase == null ? null : ofBase.get(currencies);
        if (body != null) {
            return body;
        }
        body = render(snapshot, base, null, currencies, snapshot.rates(base, currencies));
        ofBase = of.bodies().computeIfAbsent(base, b -> new ConcurrentHashMap<>());
        if (ofBase.size() < MAX_CACHED_BODIES) {
            ofBase.putIfAbsent(List.copyOf(currencies), body);
        }
        return body;
    }

    /**
     * The bodies kept for {@code snapshot}: the event loops that meet a new snapshot at once share the first one's
     * (a reader still holding an older snapshot renders its own, and does not keep it).
     */
    private Rendered renderedOf(Snapshot snapshot) {
        Rendered current = rendered.get();
        while (current == null || current.snapshot() != snapshot) {
            Rendered fresh = new Rendered(snapshot, new ConcurrentHashMap<>());
            if (current != null && current.snapshot().sequence() > snapshot.sequence()) {
                return fresh;
            }
            if (rendered.compareAndSet(current, fresh)) {
                return fresh;
            }
            current = rendered.get();
        }
        return current;
    }

    /** The rates of the requested {@code currencies} against {@code base} in force on {@code date}. */
    Body on(Snapshot snapshot, String base, LocalDate date, List<String> currencies, List<Rate> rates) {
        return render(snapshot, base, date, currencies, rates);
    }

    /** A requested currency that has no rate is named in {@code missing}, never left out without a word. */
    private Body render(Snapshot snapshot, String base, LocalDate date, List<String> currencies, List<Rate> selected) {
        Instant updatedAt = selected.stream().map(Rate::fetchedAt).max(Instant::compareTo).orElse(null);
        List<String> missing = List.of();
        if (selected.size() < currencies.size()) {
            Set<String> given = selected.stream().map(Rate::currency).collect(Collectors.toSet());
            missing = currencies.stream().filter(c -> !given.contains(c)).toList();
        }
        try {
            return new Body(mapper.writeValueAsBytes(new RatesView(base, date, snapshot.sequence(), updatedAt, selected,
                    missing)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the rates", e);
        }
    }
}
