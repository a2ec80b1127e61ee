package io.rateticker.rest;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.Path;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.rateticker.config.TickerConfig;
import io.rateticker.service.Pairs;
import io.rateticker.service.RateReader;
import io.rateticker.service.RequestException;
import io.rateticker.service.Resumes;
import io.rateticker.service.Snapshot;
import io.rateticker.service.Symbols;
import io.rateticker.stream.StreamBroadcaster;
import io.rateticker.stream.StreamSlots;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The routes written directly on Vert.x. The two hot paths, {@code GET /api/v1/rates} and {@code GET /api/v1/stream},
 * write bytes rendered once per change straight to the connection, with no per-request serialization or resource
 * dispatch; their OpenAPI description is in {@code META-INF/openapi.yaml}. A guard answers an oversized body with a
 * problem before Quarkus's own limit would answer it with an empty 413.
 */
@ApplicationScoped
public class ApiRoutes {

    static final String RATES = "/api/v1/rates";
    static final String STREAM = "/api/v1/stream";
    /** Far above any real request (a 5-symbol query is 60); Vert.x itself stops at 64 KiB. */
    static final int MAX_URI_CHARS = 8192;
    static final int MAX_HEADER_BYTES = 16384;
    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    private static final Pattern HISTORY = Pattern.compile("/api/v1/rates/[^/]+/history");
    private static final Pattern TIMESERIES = Pattern.compile("/api/v1/timeseries");
    private static final List<String> FORMATS = Stream.of(Format.values()).map(Format::mediaType).toList();
    /** The query parameters of the two routes declared here (the resources' are read from their methods). */
    private static final Map<String, List<String>> ROUTE_PARAMETERS = Map.of(
            RATES, List.of("symbols", "date", "base"),
            STREAM, List.of("symbols", "lastEventId", "base"));
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

    private final RateReader rates;
    private final Resumes resumes;
    private final RatesBodies bodies;
    private final Clock clock;
    private final ClientAddress clientAddress;
    private final StreamBroadcaster broadcaster;
    private final StreamSlots slots;
    private final TickerConfig config;
    private final ObjectMapper mapper;
    private final HttpCaching caching;
    private final Pairs pairs;
    private final Map<String, String> streamRetryAfter;
    private final QueryParameters queryParameters;
    /** Resumes from ids older than the replay buffer, which are rebuilt from the change log, per client address. */
    private final PerAddressLimit rebuilds;

    ApiRoutes(RateReader rates, Resumes resumes, RatesBodies bodies, StreamBroadcaster broadcaster, StreamSlots slots,
            TickerConfig config, ObjectMapper mapper, Clock clock,
            ClientAddress clientAddress, HttpCaching caching, Pairs pairs, BeanManager beans) {
        this.rates = rates;
        this.resumes = resumes;
        this.bodies = bodies;
        this.clientAddress = clientAddress;
        this.clock = clock;
        this.rebuilds = new PerAddressLimit(config.stream().maxRebuildsPerMinute());
        this.broadcaster = broadcaster;
        this.slots = slots;
        this.config = config;
        this.mapper = mapper;
        this.caching = caching;
        this.pairs = pairs;
        this.queryParameters = QueryParameters.of(beans.getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .<Class<?>>map(Bean::getBeanClass).filter(type -> type.isAnnotationPresent(Path.class)).toList(),
                ROUTE_PARAMETERS);
        this.streamRetryAfter = Map.of("Retry-After", String.valueOf(Math.max(1, config.stream().retry() / 1000)));
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::limits);
        router.route("/api/v1/*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::parameters);
        router.route("/api/v1/*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::negotiation);
        router.get(RATES).handler(this::rates);
        router.head(RATES).handler(this::rates);
        router.get(STREAM).handler(this::stream);
        router.route(RATES).handler(rc -> notAllowed(rc, "GET, HEAD"));
        router.route(STREAM).handler(rc -> notAllowed(rc, "GET"));
    }

    /**
     * Requests over the size limits get a problem, not Vert.x's empty 414/431 (which it still sends beyond its own,
     * higher, limits: quarkus.http.limits.*). Bodies that declare their length are refused before a byte is read;
     * others are checked by the resource.
     */
    void limits(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.uri().length() > MAX_URI_CHARS) {
            refuse(rc, 414, "the request target is " + request.uri().length() + " characters; at most "
                    + MAX_URI_CHARS + " are accepted");
            return;
        }
        int headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            refuse(rc, 431, "the request headers are " + headerBytes + " bytes; at most " + MAX_HEADER_BYTES
                    + " are accepted");
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && DIGITS.matcher(length).matches() && Long.parseLong(length) > AdminResource.MAX_BODY_BYTES) {
            refuse(rc, 413, "the body is " + length + " bytes; at most " + AdminResource.MAX_BODY_BYTES
                    + " are accepted");
            return;
        }
        rc.next();
    }

    /** A query parameter the path does not take: a 400 problem naming it and the ones it takes. */
    void parameters(RoutingContext rc) {
        if (rc.request().query() != null) { // most reads, the widget's among them, have none
            String refusal = queryParameters.refusal(rc.normalizedPath(), rc.queryParams().names());
            if (refusal != null) {
                problem(rc, new RequestException(400, refusal));
                return;
            }
        }
        rc.next();
    }

    /**
     * A client that accepts none of what the path answers gets a 406 problem (errors are problems whatever it
     * accepts: a client cannot refuse to be told what went wrong).
     */
    void negotiation(RoutingContext rc) {
        String accept = rc.request().getHeader(HttpHeaders.ACCEPT);
        if (accept == null || rc.request().getParam("format") != null) {
            rc.next(); // format= names the answer's format itself
            return;
        }
        String path = rc.normalizedPath();
        List<String> answers = STREAM.equals(path) ? List.of("text/event-stream")
                : HISTORY.matcher(path).matches() || TIMESERIES.matcher(path).matches() ? FORMATS : List.of("application/json");
        if (answers.stream().noneMatch(type -> quality(accept, type) > 0)) {
            problem(rc, new RequestException(406, path + " answers " + String.join(", ", answers)
                    + ", none of which Accept ('" + accept + "') takes"));
            return;
        }
        rc.next();
    }

    /**
     * The quality {@code accept} gives {@code type}: that of its most specific range covering it (RFC 9110 §12.5.1),
     * 0 if none does.
     */
    static double quality(String accept, String type) {
        String anySubtype = type.substring(0, type.indexOf('/')) + "/*";
        double quality = 0;
        int specificity = -1;
        for (String range : accept.split(",")) {
            int semicolon = range.indexOf(';');
            String media = (semicolon < 0 ? range : range.substring(0, semicolon)).trim();
            int rank = media.equalsIgnoreCase(type) ? 2 : media.equalsIgnoreCase(anySubtype) ? 1 : media.equals("*/*") ? 0 : -1;
            if (rank > specificity) {
                specificity = rank;
                quality = HttpCaching.quality(range, semicolon);
            }
        }
        return quality;
    }

    /** A request over a size limit: a problem, and the connection closed (the rest of it is not read). */
    private void refuse(RoutingContext rc, int status, String detail) {
        rc.response().putHeader(HttpHeaders.CONNECTION, "close");
        problem(rc, new RequestException(status, detail));
    }

    void rates(RoutingContext rc) {
        try {
            Snapshot snapshot = rates.loadedSnapshot();
            String base = pairs.base(rc.request().getParam("base"));
            List<String> currencies = Symbols.select(rc.request().getParam("symbols"), pairs.quotes(base));
            String date = rc.request().getParam("date");
            if (date == null) {
                HttpCaching.serve(rc, bodies.current(snapshot, base, currencies), JSON, caching.publicCache());
            } else {
                LocalDate day = QueryParameters.date("date", date);
                HttpCaching.serve(rc, bodies.on(snapshot, base, day, currencies,
                        rates.ratesOn(snapshot, day, base, currencies)), JSON,
                        caching.cacheOn(day));
            }
        } catch (RequestException e) {
            problem(rc, e);
        }
    }

    void stream(RoutingContext rc) {
        try {
            rates.loadedSnapshot();
            String base = pairs.base(rc.request().getParam("base"));
            List<String> currencies = Symbols.select(rc.request().getParam("symbols"), pairs.quotes(base));
            String address = clientAddress.of(rc.request());
            switch (slots.tryReserve(address)) {
                case ALL_TAKEN -> throw new RequestException(503, "the stream has reached its limit of "
                        + config.stream().maxClients() + " clients; retry later or poll " + RATES, streamRetryAfter);
                case ADDRESS_FULL -> throw new RequestException(429, address + " already has "
                        + config.stream().maxClientsPerAddress() + " open streams, the most one address may hold;"
                        + " close one, or poll " + RATES, streamRetryAfter);
                case TAKEN -> {
                }
            }
            String lastEventId = rc.request().getHeader("Last-Event-ID");
            if (lastEventId == null) {
                lastEventId = rc.request().getParam("lastEventId");
            }
            rc.response().setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
                    .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE)
                    .putHeader("X-Accel-Buffering", "no");
            long after = StreamBroadcaster.eventId(lastEventId);
            if (after < 0 || broadcaster.covers(after)) {
                open(rc, address, base, currencies, after < 0 ? null : new StreamBroadcaster.Resume(after, List.of()));
            } else {
                // Older than the replay buffer, or from a replica that is ahead: rebuilt from the change log, off
                // the event loop; a client that cannot be resumed (or a store that cannot be read) gets a snapshot.
                rc.vertx().executeBlocking(() -> resumes.resume(after, config.stream().replaySize(),
                        () -> rebuildRefused(address)), false)
                        .onComplete(resume -> {
                            if (resume.failed() && resume.cause() instanceof RequestException refused) {
                                slots.giveBack(address);
                                problem(rc, refused);
                            } else {
                                open(rc, address, base, currencies, resume.succeeded() ? resume.result() : null);
                            }
                        });
            }
        } catch (RequestException e) {
            problem(rc, e);
        }
    }

    /** Counts a rebuild of an old id for {@code address}; a 429 once it has had its share this minute. */
    private RequestException rebuildRefused(String address) {
        long now = clock.millis();
        long seconds = rebuilds.blockedFor(address, now);
        if (seconds > 0) {
            return new RequestException(429, address + " has resumed from " + config.stream().maxRebuildsPerMinute()
                    + " ids older than the replay buffer this minute, the most one address may; reconnect without"
                    + " Last-Event-ID for a fresh snapshot", Map.of("Retry-After", String.valueOf(seconds)));
        }
        rebuilds.count(address, now);
        return null;
    }

    /** A stream of the pairs of these currencies against {@code base}: its events are those of the pairs. */
    private void open(RoutingContext rc, String address, String base, List<String> currencies,
            StreamBroadcaster.Resume resume) {
        Snapshot snapshot = rates.snapshot();
        broadcaster.open(rc.request(), address, pairs.names(base, currencies), resume,
                bodies.current(snapshot, base, currencies).json(), snapshot.sequence());
    }

    private void notAllowed(RoutingContext rc, String allowed) {
        rc.response().putHeader("Allow", allowed);
        problem(rc, new RequestException(405, rc.request().method() + " is not allowed here; use " + allowed));
    }

    private void problem(RoutingContext rc, RequestException e) {
        e.headers().forEach(rc.response()::putHeader);
        Problem.send(rc.response(), e.status(), e.getMessage(), mapper);
    }
}
