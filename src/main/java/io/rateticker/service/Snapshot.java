package io.rateticker.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.buffer.Unpooled;
import io.rateticker.Observation;
import io.rateticker.Rate;
import io.vertx.core.buffer.Buffer;

/**
 * An immutable view of everything served, built once per change. Readers take the current snapshot and never
 * touch the database; the JSON of each symbol selection is rendered once per snapshot and then reused.
 */
public final class Snapshot {

    /**
     * A body rendered once and served many times, in both its encodings, each with its own strong ETag (they are two
     * representations: a cache must not validate one with the other's tag). {@code buffer} and {@code gzip} hold the
     * bytes off-heap, written as they are to every request: no copy per request, no compression per request.
     * {@code gzip} is null when compressing does not make the body smaller.
     */
    public record Body(byte[] json, String etag, Buffer buffer, Buffer gzip, String gzipEtag) {
        public Body(byte[] json) {
            this(json, Snapshot.etag(json), Snapshot.gzip(json));
        }

        private Body(byte[] json, String etag, byte[] gzip) {
            this(json, etag, direct(json), gzip == null ? null : direct(gzip), Snapshot.gzipEtag(etag));
        }

        private static Buffer direct(byte[] bytes) {
            return Buffer.buffer(Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip()));
        }
    }

    /**
     * The JSON shape of {@code GET /api/v1/rates}. {@code date} is there only for the rates in force on a date
     * ({@code ?date=}). {@code sequence} is the last change it reflects, as the stream's ids count them: a client
     * that also holds events can tell an older answer (a cache, a replica behind) by it.
     */
    record RatesView(String base, @JsonInclude(JsonInclude.Include.NON_NULL) LocalDate date, long sequence,
            Instant updatedAt, List<Rate> rates, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> missing) {
    }

    /**
     * What the store held at a change: per line ({@link Observation#line}: a currency's dollar rate, or a row of a
     * bank's table) the served series as of when it was made ({@code RateBook.served}: the one read model of every
     * door), when a value in force there next lapses with no write (so that the series must be made again), the
     * sources and their divergence on the served date, and each source's latest accepted value; the sources of USD
     * (all of them); per source its held-back observations (latest dates first) and the latest date it has given.
     */
    record Data(Map<String, NavigableMap<LocalDate, Observation>> served, Map<String, List<String>> sources,
            Map<String, Map<String, BigDecimal>> divergence, Map<String, Instant> lapses,
            Map<String, List<Observation>> rejected, Map<String, LocalDate> latestAsOf,
            Map<String, Map<String, Observation>> latestAccepted) {

        Data {
            served = Collections.unmodifiableMap(served);
            lapses = Collections.unmodifiableMap(lapses);
            sources = Collections.unmodifiableMap(sources);
            divergence = Collections.unmodifiableMap(divergence);
            rejected = Collections.unmodifiableMap(rejected);
            latestAsOf = Collections.unmodifiableMap(latestAsOf);
            latestAccepted = Collections.unmodifiableMap(latestAccepted);
        }

        /** Whether a value in force on some line has lapsed by {@code now}, so that its series is outdated. */
        boolean lapsed(Instant now) {
            return lapses.values().stream().anyMatch(at -> !now.isBefore(at));
        }
    }

    private static final int MAX_CACHED_BODIES = 256;

    private final long sequence;
    private final Map<String, Rate> rates;
    private final Map<String, Pairs.Leg> legs;
    private final Data data;
    private final Instant nextStaleAt;
    private final ObjectMapper mapper;
    /** By base, then by currencies: the key of a request is its own list, with nothing made for the lookup. */
    private final Map<String, Map<List<String>, Body>> bodies = new ConcurrentHashMap<>();

    Snapshot(long sequence, Map<String, Rate> rates, Map<String, Pairs.Leg> legs, Data data, Instant nextStaleAt,
            ObjectMapper mapper) {
        this.sequence = sequence;
        this.rates = Collections.unmodifiableMap(rates);
        this.legs = Collections.unmodifiableMap(legs);
        this.data = data;
        this.nextStaleAt = nextStaleAt;
        this.mapper = mapper;
    }

    /** The highest change sequence this snapshot reflects. */
    public long sequence() {
        return sequence;
    }

    /** The served rate of each currency that has one, in configured order. */
    public Map<String, Rate> rates() {
        return rates;
    }

    public Rate rate(String currency) {
        return rates.get(currency);
    }

    /** Served observations of a line (a currency's dollar rate: its code) by date, ascending; empty if none. */
    public NavigableMap<LocalDate, Observation> served(String line) {
        return data.served().getOrDefault(line, Collections.emptyNavigableMap());
    }

    public List<String> sources(String line) {
        return data.sources().getOrDefault(line, List.of());
    }

    /**
     * Per currency, by source: how far each other accepted source's value for the served date is from the served
     * value, in percent ({@code (other / served − 1) × 100}).
     */
    public Map<String, BigDecimal> divergence(String currency) {
        return data.divergence().getOrDefault(currency, Map.of());
    }

    /** The observations of {@code source} the sanity guard holds back, the latest dates first. */
    public List<Observation> rejected(String source) {
        return data.rejected().getOrDefault(source, List.of());
    }

    /** The latest value {@code source} has given of {@code line} that is not held back; null if none. */
    public Observation latest(String line, String source) {
        return data.latestAccepted().getOrDefault(line, Map.of()).get(source);
    }

    /** The latest date the source has given a value for; null if none. */
    public LocalDate latestAsOf(String source) {
        return data.latestAsOf().get(source);
    }

    Data data() {
        return data;
    }

    /** When the next rate turns stale and this snapshot is outdated; null when no rate will. */
    Instant nextStaleAt() {
        return nextStaleAt;
    }

    /**
     * The rates JSON for these currencies against {@code base} (what the base quotes, or a subset, in API order):
     * rendered once per snapshot.
     */
    public Body body(String base, List<String> currencies) {
        Map<List<String>, Body> ofBase = bodies.get(base);
        Body body = ofBase == null ? null : ofBase.get(currencies);
        if (body != null) {
            return body;
        }
        body = render(base, null, currencies, rates(base, currencies));
        // The subsets of a handful of currencies are few; the bound only guards against a long configured list.
        ofBase = bodies.computeIfAbsent(base, b -> new ConcurrentHashMap<>());
        if (ofBase.size() < MAX_CACHED_BODIES) {
            ofBase.putIfAbsent(List.copyOf(currencies), body);
        }
        return body;
    }

    /** The current rates of these currencies against {@code base}, those there are. */
    public List<Rate> rates(String base, List<String> currencies) {
        List<Rate> selected = new ArrayList<>(currencies.size());
        boolean usd = Pairs.USD.equals(base);
        for (String currency : currencies) {
            Rate rate = usd ? rates.get(currency) : Pairs.rate(currency, base, legs);
            if (rate != null) {
                selected.add(rate);
            }
        }
        return selected;
    }

    /** Each line's current leg: the served publication, its change's reference, its staleness. */
    public Map<String, Pairs.Leg> legs() {
        return legs;
    }

    /**
     * The rates JSON of {@code rates} of the requested {@code currencies} against {@code base}, in force on
     * {@code date} (see {@code RateService.ratesOn}).
     */
    public Body bodyOn(String base, LocalDate date, List<String> currencies, List<Rate> rates) {
        return render(base, date, currencies, rates);
    }

    /** A requested currency that has no rate is named in {@code missing}, never left out without a word. */
    private Body render(String base, LocalDate date, List<String> currencies, List<Rate> selected) {
        Instant updatedAt = selected.stream().map(Rate::fetchedAt).max(Instant::compareTo).orElse(null);
        List<String> missing = List.of();
        if (selected.size() < currencies.size()) {
            Set<String> given = selected.stream().map(Rate::currency).collect(Collectors.toSet());
            missing = currencies.stream().filter(c -> !given.contains(c)).toList();
        }
        try {
            return new Body(mapper.writeValueAsBytes(new RatesView(base, date, sequence, updatedAt, selected, missing)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the rates", e);
        }
    }

    /** The gzip encoding of {@code bytes}, or null when it is not smaller. */
    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 32);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by streams in memory
        }
        return out.size() < bytes.length ? out.toByteArray() : null;
    }

    /** The strong ETag of the gzip representation of the body tagged {@code etag}, as Apache's mod_deflate has it. */
    public static String gzipEtag(String etag) {
        return etag.substring(0, etag.length() - 1) + "-gzip\"";
    }

    /** Derived from the bytes alone, so that every replica gives the same data the same ETag. */
    public static String etag(byte[] json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return '"' + HexFormat.of().formatHex(digest, 0, 12) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
