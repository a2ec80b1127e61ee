package io.rateticker.stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.Admin;
import io.rateticker.Metrics;
import io.rateticker.Observation;
import io.rateticker.TestClock;
import io.rateticker.service.RateWriter;
import io.rateticker.SseClient;
import io.rateticker.SseClient.Event;

@QuarkusTest
class StreamTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(700);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/api/v1/stream")
    URI stream;

    @Inject
    RateWriter rates;

    private SseClient open(String query, Map<String, String> headers) throws Exception {
        SseClient client = SseClient.open(URI.create(stream + query), headers);
        assertThat(client.response().statusCode()).isEqualTo(200);
        return client;
    }

    private static JsonNode data(Event event) throws Exception {
        return JSON.readTree(event.data());
    }

    @Test
    void startsWithASnapshotOfTheSelectedRates() throws Exception {
        try (SseClient client = open("?symbols=kgs,TJS", Map.of())) {
            assertThat(client.response().headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(client.response().headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(client.response().headers().firstValue("X-Accel-Buffering")).hasValue("no");
            Event snapshot = client.next(WAIT);
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.retry()).isEqualTo("5000");
            assertThat(Long.parseLong(snapshot.id())).isPositive();
            JsonNode json = data(snapshot);
            assertThat(json.get("base").asText()).isEqualTo("USD");
            assertThat(json.get("rates").findValuesAsText("currency")).containsExactly("KGS", "TJS");
            assertThat(snapshot.data()).doesNotContain("\n");
        }
    }

    /**
     * A browser asks for compressed answers; a stream is never compressed (a compressor holds events back), and its
     * events, written below Vert.x's compressor, come through as the events they are.
     */
    @Test
    void aClientThatTakesCompressionGetsThePlainStream() throws Exception {
        try (SseClient client = open("?symbols=KGS", Map.of("Accept-Encoding", "gzip, deflate, br, zstd"))) {
            assertThat(client.response().headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(client.next(WAIT).name()).isEqualTo("snapshot");
            Admin.write("KGS", "88.66");
            Event event = client.nextEvent(WAIT);
            assertThat(data(event).get("perUsd").decimalValue()).isEqualByComparingTo("88.66");
            Admin.write("KGS", "88.67");
            assertThat(data(client.nextEvent(WAIT)).get("perUsd").decimalValue()).isEqualByComparingTo("88.67");
        }
    }

    /** The first frame is rendered once per snapshot and selection, and shared: never stale after a write. */
    @Test
    void streamsOpenedOnOneSnapshotGetTheSameFrameAndOneOpenedAfterAWriteGetsTheNewSnapshot() throws Exception {
        try (SseClient first = open("?symbols=KGS", Map.of()); SseClient second = open("?symbols=KGS", Map.of())) {
            Event a = first.next(WAIT);
            Event b = second.next(WAIT);
            assertThat(b.id()).isEqualTo(a.id());
            assertThat(b.data()).isEqualTo(a.data());
            Admin.write("KGS", "88.77");
            try (SseClient third = open("?symbols=KGS", Map.of())) {
                Event c = third.next(WAIT);
                assertThat(Long.parseLong(c.id())).isGreaterThan(Long.parseLong(a.id()));
                assertThat(data(c).get("rates").get(0).get("perUsd").decimalValue()).isEqualByComparingTo("88.77");
            }
        }
    }

    @Test
    void sendsARateEventForEachChangedCurrencyInTheFilterOnly() throws Exception {
        try (SseClient client = open("?symbols=KGS", Map.of())) {
            long snapshotId = Long.parseLong(client.next(WAIT).id());
            Admin.post("{\"rates\":[" + Admin.item("KGS", "88.01") + "," + Admin.item("TJS", "9.41") + "]}").statusCode(200);
            Event event = client.nextEvent(WAIT);
            assertThat(event.name()).isEqualTo("rate");
            assertThat(Long.parseLong(event.id())).isGreaterThan(snapshotId);
            JsonNode rate = data(event);
            assertThat(rate.get("pair").asText()).isEqualTo("KGS/USD");
            assertThat(rate.get("perUsd").decimalValue()).isEqualByComparingTo("88.01");
            assertThat(rate.get("rate").decimalValue()).isEqualByComparingTo("0.011362345188");
            assertThat(rate.get("source").asText()).isEqualTo("manual");

            // TJS is not in this client's filter: the next event it sees is the next KGS change
            Admin.write("TJS", "9.42");
            Admin.write("KGS", "88.02");
            Event next = client.nextEvent(WAIT);
            assertThat(data(next).get("currency").asText()).isEqualTo("KGS");
            assertThat(data(next).get("perUsd").decimalValue()).isEqualByComparingTo("88.02");
        }
    }

    /**
     * Against the tenge: a new KZT rate moves every pair in tenge, a new KGS rate only KGS/KZT, a TJS rate none that
     * this stream follows; a resume in tenge gets exactly the pairs it missed.
     */
    @Test
    void aStreamAgainstAnotherBaseHearsThePairsAWriteMoves() throws Exception {
        String lastId;
        try (SseClient client = open("?base=KZT&symbols=USD,KGS", Map.of())) {
            JsonNode snapshot = data(client.next(WAIT));
            assertThat(snapshot.get("base").asText()).isEqualTo("KZT");
            assertThat(snapshot.get("rates").findValuesAsText("pair")).containsExactly("USD/KZT", "KGS/KZT");
            Admin.write("KZT", "480.5");
            Event dollar = client.nextEvent(WAIT);
            Event cross = client.nextEvent(WAIT);
            Map<String, JsonNode> moved = Map.of(data(dollar).get("pair").asText(), data(dollar),
                    data(cross).get("pair").asText(), data(cross));
            assertThat(moved).containsOnlyKeys("USD/KZT", "KGS/KZT");
            assertThat(dollar.id()).isEqualTo(cross.id());
            assertThat(moved.get("USD/KZT").get("rate").decimalValue()).isEqualByComparingTo("480.5");
            assertThat(moved.get("KGS/KZT").get("cross").asBoolean()).isTrue();

            Admin.write("TJS", "9.71");
            Admin.write("KGS", "88.5");
            Event som = client.nextEvent(WAIT);
            assertThat(data(som).get("pair").asText()).isEqualTo("KGS/KZT");
            assertThat(data(som).get("rate").decimalValue()).isEqualByComparingTo("5.42937853107"); // 480.5 / 88.5
            assertThat(client.nextEvent(QUIET)).isNull();
            lastId = som.id();
        }
        Admin.write("KZT", "481");
        try (SseClient client = open("?base=KZT&symbols=USD,KGS", Map.of("Last-Event-ID", lastId))) {
            List<String> missed = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JsonNode rate = data(client.nextEvent(WAIT));
                missed.add(rate.get("pair").asText() + " " + rate.get("rate").asText());
            }
            assertThat(missed).containsExactlyInAnyOrder("USD/KZT 481", "KGS/KZT 5.43502824859"); // 481 / 88.5
        }
    }

    /**
     * The JSON says which change it reflects, in the ids' own terms, so that a client holding both (the widget) can
     * tell an older answer (a cache, a replica behind) from a newer one.
     */
    @Test
    void theRatesJsonCarriesTheSequenceTheStreamsIdsCount() throws Exception {
        try (SseClient client = open("?symbols=KGS", Map.of())) {
            Event snapshot = client.next(WAIT);
            assertThat(data(snapshot).get("sequence").asLong()).isEqualTo(Long.parseLong(snapshot.id()));
            assertThat(given().get("/api/v1/rates?symbols=KGS").then().statusCode(200).extract().jsonPath()
                    .getLong("sequence")).isEqualTo(Long.parseLong(snapshot.id()));
            Admin.write("KGS", "88.21");
            Event rate = client.nextEvent(WAIT);
            // every selection reflects every change: a TJS-only answer moves on too
            for (String symbols : List.of("KGS", "TJS", "KGS,TJS,UZS")) {
                assertThat(given().get("/api/v1/rates?symbols=" + symbols).then().statusCode(200).extract().jsonPath()
                        .getLong("sequence")).as(symbols).isEqualTo(Long.parseLong(rate.id()));
            }
        }
    }

    @Test
    void oneWriteOfSeveralCurrenciesSharesOneId() throws Exception {
        try (SseClient client = open("", Map.of())) {
            client.next(WAIT);
            Admin.post("{\"rates\":[" + Admin.item("KGS", "88.11") + "," + Admin.item("TJS", "9.51") + "]}").statusCode(200);
            Event first = client.nextEvent(WAIT);
            Event second = client.nextEvent(WAIT);
            assertThat(List.of(data(first).get("currency").asText(), data(second).get("currency").asText()))
                    .containsExactly("KGS", "TJS");
            assertThat(first.id()).isEqualTo(second.id());
        }
    }

    @Test
    void aWriteThatChangesNothingSendsNothing() throws Exception {
        Admin.post("{\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"2026-05-20\",\"perUsd\":88}]}").statusCode(200);
        Admin.write("KGS", "88.21");
        try (SseClient client = open("", Map.of())) {
            client.next(WAIT);
            // the same value again (the clock is pinned, so fetchedAt is the same too), and a date older than both the
            // served one and the publication its change is from
            Admin.write("KGS", "88.21");
            Admin.post("{\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"2026-01-05\",\"perUsd\":80}]}").statusCode(200);
            assertThat(client.nextEvent(QUIET)).isNull();
        }
    }

    /** Plain nginx proxies speak HTTP/1.0 to the service: no chunk-size lines may appear in the events. */
    @Test
    void anHttp10ClientGetsAPlainBodyEndedByTheConnection() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(stream.getHost(), stream.getPort()));
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/v1/stream?symbols=TJS HTTP/1.0\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.0 200");
            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                head.add(line.toLowerCase(Locale.ROOT));
            }
            assertThat(head).contains("connection: close").noneMatch(h -> h.startsWith("transfer-encoding"))
                    .noneMatch(h -> h.startsWith("content-length"));
            assertThat(in.readLine()).isEqualTo("retry: 5000");
            assertThat(in.readLine()).isEqualTo("event: snapshot");
            Admin.write("TJS", "9.77");
            List<String> body = new ArrayList<>();
            for (String line = in.readLine(); !line.startsWith("data: {\"pair\""); line = in.readLine()) {
                body.add(line);
            }
            // between the snapshot and the event: its id and data, blank lines, pings; never a chunk size
            assertThat(body).allMatch(line -> line.isEmpty() || line.startsWith("id: ") || line.startsWith("data: ")
                    || line.equals("event: ping") || line.equals("event: rate"), "SSE lines only");
        }
    }

    @Test
    void resumesWithExactlyTheMissedEvents() throws Exception {
        String lastId;
        try (SseClient client = open("?symbols=KGS,TJS", Map.of())) {
            lastId = client.next(WAIT).id();
        }
        Admin.write("KGS", "88.31");
        Admin.write("TJS", "9.61");
        Admin.write("KGS", "88.32");
        try (SseClient client = open("?symbols=KGS,TJS", Map.of("Last-Event-ID", lastId))) {
            List<String> got = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Event event = client.nextEvent(WAIT);
                assertThat(event.name()).isEqualTo("rate");
                got.add(data(event).get("currency").asText() + " " + data(event).get("perUsd").asText());
                ids.add(Long.parseLong(event.id()));
            }
            assertThat(got).containsExactly("KGS 88.31", "TJS 9.61", "KGS 88.32");
            assertThat(ids).isSorted().doesNotHaveDuplicates();
            assertThat(ids.get(0)).isGreaterThan(Long.parseLong(lastId));
            assertThat(client.nextEvent(QUIET)).isNull();

            Admin.write("TJS", "9.62");
            assertThat(data(client.nextEvent(WAIT)).get("perUsd").asText()).isEqualTo("9.62");
        }
    }

    @Test
    void resumingFromTheLatestIdSendsOnlyLiveEvents() throws Exception {
        String latest;
        try (SseClient client = open("", Map.of())) {
            latest = client.next(WAIT).id();
        }
        try (SseClient client = open("?lastEventId=" + latest, Map.of())) {
            assertThat(client.nextEvent(QUIET)).isNull();
            Admin.write("KGS", "88.41");
            Event event = client.nextEvent(WAIT);
            assertThat(event.name()).isEqualTo("rate");
            assertThat(data(event).get("perUsd").asText()).isEqualTo("88.41");
        }
    }

    @Test
    void anUnknownOrTooOldIdGetsAFreshSnapshot() throws Exception {
        String latest;
        try (SseClient client = open("", Map.of())) {
            latest = client.next(WAIT).id();
        }
        for (String id : List.of("not-a-number", String.valueOf(Long.parseLong(latest) + 1000), "0", "-1")) {
            try (SseClient client = open("", Map.of("Last-Event-ID", id))) {
                assertThat(client.nextEvent(WAIT).name()).as("Last-Event-ID %s", id).isEqualTo("snapshot");
            }
        }
        // the test profile keeps 20 events: 21 changes later, the old id is no longer covered
        for (int i = 0; i < 21; i++) {
            Admin.write("TJS", "9.7" + i);
        }
        try (SseClient client = open("", Map.of("Last-Event-ID", latest))) {
            Event event = client.nextEvent(WAIT);
            assertThat(event.name()).isEqualTo("snapshot");
            assertThat(data(event).findValuesAsText("perUsd")).contains("9.72");
        }
    }

    /**
     * A ping right after the snapshot says the heartbeat's interval (the test profile's 1 s), so that a browser's
     * script, which sees no comments, knows at once how long a silence means a dead connection; then one a beat.
     */
    @Test
    void everyStreamGetsAPingAsItOpensAndEveryHeartbeat() throws Exception {
        try (SseClient client = open("", Map.of())) {
            assertThat(client.next(WAIT).name()).isEqualTo("snapshot");
            Event first = client.next(WAIT);
            assertThat(first.name()).isEqualTo("ping");
            assertThat(first.data()).isEqualTo("{\"heartbeat\":1}");
            assertThat(first.id()).as("a ping changes no Last-Event-ID").isNull();
            Event next = client.next(WAIT);
            assertThat(next).as("the next heartbeat").isNotNull();
            assertThat(next.name()).isEqualTo("ping");
        }
        String latest = given().get("/api/v1/rates").then().extract().path("sequence").toString();
        try (SseClient resumed = open("", Map.of("Last-Event-ID", latest))) {
            Event first = resumed.next(WAIT);
            assertThat(first.name()).as("a resume opens with a ping, since it has no snapshot").isEqualTo("ping");
            assertThat(first.retry()).isEqualTo("5000");
        }
    }

    @Test
    void anUnknownSymbolIsAProblemNotAStream() throws Exception {
        SseClient client = SseClient.open(URI.create(stream + "?symbols=EUR"), Map.of());
        assertThat(client.response().statusCode()).isEqualTo(400);
        assertThat(client.response().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        client.close();
    }

    @Test
    void aClientThatDoesNotReadIsCutLooseWithoutDelayingTheOthers() throws Exception {
        double before = Metrics.value(Metrics.scrape(), "ticker_stream_slow_disconnects_total");
        try (Socket stalled = new Socket(); SseClient reader = open("?symbols=KGS", Map.of())) {
            stalled.setReceiveBufferSize(2048);
            stalled.connect(new InetSocketAddress(stream.getHost(), stream.getPort()));
            stalled.getOutputStream().write(("GET /api/v1/stream HTTP/1.1\r\nHost: " + stream.getHost()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            reader.next(WAIT);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int writes = 0;
            double now = before;
            // Bounded: the stalled client's kernel buffers take a few MB before the server's queue fills.
            while (now == before && writes < 30_000 && System.nanoTime() < deadline) {
                List<Observation> batch = new ArrayList<>();
                for (String currency : List.of("KGS", "KZT", "TJS", "UZS", "TMT")) {
                    batch.add(new Observation(currency, LocalDate.parse(TestClock.LATEST_AS_OF),
                            new BigDecimal("100." + writes), "manual", TestClock.START));
                }
                rates.ingest(batch, false);
                if (++writes % 250 == 0) {
                    now = Metrics.value(Metrics.scrape(), "ticker_stream_slow_disconnects_total");
                }
            }
            assertThat(now).as("slow disconnects after %d writes", writes).isEqualTo(before + 1);
            // the reading client got every change, in order, up to the last one
            String expected = new BigDecimal("100." + (writes - 1)).stripTrailingZeros().toPlainString();
            String last = null;
            for (int i = 0; i < writes; i++) {
                Event event = reader.nextEvent(WAIT);
                assertThat(event).as("event %d of %d", i, writes).isNotNull();
                last = data(event).get("perUsd").asText();
            }
            assertThat(last).isEqualTo(expected);
            // the server closed the stalled connection: reading what it had buffered ends in EOF
            stalled.setSoTimeout(10_000);
            InputStream in = stalled.getInputStream();
            byte[] sink = new byte[65536];
            while (in.read(sink) >= 0) {
                // drain
            }
        }
    }

    @Test
    void streamsAreCountedAndKeptOutOfRequestMetrics() throws Exception {
        double sentBefore;
        try (SseClient client = open("?symbols=KGS", Map.of())) {
            client.next(WAIT);
            String scrape = Metrics.scrape();
            assertThat(Metrics.value(scrape, "ticker_stream_clients")).isGreaterThanOrEqualTo(1.0);
            sentBefore = Metrics.value(scrape, "ticker_stream_events_sent_total");
            Admin.write("KGS", "88.51");
            assertThat(client.nextEvent(WAIT)).isNotNull();
        }
        String scrape = Metrics.scrape();
        assertThat(Metrics.value(scrape, "ticker_stream_events_sent_total")).isGreaterThanOrEqualTo(sentBefore + 1);
        assertThat(scrape).doesNotContain("uri=\"/api/v1/stream\"");
    }
}
