package io.rateticker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input against the packaged application, property-based (jqwik): random and unicode strings, numbers
 * spelled every way, 10,000-symbol lists, duplicated parameters, long paths and headers, wrong content types, random
 * tokens, random documents. Every answer must be a 2xx, or a 4xx with an {@code application/problem+json} body whose
 * detail says what is wrong (never a stack trace), within 10 s (never a hang); nothing rejected may change the store
 * (its change sequence, {@code ticker_cluster_sequence}), and at the end the served rates are as before.
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration HANG = Duration.ofSeconds(10);
    private static final List<String> READ_PATHS = List.of("/api/v1/rates", "/api/v1/rates/%s", "/api/v1/rates/%s/history",
            "/api/v1/convert", "/api/v1/currencies", "/api/v1/sources", "/api/v1/stream", "/rate-ticker.js", "/%s");
    private static final List<String> PARAMETERS = List.of("symbols", "from", "to", "amount", "lastEventId", "source",
            "symbols[]", "", "%s");

    private static PackagedApp app;
    private static Path dir;
    private static String ratesBefore;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("rate-ticker-hostile");
        app = new PackagedApp(dir, "jdbc:h2:file:" + dir.resolve("ticker"));
        // Random tokens are tried by the hundred here: the lockout is tested elsewhere (AdminLockoutTest).
        app.start("ticker.admin.max-failures-per-minute=1000000000");
        ratesBefore = send(get("/api/v1/rates")).body();
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            assertThat(send(get("/api/v1/rates")).body()).as("the served rates after every property")
                    .isEqualTo(ratesBefore);
        } finally {
            app.close();
        }
    }

    @Property(tries = 400)
    void readEndpointsTakeAnyPathAndParameters(@ForAll("readPaths") String path,
            @ForAll("parameters") List<Tuple2<String, String>> parameters) throws Exception {
        String query = parameters.stream().map(p -> encode(p.get1()) + "=" + encode(p.get2()))
                .collect(Collectors.joining("&"));
        check(send(get(path + (query.isEmpty() ? "" : "?" + query))));
    }

    @Property(tries = 200)
    void amountsSpelledEveryWay(@ForAll("numbers") String amount, @ForAll("currencies") String from,
            @ForAll("currencies") String to) throws Exception {
        Answer response = send(get("/api/v1/convert?from=" + encode(from) + "&to=" + encode(to)
                + "&amount=" + encode(amount)));
        check(response);
        if (response.statusCode() == 200) {
            assertThat(JSON.readTree(response.body()).get("amount").decimalValue()).isPositive();
        }
    }

    @Property(tries = 30)
    void symbolListsUpToTenThousand(@ForAll("symbolLists") String symbols) throws Exception {
        check(send(get("/api/v1/rates?symbols=" + encode(symbols))));
        check(send(get("/api/v1/stream?symbols=" + encode(symbols))));
    }

    @Property(tries = 200)
    void anyHeaderValue(@ForAll("headerNames") String name, @ForAll("headerValues") String value) throws Exception {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri("/api/v1/rates")).timeout(HANG).header(name, value).GET().build();
        } catch (IllegalArgumentException notSendable) {
            Assume.that(false); // a value no HTTP client can put on the wire
            return;
        }
        check(send(request));
        check(send(HttpRequest.newBuilder(uri("/api/v1/stream")).timeout(HANG).header(name, value).GET().build()));
    }

    @Property(tries = 300)
    void adminRateBodies(@ForAll("rateBodies") String body, @ForAll("contentTypes") String contentType)
            throws Exception {
        unchangedUnlessAccepted(admin("/api/v1/admin/rates", contentType,
                HttpRequest.BodyPublishers.ofString(body)));
    }

    @Property(tries = 200)
    void adminDocuments(@ForAll("sourceIds") String id, @ForAll("documents") byte[] document,
            @ForAll("contentTypes") String contentType) throws Exception {
        unchangedUnlessAccepted(admin("/api/v1/admin/sources/" + encode(id) + "/documents", contentType,
                HttpRequest.BodyPublishers.ofByteArray(document)));
    }

    @Property(tries = 200)
    void wrongTokens(@ForAll("headerValues") String token) throws Exception {
        Assume.that(!token.equals("Bearer " + PackagedApp.TOKEN));
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri("/api/v1/admin/rates")).timeout(HANG)
                    .header("Authorization", token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(validBody())).build();
        } catch (IllegalArgumentException notSendable) {
            Assume.that(false);
            return;
        }
        long sequence = sequence();
        Answer response = send(request);
        check(response);
        assertThat(response.statusCode()).isIn(401, 429, 431);
        assertThat(sequence()).isEqualTo(sequence);
    }

    /** Past Vert.x's own limits (64 KiB): its bare 414/431, the connection closed, and no hang. */
    @Example
    void beyondTheServersOwnLimits() throws Exception {
        Answer longPath = send(get("/api/v1/rates/" + "K".repeat(70_000)));
        assertThat(longPath.statusCode()).isEqualTo(414);
        Answer longHeader = send(HttpRequest.newBuilder(uri("/api/v1/rates")).timeout(HANG)
                .header("X-Long", "v".repeat(70_000)).build());
        assertThat(longHeader.statusCode()).isEqualTo(431);
    }

    // ---- checks

    private static void check(Answer response) throws IOException {
        int status = response.statusCode();
        String where = response.request().method() + " " + abbreviate(response.request().uri().toString()) + " -> "
                + status + " " + abbreviate(response.body());
        assertThat(status).as(where).isBetween(200, 499);
        assertThat(status).as(where + ": 2xx, 304 or 4xx").satisfiesAnyOf(s -> assertThat(s).isLessThan(300),
                s -> assertThat(s).isEqualTo(304), s -> assertThat(s).isGreaterThanOrEqualTo(400));
        if (status >= 400) {
            assertThat(response.headers().firstValue("Content-Type")).as(where)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("status").asInt()).as(where).isEqualTo(status);
            assertThat(problem.path("detail").asText()).as(where).isNotBlank();
            assertThat(response.body()).as(where).doesNotContain("Exception", "\tat ", "java.", "io.rateticker.");
        }
    }

    private static void unchangedUnlessAccepted(HttpRequest request) throws Exception {
        long sequence = sequence();
        Answer response = send(request);
        check(response);
        if (response.statusCode() >= 400) {
            assertThat(sequence()).as("change sequence after a rejected write").isEqualTo(sequence);
        }
    }

    private static long sequence() throws Exception {
        String metrics = send(HttpRequest.newBuilder(uri("/q/metrics")).timeout(HANG)
                .header("Accept", "text/plain").build()).body();
        Double sequence = Metrics.value(metrics, "ticker_cluster_sequence");
        assertThat(sequence).as("ticker_cluster_sequence in /q/metrics").isNotNull();
        return sequence.longValue();
    }

    // ---- requests

    /** The answer, whole for most; for an open stream, its head and first event, then the connection is let go. */
    private static Answer send(HttpRequest request) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            return new Answer(request, response.statusCode(), response.headers(),
                    stream ? firstEvent(in) : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** An answer with its body read: whole, or for an open stream its head and first event. */
    private record Answer(HttpRequest request, int statusCode, java.net.http.HttpHeaders headers, String body) {
    }

    private static String firstEvent(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int b = in.read(); b >= 0 && text.length() < 65_536; b = in.read()) {
            text.append((char) b);
            if (b == '\n' && text.indexOf("data:") >= 0 && text.charAt(text.length() - 2) == '\n') {
                break;
            }
        }
        assertThat(text.toString()).as("a stream's first event").contains("event: snapshot");
        return text.toString();
    }

    private static HttpRequest get(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(HANG).GET().build();
    }

    private static HttpRequest admin(String path, String contentType, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(HANG)
                .header("Authorization", "Bearer " + PackagedApp.TOKEN).POST(body);
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        return request.build();
    }

    private static URI uri(String pathAndQuery) {
        return URI.create(app.base() + pathAndQuery);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static String validBody() {
        return "{\"source\":\"manual\",\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"2026-05-24\",\"perUsd\":87.45}]}";
    }

    // ---- generators

    /** Strings an attacker would try: unicode of every plane, control characters, injections, numbers, empties. */
    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(5),
                Arbitraries.of("", " ", "KGS", "kgs", "KGS ", "KGS,KZT", "usd", "USD", "XXX", "KGS/USD", "../../etc/passwd",
                        "%00", "%", "%zz", "'; DROP TABLE observations; --", "<script>alert(1)</script>", "${jndi:ldap://x}",
                        "\u0000", "\uFEFFKGS", "ＫＧＳ", "К G S", "\uD83D\uDCB5", "2026-05-24", "2026-02-30", "9999-12-31",
                        "-999999999-01-01", "+10000-01-01", "2026-5-4", "24.05.2026", "1970-01-01T00:00:00Z"),
                numbers(),
                Arbitraries.strings().alpha().ofMinLength(1000).ofMaxLength(7000));
    }

    @Provide
    Arbitrary<String> numbers() {
        Arbitrary<String> spelled = Arbitraries.of("NaN", "nan", "-NaN", "+NaN", "Infinity", "-Infinity", "+Infinity",
                "infinity", "INF", "inf", "-inf", "\u221E", "1e999", "-1e999", "1E-400", "1e15", "1e16", "-0", "-0.0",
                "+0", "0", "0.0", "0e0", "-0e-0", "1_000", "0x1F", "0b101", "1,5", "1.2.3", ".5", "5.", "1e", "e5",
                "١٢٣", "１２３", "9".repeat(400), "0." + "0".repeat(400) + "1", "1e2147483648", "1e-2147483649",
                "", " 1", "1 ", "+1", "--1");
        Arbitrary<String> exponents = Combinators.combine(Arbitraries.bigDecimals().ofScale(6),
                Arbitraries.of("e", "E"), Arbitraries.integers().between(-500, 500))
                .as((mantissa, e, exponent) -> mantissa.toPlainString() + e + exponent);
        return Arbitraries.oneOf(spelled, exponents, Arbitraries.bigDecimals().map(b -> b.toPlainString()),
                Arbitraries.doubles().map(String::valueOf), Arbitraries.longs().map(String::valueOf));
    }

    @Provide
    Arbitrary<String> currencies() {
        return Arbitraries.oneOf(Arbitraries.of("KGS", "KZT", "TJS", "UZS", "TMT", "USD"), hostile());
    }

    @Provide
    Arbitrary<String> readPaths() {
        return Combinators.combine(Arbitraries.of(READ_PATHS), currencies())
                .as((path, segment) -> path.contains("%s") ? String.format(path, encode(segment)) : path);
    }

    @Provide
    Arbitrary<List<Tuple2<String, String>>> parameters() {
        Arbitrary<String> names = Combinators.combine(Arbitraries.of(PARAMETERS), hostile())
                .as((name, random) -> name.equals("%s") ? random : name);
        return Combinators.combine(names, Arbitraries.oneOf(hostile(), currencies(), numbers())).as(Tuple::of)
                .list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> symbolLists() {
        // Short items, so that 10,000 of them stay within the 64 KiB request line Vert.x reads (beyond it, its own
        // bare 414: beyondTheServersOwnLimits)
        return Arbitraries.oneOf(Arbitraries.of("KGS", "KZT", "TJS", "UZS", "TMT", "XXX", "", "kgs"),
                Arbitraries.strings().alpha().numeric().withChars("-_.~").ofMaxLength(3))
                .list().ofMinSize(1).ofMaxSize(10_000).map(list -> String.join(",", list));
    }

    @Provide
    Arbitrary<String> headerNames() {
        return Arbitraries.of("If-None-Match", "Accept", "Last-Event-ID", "Accept-Encoding", "X-Forwarded-For",
                "Forwarded", "Origin", "Cookie", "Range", "X-Custom");
    }

    @Provide
    Arbitrary<String> headerValues() {
        return Arbitraries.oneOf(hostile(), numbers(), Arbitraries.strings().ascii().ofMinLength(8_000).ofMaxLength(40_000),
                Arbitraries.of("*", "\"\"", "W/\"x\"", "text/event-stream;q=NaN", "gzip;q=2", "-1", "999999999999999999999",
                        "1, 1.1.1.1, 300.300.300.300", "for=\"[::1]\";proto=gopher", "Bearer", "Bearer ", "Basic Zm9vOmJhcg=="));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/json", "application/json; charset=UTF-16", "text/plain", "application/xml",
                "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "*/*", "application/json;;;",
                "\u00e9/\u00e9");
    }

    @Provide
    Arbitrary<String> sourceIds() {
        return Arbitraries.oneOf(Arbitraries.of("nbkr", "nbk", "cbu", "nbt", "cbt", "cbr", "manual", "simulated", "NBKR"),
                hostile());
    }

    @Provide
    Arbitrary<byte[]> documents() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2000),
                hostile().map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
                        "<CurrencyRates Date=\"24.05.2026\"><Currency ISOCode=\"USD\"><Nominal>0</Nominal><Value>NaN</Value>"
                                + "</Currency></CurrencyRates>",
                        "[{\"Ccy\":\"USD\",\"Rate\":\"Infinity\",\"Nominal\":\"1\",\"Date\":\"01.04.2026\"}]", "{}", "[]", "null")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    /** JSON bodies near the real shape, each with at least one thing wrong or odd, and raw garbage. */
    @Provide
    Arbitrary<String> rateBodies() {
        Arbitrary<String> value = Arbitraries.oneOf(numbers(), numbers().map(n -> "\"" + n + "\""),
                Arbitraries.of("null", "true", "[]", "{}", "\"\""));
        Arbitrary<String> text = Arbitraries.oneOf(currencies(), hostile()).map(HostileInputIT::quote);
        Arbitrary<String> item = Combinators.combine(text, Arbitraries.oneOf(hostile().map(HostileInputIT::quote),
                Arbitraries.of("\"2026-05-24\"", "\"2026-02-30\"", "\"2999-01-01\"", "20260524", "null")), value,
                Arbitraries.of("perUsd", "rate", "perusd", "PerUsd", "perUsd\",\"perUsd"), Arbitraries.of("", ",\"x\":1",
                        ",\"rate\":1", ",\"perUsd\":2"))
                .as((currency, asOf, number, field, extra) -> "{\"currency\":" + currency + ",\"asOf\":" + asOf + ",\""
                        + field + "\":" + number + extra + "}");
        Arbitrary<String> shaped = Combinators.combine(Arbitraries.oneOf(Arbitraries.of("\"manual\"", "null", "1"),
                hostile().map(HostileInputIT::quote)), item.list().ofMaxSize(5))
                .as((source, items) -> "{\"source\":" + source + ",\"rates\":[" + String.join(",", items) + "]}");
        return Arbitraries.oneOf(shaped, hostile(), shaped.map(s -> s.substring(0, s.length() / 2)),
                Arbitraries.of("", "null", "[]", "{}", "{\"rates\":null}", "{\"rates\":[null]}", "{\"rates\":[]}",
                        "{\"source\":\"manual\",\"rates\":[{}]}", "{\"source\":\"manual\",\"rates\":[{\"currency\":\"KGS\","
                                + "\"asOf\":\"2026-05-24\",\"perUsd\":NaN}]}", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000)
                                + "}"));
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
