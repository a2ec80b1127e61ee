package io.rateticker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.SseClient;
import io.rateticker.TestClock;

/**
 * HTTP caching and compression as a CDN, a caching proxy and a browser use them, over a client that neither adds
 * nor decodes anything by itself (java.net.http): what is asserted is exactly what is on the wire.
 */
@QuarkusTest
class HttpCachingTest {

    /** The API's reads, each with a query that it takes; a CDN caches all of them. */
    private static final List<String> READS = List.of("/api/v1/rates", "/api/v1/rates?symbols=KGS,TJS",
            "/api/v1/rates/KGS", "/api/v1/rates/KZT/history", "/api/v1/rates/KZT/history?from=2026-04-01&to=2026-04-30",
            "/api/v1/convert?from=KZT&to=UZS&amount=1000", "/api/v1/currencies", "/api/v1/sources",
            "/widget/rate-ticker.js", "/api/v1/timeseries?symbols=KZT,KGS&group=week", "/api/v1/timeseries?format=csv");
    /** Everything else a GET answers, for HEAD and Date. */
    private static final List<String> OTHERS = List.of("/", "/index.html", "/demo.js", "/q/openapi", "/q/metrics",
            "/q/health/ready", "/q/health/live", "/api/v1/rates/EUR", "/api/v1/rates?symbols=XX");
    private static final List<String> STATIC = List.of("/", "/index.html", "/demo.js");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.ENGLISH);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyReadHasAStrongEtagAndAnswers304ToIt() {
        for (String path : READS) {
            HttpResponse<byte[]> first = get(path, Map.of());
            assertThat(first.statusCode()).as(path).isEqualTo(200);
            String etag = header(first, "ETag");
            assertThat(etag).as(path).matches("\"[^\"]+\"");
            HttpResponse<byte[]> again = get(path, Map.of("If-None-Match", etag));
            assertThat(again.statusCode()).as(path).isEqualTo(304);
            assertThat(again.body()).as(path).isEmpty();
            assertThat(header(again, "ETag")).as(path).isEqualTo(etag);
            assertThat(header(again, "Cache-Control")).as(path).isEqualTo(header(first, "Cache-Control"));
            assertThat(get(path, Map.of("If-None-Match", "\"other\"")).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void cacheControlFitsEachResource() {
        Map<String, String> expected = Map.of(
                "/api/v1/rates", "public, max-age=30",
                "/api/v1/rates/KGS", "public, max-age=30",
                "/api/v1/convert?from=KZT&to=UZS&amount=1000", "public, max-age=30",
                "/api/v1/currencies", "public, max-age=30",
                // a range that ends today may still gain a rate; one wholly in the past changes only by a correction
                "/api/v1/rates/KZT/history", "public, max-age=30",
                "/api/v1/rates/KZT/history?from=2026-04-01&to=2026-04-30", "public, max-age=3600",
                // the upstream sources' state changes with every fetch attempt
                "/api/v1/sources", "no-cache");
        expected.forEach((path, cacheControl) ->
                assertThat(header(get(path, Map.of()), "Cache-Control")).as(path).isEqualTo(cacheControl));
        // the day before yesterday (UTC) has begun in every bank's time zone: a range ending then is in the past
        String dayBeforeYesterday = TestClock.START.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(2).toString();
        assertThat(header(get("/api/v1/rates/KZT/history?to=" + dayBeforeYesterday, Map.of()), "Cache-Control"))
                .isEqualTo("public, max-age=3600");
        String yesterday = TestClock.START.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(1).toString();
        assertThat(header(get("/api/v1/rates/KZT/history?to=" + yesterday, Map.of()), "Cache-Control"))
                .isEqualTo("public, max-age=30");
    }

    @Test
    void everyAnswerHasADateHeaderFromTheServiceClock() {
        for (String path : concat(READS, OTHERS)) {
            HttpResponse<byte[]> response = get(path, Map.of());
            ZonedDateTime date = ZonedDateTime.parse(header(response, "Date"), HTTP_DATE.withZone(java.time.ZoneOffset.UTC));
            assertThat(date.toInstant()).as(path).isEqualTo(TestClock.START.truncatedTo(ChronoUnit.SECONDS));
        }
    }

    @Test
    void headAnswersWhereverGetDoesWithTheSameHeadersAndNoBody() throws Exception {
        for (String path : concat(READS, OTHERS)) {
            HttpResponse<byte[]> get = get(path, Map.of());
            HttpResponse<byte[]> head = send(HttpRequest.newBuilder(uri(path)).method("HEAD",
                    HttpRequest.BodyPublishers.noBody()).build());
            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
            assertThat(head.body()).as(path).isEmpty();
            // Vert.x's static handler leaves Content-Type out of HEAD answers (the demo page's files)
            if (!STATIC.contains(path)) {
                assertThat(header(head, "Content-Type")).as(path).isEqualTo(header(get, "Content-Type"));
            }
            if (get.headers().firstValue("ETag").isPresent() && !path.startsWith("/q/")) {
                assertThat(header(head, "ETag")).as(path).isEqualTo(header(get, "ETag"));
            }
        }
    }

    /**
     * JSON, the widget, OpenAPI and metrics are compressed for a client that takes gzip, and each compressed body is
     * the identity body; caches are told the answer varies with Accept-Encoding, and the two are different
     * representations, with different strong ETags, each revalidated by its own.
     */
    @Test
    void compressesForClientsThatTakeGzipAndSaysItVaries() {
        for (String path : concat(READS, List.of("/q/openapi", "/index.html"))) {
            HttpResponse<byte[]> plain = get(path, Map.of());
            HttpResponse<byte[]> gzip = get(path, Map.of("Accept-Encoding", "gzip"));
            assertThat(gzip.statusCode()).as(path).isEqualTo(200);
            assertThat(header(gzip, "Vary")).as(path).containsIgnoringCase("Accept-Encoding");
            if (gzipped(plain.body()).length >= plain.body().length) {
                // a body that gzip cannot shrink (a conversion, an empty history) goes as it is
                assertThat(gzip.headers().firstValue("Content-Encoding")).as(path).isEmpty();
                assertThat(gzip.body()).as(path).isEqualTo(plain.body());
                continue;
            }
            assertThat(header(gzip, "Content-Encoding")).as(path).isEqualTo("gzip");
            assertThat(plain.headers().firstValue("Content-Encoding")).as(path).isEmpty();
            assertThat(header(gzip, "Vary")).as(path).containsIgnoringCase("Accept-Encoding");
            assertThat(header(plain, "Vary")).as(path).containsIgnoringCase("Accept-Encoding");
            assertThat(gunzip(gzip.body())).as(path).isEqualTo(plain.body());
            assertThat(gzip.body().length).as(path).isLessThan(plain.body().length);
            String etag = gzip.headers().firstValue("ETag").orElse(null);
            if (etag != null) {
                assertThat(etag).as(path).isNotEqualTo(header(plain, "ETag"));
                assertThat(get(path, Map.of("Accept-Encoding", "gzip", "If-None-Match", etag)).statusCode()).as(path)
                        .isEqualTo(304);
                // the identity representation's tag does not validate the compressed one, nor the other way round
                assertThat(get(path, Map.of("Accept-Encoding", "gzip", "If-None-Match", header(plain, "ETag")))
                        .statusCode()).as(path).isEqualTo(200);
                assertThat(get(path, Map.of("If-None-Match", etag)).statusCode()).as(path).isEqualTo(200);
            }
        }
        HttpResponse<byte[]> metrics = get("/q/metrics", Map.of("Accept-Encoding", "gzip"));
        assertThat(header(metrics, "Content-Encoding")).isEqualTo("gzip");
        assertThat(new String(gunzip(metrics.body()), java.nio.charset.StandardCharsets.UTF_8)).contains("# HELP ticker_");
        // q=0 refuses it; a preference for another coding still allows it
        assertThat(get("/api/v1/rates", Map.of("Accept-Encoding", "gzip;q=0")).headers().firstValue("Content-Encoding"))
                .isEmpty();
        assertThat(header(get("/api/v1/rates", Map.of("Accept-Encoding", "br, gzip;q=0.5")), "Content-Encoding"))
                .isEqualTo("gzip");
        assertThat(header(get("/api/v1/rates/KGS", Map.of("Accept-Encoding", "*")), "Content-Encoding"))
                .isEqualTo("gzip");
    }

    /**
     * A shared cache keeps the first answer it fetched and gives it to every browser: an answer fetched without an
     * {@code Origin} must already let any site read it.
     */
    @Test
    void everyPublicReadLetsAnyOriginReadItWithOrWithoutAnOrigin() {
        for (String path : concat(READS, OTHERS)) {
            for (Map<String, String> origin : List.of(Map.<String, String> of(), Map.of("Origin", "https://news.example"))) {
                HttpResponse<byte[]> get = get(path, origin);
                assertThat(header(get, "Access-Control-Allow-Origin")).as(path + " " + origin).isEqualTo("*");
                assertThat(get.headers().firstValue("Vary").orElse("")).as(path).doesNotContainIgnoringCase("Origin");
                HttpResponse<byte[]> head = head(path, origin);
                assertThat(header(head, "Access-Control-Allow-Origin")).as("HEAD " + path + " " + origin).isEqualTo("*");
            }
        }
        assertThat(get("/api/v1/admin/rejections", Map.of()).headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    /**
     * A 304 tells the client to use what it holds: it carries no header about a body (RFC 9110 §15.4.5), and
     * {@code identity} is not a content coding (RFC 9110 §8.4.1), on a 304, a HEAD or an HTTP/1.0 answer alike.
     */
    @Test
    void notModifiedCarriesNoBodyHeadersAndIdentityIsNeverSent() throws IOException {
        for (String path : READS) {
            for (Map<String, String> encoding : List.of(Map.<String, String> of(), Map.of("Accept-Encoding", "gzip"))) {
                HttpResponse<byte[]> first = get(path, encoding);
                java.util.HashMap<String, String> revalidate = new java.util.HashMap<>(encoding);
                revalidate.put("If-None-Match", header(first, "ETag"));
                HttpResponse<byte[]> again = get(path, revalidate);
                assertThat(again.statusCode()).as(path).isEqualTo(304);
                for (String body : List.of("Content-Type", "Content-Language", "Content-Encoding")) {
                    assertThat(again.headers().firstValue(body)).as(path + " 304 " + encoding + ": " + body).isEmpty();
                }
            }
        }
        for (String path : concat(READS, OTHERS)) {
            for (HttpResponse<byte[]> answer : List.of(get(path, Map.of()), get(path, Map.of("Accept-Encoding", "gzip")),
                    head(path, Map.of()), head(path, Map.of("Accept-Encoding", "gzip")))) {
                assertThat(answer.headers().allValues("Content-Encoding")).as(answer.request().method() + " " + path)
                        .noneMatch(coding -> coding.equalsIgnoreCase("identity"));
            }
            String http10 = http10(path);
            assertThat(http10).as("HTTP/1.0 " + path).startsWith("HTTP/1.").doesNotContainIgnoringCase("content-encoding: identity");
        }
    }

    /** The head of an HTTP/1.0 answer, which java.net.http cannot send. */
    private String http10(String path) throws IOException {
        URI uri = uri(path);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + uri.getHost() + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            int end = answer.indexOf("\r\n\r\n");
            return end < 0 ? answer : answer.substring(0, end);
        }
    }

    private HttpResponse<byte[]> head(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(request.build());
    }

    /** A compressor buffers: the stream would stall behind it, so it is never compressed. */
    @Test
    void theStreamIsNeverCompressed() throws Exception {
        try (SseClient stream = SseClient.open(uri("/api/v1/stream"), Map.of("Accept-Encoding", "gzip"))) {
            assertThat(stream.response().statusCode()).isEqualTo(200);
            assertThat(stream.response().headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(stream.response().headers().firstValue("Date")).isPresent();
            SseClient.Event first = stream.next(Duration.ofSeconds(10));
            assertThat(first).isNotNull();
        }
    }

    private URI uri(String path) {
        return URI.create(root.toString().replaceAll("/$", "") + path);
    }

    private HttpResponse<byte[]> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        return send(request.build());
    }

    private static HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError(
                "no " + name + " on " + response.request().method() + " " + response.uri() + " ("
                        + response.statusCode() + "): " + response.headers().map()));
    }

    private static byte[] gunzip(byte[] body) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzipped(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
