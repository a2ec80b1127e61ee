package io.rateticker.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.ManagementInterface;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.Backfiller;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * How every read goes on the wire: a {@code Date}, a strong ETag per representation answered with 304, a
 * {@code Cache-Control} fit for the resource, and gzip for clients that take it, with {@code Vary: Accept-Encoding}.
 * The API's JSON and the widget are compressed here, once per rendering (the rates and the widget: once per change
 * and once per start), so that each encoding has its own ETag; what Quarkus serves itself (OpenAPI, metrics, the
 * demo page) is compressed by Vert.x as it goes out, per {@code quarkus.http.compress-media-types}.
 */
@ApplicationScoped
public class HttpCaching {

    private static final String ADMIN = "/api/v1/admin/";
    private static final CharSequence GZIP = HttpHeaders.createOptimized("gzip");
    private static final CharSequence ACCEPT_ENCODING = HttpHeaders.createOptimized("Accept-Encoding");
    private static final CharSequence SETTLED_DAY = HttpHeaders.createOptimized("public, max-age=86400");
    private static final CharSequence SETTLED_RANGE = HttpHeaders.createOptimized("public, max-age=3600");
    private static final Pattern QUALITY = Pattern.compile("(?i)(?:^|;)\\s*q\\s*=\\s*([01](?:\\.\\d{0,3})?)\\s*(?:$|;)");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** An HTTP date, formatted once per second rather than once per answer. */
    private record Stamp(long second, CharSequence text) {
    }

    private final Clock clock;
    private final Backfiller backfiller;
    private final ObjectMapper mapper;
    private final CharSequence publicCache;
    private final Set<String> compressed;
    private volatile Stamp stamp = new Stamp(Long.MIN_VALUE, "");

    HttpCaching(Clock clock, ObjectMapper mapper, TickerConfig config, Backfiller backfiller,
            @ConfigProperty(name = "quarkus.http.compress-media-types") Set<String> compressed) {
        this.clock = clock;
        this.backfiller = backfiller;
        this.compressed = compressed;
        this.mapper = mapper;
        this.publicCache = HttpHeaders.createOptimized("public, max-age=" + config.http().maxAge().toSeconds());
    }

    /** {@code Cache-Control} of the reads that change with the rates: {@code ticker.http.max-age}. */
    CharSequence publicCache() {
        return publicCache;
    }

    /** {@code Cache-Control} of the rates in force on {@code date}: a day once the day is settled. */
    CharSequence cacheOn(LocalDate date) {
        return settled(date) ? SETTLED_DAY : publicCache;
    }

    /** {@code Cache-Control} of a history range ending on {@code end}: an hour once the range is settled. */
    CharSequence cacheThrough(LocalDate end) {
        return settled(end) ? SETTLED_RANGE : publicCache;
    }

    /**
     * Whether every rate dated up to {@code date} is published and fetched, so that a read of them changes only by a
     * correction: the day before yesterday (UTC) has begun in every bank's time zone, and no backfill still owed here
     * reaches back to it. (A replica that does not fetch does not know of the fetcher's backfill: its answers about
     * the backfilled days may be cached long while the fetcher fills them, as after any correction.)
     */
    private boolean settled(LocalDate date) {
        if (!date.isBefore(LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1))) {
            return false;
        }
        LocalDate pending = backfiller.pendingFrom();
        return pending == null || date.isBefore(pending);
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 4).handler(this::stamp);
    }

    void management(@Observes ManagementInterface management) {
        management.router().route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 4).handler(this::stamp);
    }

    /**
     * Dates every answer, and keeps off the wire what a cache would take wrongly. What Quarkus serves itself is dated
     * again as its headers go, since Vert.x's static handler writes a Date of its own, from the system clock and with
     * a one-digit day that RFC 9110 does not allow. It is compressed, when its type is one of
     * {@code quarkus.http.compress-media-types}, by taking away the {@code Content-Encoding: identity} that Quarkus
     * puts on every answer to keep Vert.x's compressor off (Quarkus itself does so only for its REST, static and
     * reactive routes, not for OpenAPI or metrics), and told to vary with Accept-Encoding then. That marker is not a
     * content coding: the compressor takes it away where it runs, and here it goes where the compressor does not run
     * (a 304, a HEAD, HTTP/1.0). A 304 says nothing about a body (RFC 9110 §15.4.5).
     */
    void stamp(RoutingContext rc) {
        HttpServerResponse response = rc.response();
        response.putHeader(HttpHeaders.DATE, date());
        String path = rc.normalizedPath();
        boolean quarkusOwn = !path.startsWith("/api/") && !path.equals(WidgetRoute.PATH);
        HttpServerRequest request = rc.request();
        boolean bodiless = request.method() == HttpMethod.HEAD || request.version() == HttpVersion.HTTP_1_0;
        // a 304 answers only a request with a validator: a page view's plain GET costs no handler here
        if (!quarkusOwn && !bodiless && request.getHeader(HttpHeaders.IF_NONE_MATCH) == null) {
            rc.next();
            return;
        }
        rc.addHeadersEndHandler(end -> {
            MultiMap headers = response.headers();
            if (quarkusOwn) {
                headers.set(HttpHeaders.DATE, date());
                String type = headers.get(HttpHeaders.CONTENT_TYPE);
                if (type != null && compressed.contains(mediaType(type))) {
                    dropIdentity(headers);
                    if (!headers.contains(HttpHeaders.CONTENT_ENCODING)) {
                        headers.add(HttpHeaders.VARY, ACCEPT_ENCODING);
                    }
                }
            }
            if (response.getStatusCode() == 304) {
                headers.remove(HttpHeaders.CONTENT_TYPE).remove(HttpHeaders.CONTENT_LANGUAGE)
                        .remove(HttpHeaders.CONTENT_ENCODING);
            } else if (bodiless) {
                dropIdentity(headers);
            }
        });
        rc.next();
    }

    private static void dropIdentity(MultiMap headers) {
        if (HttpHeaders.IDENTITY.toString().equalsIgnoreCase(headers.get(HttpHeaders.CONTENT_ENCODING))) {
            headers.remove(HttpHeaders.CONTENT_ENCODING);
        }
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private CharSequence date() {
        long second = Math.floorDiv(clock.millis(), 1000);
        Stamp current = stamp;
        if (current.second() != second) {
            current = new Stamp(second, HttpHeaders.createOptimized(HTTP_DATE.format(Instant.ofEpochSecond(second))));
            stamp = current;
        }
        return current.text();
    }

    /** A body rendered once: in the encoding the client takes, or 304 when it holds that representation already. */
    static void serve(RoutingContext rc, Body body, CharSequence contentType, CharSequence cacheControl) {
        HttpServerResponse response = rc.response();
        boolean gzip = body.gzip() != null && takesGzip(rc.request().getHeader(HttpHeaders.ACCEPT_ENCODING));
        String etag = gzip ? body.gzipEtag() : body.etag();
        response.putHeader(HttpHeaders.ETAG, etag)
                .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
                .putHeader(HttpHeaders.VARY, ACCEPT_ENCODING);
        if (matches(rc.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatusCode(304).end();
            return;
        }
        var bytes = gzip ? body.gzip() : body.buffer();
        // Set either way: with no Content-Encoding Netty's compressor would compress the body again, per request.
        response.putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader(HttpHeaders.CONTENT_ENCODING, gzip ? GZIP : HttpHeaders.IDENTITY);
        if (rc.request().method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(bytes.length())).end();
        } else {
            response.end(bytes);
        }
    }

    /**
     * The same for the JSON of the REST resources, rendered per request: a resource that says nothing about caching
     * is cached like the rates. The admin API's answers are not representations of a shared resource: left alone.
     */
    @ServerResponseFilter
    public void represent(ContainerRequestContext request, ContainerResponseContext response, HttpServerRequest vertx)
            throws JsonProcessingException {
        String method = request.getMethod();
        // a streamed answer has its validators already (see streamed): its bytes are not held
        if (response.getStatus() != 200 || !response.hasEntity() || !("GET".equals(method) || "HEAD".equals(method))
                || request.getUriInfo().getPath().startsWith(ADMIN) || response.getEntity() instanceof StreamingOutput) {
            return;
        }
        // a resource that rendered its answer itself (CSV, NDJSON) gives its bytes
        byte[] body = response.getEntity() instanceof byte[] rendered ? rendered : mapper.writeValueAsBytes(response.getEntity());
        String etag = Body.etag(body);
        byte[] gzip = takesGzip(request.getHeaderString(HttpHeaders.ACCEPT_ENCODING.toString())) ? Body.gzip(body) : null;
        if (gzip != null) {
            etag = Body.gzipEtag(etag);
        }
        var headers = response.getHeaders();
        headers.putSingle(HttpHeaders.ETAG.toString(), etag);
        headers.putIfAbsent(HttpHeaders.CACHE_CONTROL.toString(), List.of(publicCache.toString()));
        Object vary = headers.getFirst(HttpHeaders.VARY.toString()); // a resource's own (Accept-Language), kept
        headers.putSingle(HttpHeaders.VARY.toString(), vary == null ? ACCEPT_ENCODING.toString() : vary + ", " + ACCEPT_ENCODING);
        if (matches(request.getHeaderString(HttpHeaders.IF_NONE_MATCH.toString()), etag)) {
            response.setStatus(304);
            response.setEntity(null);
            return;
        }
        // On the connection's own headers, replacing the 'identity' Quarkus puts there first: set through JAX-RS,
        // a 'gzip' did not reach the wire (HttpCachingTest).
        vertx.response().putHeader(HttpHeaders.CONTENT_ENCODING, gzip != null ? GZIP : HttpHeaders.IDENTITY);
        response.setEntity(gzip != null ? gzip : body, response.getEntityAnnotations(), response.getMediaType());
    }

    /** Writes the bytes of an answer that is made as it goes. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * An answer written as it is made, never held, in the encoding the client takes (compressed on its way). Its
     * strong ETag is derived from {@code identity}, which must fix the bytes (a change sequence and the normalized
     * request), since there are no bytes to hash; 304 when the client holds that representation. A client that goes
     * away mid-answer is nothing wrong here.
     */
    Response streamed(String identity, String contentType, CharSequence cacheControl, String vary, String acceptEncoding,
            String ifNoneMatch, HttpServerResponse vertx, Writer writer) {
        boolean gzip = takesGzip(acceptEncoding);
        String etag = Body.etag(identity.getBytes(StandardCharsets.UTF_8));
        if (gzip) {
            etag = Body.gzipEtag(etag);
        }
        if (matches(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG.toString(), etag)
                    .header(HttpHeaders.VARY.toString(), vary)
                    .header(HttpHeaders.CACHE_CONTROL.toString(), cacheControl.toString()).build();
        }
        // on the connection itself, as represent does: set through JAX-RS, a 'gzip' does not reach the wire
        vertx.putHeader(HttpHeaders.CONTENT_ENCODING, gzip ? GZIP : HttpHeaders.IDENTITY);
        StreamingOutput body = out -> {
            try {
                if (gzip) {
                    GZIPOutputStream compressed = new GZIPOutputStream(out, 8192);
                    writer.write(compressed);
                    compressed.finish();
                } else {
                    writer.write(out);
                }
            } catch (IOException e) {
                Log.debugf("An answer not written to its end (the client went away?): %s", e.getMessage());
            }
        };
        return Response.ok(body, contentType).header(HttpHeaders.ETAG.toString(), etag)
                .header(HttpHeaders.VARY.toString(), vary)
                .header(HttpHeaders.CACHE_CONTROL.toString(), cacheControl.toString()).build();
    }

    /** {@code If-None-Match} evaluation (RFC 9110 §13.1.2: weak comparison, lists, and {@code *}). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** Whether Accept-Encoding takes gzip: named, or through {@code *}, with a quality above 0 (RFC 9110 §12.5.3). */
    static boolean takesGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        boolean any = false;
        for (String item : acceptEncoding.split(",")) {
            int semicolon = item.indexOf(';');
            String coding = (semicolon < 0 ? item : item.substring(0, semicolon)).trim();
            if (coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip")) {
                return quality(item, semicolon) > 0;
            }
            any |= coding.equals("*") && quality(item, semicolon) > 0;
        }
        return any;
    }

    /**
     * The quality of one item of an Accept-style list (its parameters start at {@code semicolon}, -1 for none): its
     * {@code q}, else 1 (RFC 9110 §12.4.2); 0 refuses it. For Accept-Encoding here and Accept in ApiRoutes.
     */
    static double quality(String item, int semicolon) {
        if (semicolon < 0) {
            return 1;
        }
        Matcher q = QUALITY.matcher(item).region(semicolon, item.length());
        return q.find() ? Math.min(1, Double.parseDouble(q.group(1))) : 1;
    }
}
