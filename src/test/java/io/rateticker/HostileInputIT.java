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
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Hostile input against the packaged application, property-based ({@link Tries}, {@link Gen}): random and unicode
 * strings, numbers spelled every way, 10,000-symbol lists, duplicated parameters, long paths and headers, wrong
 * content types, random tokens, random documents. Every answer must be a 2xx, or a 4xx with an
 * {@code application/problem+json} body whose detail says what is wrong (never a stack trace), within 10 s (never a
 * hang); nothing rejected may change the store (its change sequence, {@code ticker_cluster_sequence}), and at the
 * end the served rates are as before.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails a try
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration HANG = Duration.ofSeconds(10);
    private static final List<String> READ_PATHS = List.of("/api/v1/rates", "/api/v1/rates/%s", "/api/v1/rates/%s/history",
            "/api/v1/convert", "/api/v1/currencies", "/api/v1/sources", "/api/v1/stream", "/rate-ticker.js", "/%s");
    private static final List<String> PARAMETERS = List.of("symbols", "from", "to", "amount", "lastEventId", "source",
            "symbols[]", "", "%s");
    private static final String ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static PackagedApp app;
    private static Path dir;
    private static String ratesBefore;
    /** Whether a generated body happened to be a valid write (the generators can make one), which may change them. */
    private static volatile boolean validWriteAccepted;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("rate-ticker-hostile");
        app = new PackagedApp(dir, "jdbc:h2:file:" + dir.resolve("ticker"));
        // Random tokens are tried by the hundred here: the lockout is tested elsewhere (AdminLockoutTest).
        app.start("ticker.admin.max-failures-per-minute=1000000000");
        ratesBefore = send(get("/api/v1/rates")).body();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (!validWriteAccepted) {
                assertThat(send(get("/api/v1/rates")).body()).as("the served rates after every property")
                        .isEqualTo(ratesBefore);
            }
        } finally {
            app.close();
        }
    }

    @Tries(400)
    void readEndpointsTakeAnyPathAndParameters(long seed) throws Exception {
        Random random = new Random(seed);
        String path = READ_PATH.next(random);
        String query = PARAMETER_LISTS.next(random).stream().map(p -> encode(p[0]) + "=" + encode(p[1]))
                .collect(Collectors.joining("&"));
        check(send(get(path + (query.isEmpty() ? "" : "?" + query))));
    }

    @Tries(200)
    void amountsSpelledEveryWay(long seed) throws Exception {
        Random random = new Random(seed);
        String amount = NUMBERS.next(random);
        String from = CURRENCIES.next(random);
        String to = CURRENCIES.next(random);
        Answer response = send(get("/api/v1/convert?from=" + encode(from) + "&to=" + encode(to)
                + "&amount=" + encode(amount)));
        check(response);
        if (response.statusCode() == 200) {
            assertThat(JSON.readTree(response.body()).get("amount").decimalValue()).isPositive();
        }
    }

    @Tries(30)
    void symbolListsUpToTenThousand(long seed) throws Exception {
        String symbols = SYMBOL_LISTS.next(new Random(seed));
        check(send(get("/api/v1/rates?symbols=" + encode(symbols))));
        check(send(get("/api/v1/stream?symbols=" + encode(symbols))));
    }

    @Tries(200)
    void anyHeaderValue(long seed) throws Exception {
        Random random = new Random(seed);
        String name = HEADER_NAMES.next(random);
        String value = HEADER_VALUES.filter(v -> sendable(name, v)).next(random);
        check(send(HttpRequest.newBuilder(uri("/api/v1/rates")).timeout(HANG).header(name, value).GET().build()));
        check(send(HttpRequest.newBuilder(uri("/api/v1/stream")).timeout(HANG).header(name, value).GET().build()));
    }

    @Tries(300)
    void adminRateBodies(long seed) throws Exception {
        Random random = new Random(seed);
        String body = RATE_BODIES.next(random);
        String contentType = CONTENT_TYPES.next(random);
        unchangedUnlessAccepted(admin("/api/v1/admin/rates", contentType, HttpRequest.BodyPublishers.ofString(body)));
    }

    @Tries(200)
    void adminDocuments(long seed) throws Exception {
        Random random = new Random(seed);
        String id = SOURCE_IDS.next(random);
        byte[] document = DOCUMENTS.next(random);
        String contentType = CONTENT_TYPES.next(random);
        unchangedUnlessAccepted(admin("/api/v1/admin/sources/" + encode(id) + "/documents", contentType,
                HttpRequest.BodyPublishers.ofByteArray(document)));
    }

    @Tries(200)
    void wrongTokens(long seed) throws Exception {
        String token = HEADER_VALUES.filter(v -> !v.equals("Bearer " + PackagedApp.TOKEN) && sendable("Authorization", v))
                .next(new Random(seed));
        HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/admin/rates")).timeout(HANG)
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(validBody())).build();
        long sequence = sequence();
        Answer response = send(request);
        check(response);
        assertThat(response.statusCode()).isIn(401, 429, 431);
        assertThat(sequence()).isEqualTo(sequence);
    }

    /** Past Vert.x's own limits (64 KiB): its bare 414/431, the connection closed, and no hang. */
    @Test
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
        } else if (sequence() != sequence) {
            validWriteAccepted = true;
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

    /** The answer, whole for most; for an open stream, its head and first block, then the connection is let go. */
    private static Answer send(HttpRequest request) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            return new Answer(request, response.statusCode(), response.headers(),
                    stream ? firstBlock(in) : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** An answer with its body read: whole, or for an open stream its head and first block. */
    private record Answer(HttpRequest request, int statusCode, java.net.http.HttpHeaders headers, String body) {
    }

    /**
     * A stream's first block, which comes at once: its {@code retry:}, with the snapshot, or on a ping alone when a
     * {@code Last-Event-ID} resumes at the latest change (then nothing but pings follows until the next one).
     */
    private static String firstBlock(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int b = in.read(); b >= 0 && text.length() < 65_536; b = in.read()) {
            text.append((char) b);
            if (text.length() >= 2 && text.charAt(text.length() - 1) == '\n' && text.charAt(text.length() - 2) == '\n') {
                break;
            }
        }
        assertThat(text.toString()).as("a stream's first block").startsWith("retry: ")
                .satisfiesAnyOf(block -> assertThat(block).contains("event: ping\n").containsOnlyOnce("event:"),
                        block -> assertThat(block).contains("event: snapshot"),
                        block -> assertThat(block).contains("event: rate"));
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

    /** Whether an HTTP client can put this header on the wire at all (no control characters, for one). */
    private static boolean sendable(String name, String value) {
        try {
            HttpRequest.newBuilder(uri("/")).header(name, value);
            return true;
        } catch (IllegalArgumentException notSendable) {
            return false;
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- generators

    private static final Gen<String> NUMBERS = Gen.oneOf(
            Gen.of("NaN", "nan", "-NaN", "+NaN", "Infinity", "-Infinity", "+Infinity",
                    "infinity", "INF", "inf", "-inf", "\u221E", "1e999", "-1e999", "1E-400", "1e15", "1e16", "-0", "-0.0",
                    "+0", "0", "0.0", "0e0", "-0e-0", "1_000", "0x1F", "0b101", "1,5", "1.2.3", ".5", "5.", "1e", "e5",
                    "١٢٣", "１２３", "9".repeat(400), "0." + "0".repeat(400) + "1", "1e2147483648", "1e-2147483649",
                    "", " 1", "1 ", "+1", "--1"),
            random -> Gen.decimals(6).next(random).toPlainString() + Gen.of("e", "E").next(random)
                    + Gen.ints(-500, 500).next(random),
            Gen.decimals(20).map(BigDecimal::toPlainString),
            Gen.doubles().map(String::valueOf),
            Gen.longs().map(String::valueOf));

    /** Strings an attacker would try: unicode of every plane, control characters, injections, numbers, empties. */
    private static final Gen<String> HOSTILE = Gen.oneOf(
            Gen.strings(Gen.anyChar(), 0, 40),
            Gen.strings(Gen.charRange('\u0000', '\u001f'), 0, 5),
            Gen.of("", " ", "KGS", "kgs", "KGS ", "KGS,KZT", "usd", "USD", "XXX", "KGS/USD", "../../etc/passwd",
                    "%00", "%", "%zz", "'; DROP TABLE observations; --", "<script>alert(1)</script>", "${jndi:ldap://x}",
                    "\u0000", "\uFEFFKGS", "ＫＧＳ", "К G S", "\uD83D\uDCB5", "2026-05-24", "2026-02-30", "9999-12-31",
                    "-999999999-01-01", "+10000-01-01", "2026-5-4", "24.05.2026", "1970-01-01T00:00:00Z"),
            NUMBERS,
            Gen.strings(Gen.charsOf(ALPHA), 1000, 7000));

    private static final Gen<String> CURRENCIES = Gen.oneOf(Gen.of("KGS", "KZT", "TJS", "UZS", "TMT", "USD"), HOSTILE);

    private static final Gen<String> READ_PATH = random -> {
        String path = Gen.of(READ_PATHS).next(random);
        return path.contains("%s") ? String.format(path, encode(CURRENCIES.next(random))) : path;
    };

    /** Query parameters as name and value: known names, odd ones, random ones; hostile values. */
    private static final Gen<List<String[]>> PARAMETER_LISTS = ((Gen<String[]>) random -> {
        String name = Gen.of(PARAMETERS).next(random);
        return new String[] {name.equals("%s") ? HOSTILE.next(random) : name,
                Gen.oneOf(HOSTILE, CURRENCIES, NUMBERS).next(random)};
    }).list(0, 6);

    /**
     * Short items, so that 10,000 of them stay within the 64 KiB request line Vert.x reads (beyond it, its own bare
     * 414: beyondTheServersOwnLimits).
     */
    private static final Gen<String> SYMBOL_LISTS = Gen.oneOf(Gen.of("KGS", "KZT", "TJS", "UZS", "TMT", "XXX", "", "kgs"),
            Gen.strings(Gen.charsOf(ALPHA + "0123456789-_.~"), 0, 3))
            .list(1, 10_000).map(list -> String.join(",", list));

    private static final Gen<String> HEADER_NAMES = Gen.of("If-None-Match", "Accept", "Last-Event-ID", "Accept-Encoding",
            "X-Forwarded-For", "Forwarded", "Origin", "Cookie", "Range", "X-Custom");

    private static final Gen<String> HEADER_VALUES = Gen.oneOf(HOSTILE, NUMBERS,
            Gen.strings(Gen.charRange('\u0000', '\u007f'), 8_000, 40_000),
            Gen.of("*", "\"\"", "W/\"x\"", "text/event-stream;q=NaN", "gzip;q=2", "-1", "999999999999999999999",
                    "1, 1.1.1.1, 300.300.300.300", "for=\"[::1]\";proto=gopher", "Bearer", "Bearer ", "Basic Zm9vOmJhcg=="));

    private static final Gen<String> CONTENT_TYPES = Gen.of("application/json", "application/json; charset=UTF-16",
            "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "",
            "*/*", "application/json;;;", "\u00e9/\u00e9");

    private static final Gen<String> SOURCE_IDS = Gen.oneOf(
            Gen.of("nbkr", "nbk", "cbu", "nbt", "cbt", "cbr", "manual", "simulated", "NBKR"), HOSTILE);

    private static final Gen<byte[]> DOCUMENTS = Gen.oneOf(
            Gen.bytes(2000),
            HOSTILE.map(s -> s.getBytes(StandardCharsets.UTF_8)),
            Gen.of("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
                    "<CurrencyRates Date=\"24.05.2026\"><Currency ISOCode=\"USD\"><Nominal>0</Nominal><Value>NaN</Value>"
                            + "</Currency></CurrencyRates>",
                    "[{\"Ccy\":\"USD\",\"Rate\":\"Infinity\",\"Nominal\":\"1\",\"Date\":\"01.04.2026\"}]", "{}", "[]", "null")
                    .map(s -> s.getBytes(StandardCharsets.UTF_8)));

    /** JSON bodies near the real shape, nearly all with something wrong or odd (by chance a valid one), and raw garbage. */
    private static final Gen<String> RATE_BODIES = rateBodies();

    private static Gen<String> rateBodies() {
        Gen<String> value = Gen.oneOf(NUMBERS, NUMBERS.map(n -> "\"" + n + "\""),
                Gen.of("null", "true", "[]", "{}", "\"\""));
        Gen<String> text = Gen.oneOf(CURRENCIES, HOSTILE).map(HostileInputIT::quote);
        Gen<String> asOf = Gen.oneOf(HOSTILE.map(HostileInputIT::quote),
                Gen.of("\"2026-05-24\"", "\"2026-02-30\"", "\"2999-01-01\"", "20260524", "null"));
        Gen<String> field = Gen.of("perUsd", "rate", "perusd", "PerUsd", "perUsd\",\"perUsd");
        Gen<String> extra = Gen.of("", ",\"x\":1", ",\"rate\":1", ",\"perUsd\":2");
        Gen<String> item = random -> "{\"currency\":" + text.next(random) + ",\"asOf\":" + asOf.next(random) + ",\""
                + field.next(random) + "\":" + value.next(random) + extra.next(random) + "}";
        Gen<String> source = Gen.oneOf(Gen.of("\"manual\"", "null", "1"), HOSTILE.map(HostileInputIT::quote));
        Gen<List<String>> items = item.list(0, 5);
        Gen<String> shaped = random -> "{\"source\":" + source.next(random) + ",\"rates\":["
                + String.join(",", items.next(random)) + "]}";
        return Gen.oneOf(shaped, HOSTILE, shaped.map(s -> s.substring(0, s.length() / 2)),
                Gen.of("", "null", "[]", "{}", "{\"rates\":null}", "{\"rates\":[null]}", "{\"rates\":[]}",
                        "{\"source\":\"manual\",\"rates\":[{}]}", "{\"source\":\"manual\",\"rates\":[{\"currency\":\"KGS\","
                                + "\"asOf\":\"2026-05-24\",\"perUsd\":NaN}]}", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000)
                                + "}"));
    }
}
