package io.rateticker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.rateticker.source.Specimens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Two instances of the packaged application, separate processes on their own ports, sharing one real PostgreSQL:
 * changes fan out through LISTEN/NOTIFY, streams resume on either replica, one replica fetches at a time, and a
 * database restart in the middle of writes leaves both replicas identical and every stream without gaps or
 * duplicates.
 */
class ClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<PackagedApp> apps = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private String url;
    private Path dir;

    @BeforeEach
    void createDatabase() throws Exception {
        url = PostgresServer.shared().createDatabase();
        dir = Files.createTempDirectory("rate-ticker-cluster-it");
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        for (PackagedApp app : apps) {
            app.close();
        }
    }

    @Test
    void aWriteOnOneReplicaReachesTheOthersStreamsAndAReaderResumesOnEither() throws Exception {
        PackagedApp a = replica("a");
        a.start("ticker.cluster.poll-interval=30s");
        try (SseClient onA = open(a, null)) {
            assertThat(onA.nextEvent(WAIT).name()).isEqualTo("snapshot");
            write(a, "KGS", "87.1");
            String lastSeen = onA.nextEvent(WAIT).id();
            // Missed by the reader below: one write before B exists, so B can only rebuild it from the change log.
            write(a, "TJS", "9.41");
            List<String> expected = new ArrayList<>(List.of(event(onA.nextEvent(WAIT))));

            PackagedApp b = replica("b");
            // B's first poll is 30 s after its start: only NOTIFY can bring it the next write within 5 s
            b.start("ticker.cluster.poll-interval=30s");
            try (SseClient onB = open(b, null)) {
                assertThat(onB.nextEvent(WAIT).name()).isEqualTo("snapshot");
                long sent = System.nanoTime();
                write(a, "KGS", "87.2");
                SseClient.Event arrived = onB.nextEvent(WAIT);
                long millis = (System.nanoTime() - sent) / 1_000_000;
                assertThat(arrived).as("the write on A, on B's stream").isNotNull();
                assertThat(millis).as("write on A to event on B, ms").isLessThan(5000);
                String onAEvent = event(onA.nextEvent(WAIT));
                assertThat(event(arrived)).isEqualTo(onAEvent);
                expected.add(onAEvent);

                write(b, "UZS", "0.0000820061");
                expected.add(event(onA.nextEvent(WAIT)));
                assertThat(event(onB.nextEvent(WAIT))).isEqualTo(expected.get(expected.size() - 1));
            }

            // The reader left A after its first event: on B it gets exactly what it missed, then live events.
            try (SseClient resumed = open(b, lastSeen)) {
                List<String> got = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    SseClient.Event next = resumed.nextEvent(WAIT);
                    assertThat(next).as("missed event %d of %s", i, expected).isNotNull();
                    got.add(event(next));
                }
                assertThat(got).containsExactlyElementsOf(expected);
                assertThat(resumed.nextEvent(Duration.ofMillis(500))).isNull();
                write(a, "KZT", "512.5");
                String live = event(onA.nextEvent(WAIT));
                assertThat(event(resumed.nextEvent(WAIT))).isEqualTo(live);
                expected.add(live);
            }
            // Another reader from the same id (as when a replica's readers all come back at once): the same events.
            try (SseClient again = open(b, lastSeen)) {
                List<String> got = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    got.add(event(again.nextEvent(WAIT)));
                }
                assertThat(got).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void aReleaseAndADeletionOnOneReplicaReachEveryReplicaAndStream() throws Exception {
        PackagedApp a = replica("a");
        a.start("ticker.cluster.poll-interval=30s");
        PackagedApp b = replica("b");
        b.start("ticker.cluster.poll-interval=30s"); // the change log's NOTIFY, not a poll, brings each change
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(3);
        try (SseClient onA = SseClient.open(URI.create(a.base() + "/api/v1/stream?symbols=KZT"), Map.of());
                SseClient onB = SseClient.open(URI.create(b.base() + "/api/v1/stream?symbols=KZT"), Map.of())) {
            assertThat(onA.nextEvent(WAIT).name()).isEqualTo("snapshot");
            assertThat(onB.nextEvent(WAIT).name()).isEqualTo("snapshot");
            assertThat(feedNbk(a, day, "500").getString("items[0].outcome")).isEqualTo("accepted");
            String accepted = event(onA.nextEvent(WAIT));
            assertThat(event(onB.nextEvent(WAIT))).isEqualTo(accepted);
            // held back on A (a 24 % jump from the day before): listed on B
            assertThat(feedNbk(a, day.plusDays(1), "620").getString("items[0].outcome")).isEqualTo("rejected");
            b.api().auth().oauth2(PackagedApp.TOKEN).get("/api/v1/admin/rejections").then().statusCode(200)
                    .body("asOf", hasItem(day.plusDays(1).toString()));

            // released on B: served on both, sent on both streams with the same id
            b.api().auth().oauth2(PackagedApp.TOKEN)
                    .post("/api/v1/admin/rejections/nbk/KZT/" + day.plusDays(1) + "/release").then().statusCode(200);
            String released = event(onB.nextEvent(WAIT));
            assertThat(released).endsWith(" KZT 620");
            assertThat(event(onA.nextEvent(WAIT))).isEqualTo(released);

            // deleted on A: the day before is served again everywhere
            a.api().auth().oauth2(PackagedApp.TOKEN)
                    .delete("/api/v1/admin/observations/nbk/KZT/" + day.plusDays(1)).then().statusCode(200);
            String back = event(onA.nextEvent(WAIT));
            assertThat(back).endsWith(" KZT 500");
            assertThat(event(onB.nextEvent(WAIT))).isEqualTo(back);
            for (PackagedApp app : List.of(a, b)) {
                app.api().get("/api/v1/rates/KZT").then().body("asOf", equalTo(day.toString()));
                app.api().auth().oauth2(PackagedApp.TOKEN).get("/api/v1/admin/rejections").then().body("", empty());
            }
        }
    }

    private static JsonPath feedNbk(PackagedApp app, LocalDate date, String value) {
        return app.api().auth().oauth2(PackagedApp.TOKEN)
                .body(Specimens.nbk(date.format(DateTimeFormatter.ofPattern("dd.MM.yyyy")), value))
                .post("/api/v1/admin/sources/nbk/documents").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void killingTheFetcherHandsFetchingToTheOtherReplica() throws Exception {
        WireMockServer bank = bank();
        String[] fetching = fetching(bank, "1s");
        PackagedApp a = replica("a", url);
        a.start(with(fetching, "ticker.sources.user-agent=replica-a"));
        PackagedApp b = replica("b", url);
        b.start(with(fetching, "ticker.sources.user-agent=replica-b"));

        awaitFetchesFrom(bank, "replica-a", 2);
        assertThat(fetchesFrom(bank, "replica-b")).as("fetches by the replica without the lock").isZero();
        assertThat(metric(a, "ticker_cluster_fetcher")).isEqualTo("1.0");
        assertThat(metric(b, "ticker_cluster_fetcher")).isEqualTo("0.0");

        a.kill();
        awaitFetchesFrom(bank, "replica-b", 2);
        assertThat(metric(b, "ticker_cluster_fetcher")).isEqualTo("1.0");
        b.api().get("/api/v1/sources").then().statusCode(200);
        assertThat(b.api().get("/api/v1/rates/KGS").then().statusCode(200).extract().path("source").toString())
                .isEqualTo("nbkr");
    }

    /**
     * The fetcher's database connections go dark (a proxy between them stops forwarding and keeps every connection
     * open, as a partition or a blackholing load balancer does): it finds out within the poll interval and stands
     * down, its writes are refused with 503, and the server ends its silent session, so that the other replica takes
     * the fetcher lock within the bound README states (the poll interval, at least 10 s, and half a poll interval).
     */
    @Test
    void aFetcherCutOffFromTheDatabaseStandsDownAndTheOtherTakesOver() throws Exception {
        WireMockServer bank = bank();
        Duration poll = Duration.ofSeconds(4);
        String[] fetching = fetching(bank, poll.toSeconds() + "s");
        int port = URI.create(url.substring("jdbc:".length())).getPort();
        TcpProxy proxy = new TcpProxy(port);
        closeables.add(proxy);
        PackagedApp a = replica("a", url.replace(":" + port + "/", ":" + proxy.port() + "/"));
        a.start(with(fetching, "ticker.sources.user-agent=replica-a"));
        PackagedApp b = replica("b", url);
        b.start(with(fetching, "ticker.sources.user-agent=replica-b"));
        awaitFetchesFrom(bank, "replica-a", 2);
        assertThat(metric(b, "ticker_cluster_fetcher")).isEqualTo("0.0");

        long cut = System.nanoTime();
        proxy.blackhole();
        // The bounds, plus a margin for a loaded machine: without them this took the kernel's ~15 minutes
        awaitMetric(a, "ticker_cluster_fetcher", "0.0", poll.plusSeconds(10));
        long detected = System.nanoTime() - cut;
        long writeStarted = System.nanoTime();
        writeStatusIs(a, 503);
        long refused = System.nanoTime() - writeStarted;
        awaitMetric(b, "ticker_cluster_fetcher", "1.0", Duration.ofSeconds(10).plus(poll.dividedBy(2)).plusSeconds(10));
        long handedOver = System.nanoTime() - cut;
        long before = fetchesFrom(bank, "replica-b");
        awaitFetchesFrom(bank, "replica-b", (int) before + 1);
        a.api().get("/api/v1/rates/KGS").then().statusCode(200); // reads go on from memory
        System.out.printf("Connection gone dark: the fetcher stood down after %d ms, a write was refused in %d ms,"
                + " the other replica held the lock after %d ms%n", detected / 1_000_000, refused / 1_000_000,
                handedOver / 1_000_000);
    }

    private WireMockServer bank() throws Exception {
        WireMockServer bank = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .jettyAcceptors(1));
        bank.start();
        closeables.add(bank::stop);
        byte[] daily;
        try (InputStream in = getClass().getResourceAsStream("/upstream/nbkr-daily.xml")) {
            daily = in.readAllBytes();
        }
        bank.stubFor(get("/XML/daily.xml").willReturn(aResponse().withBody(daily)
                .withHeader("Content-Type", "application/xml")));
        return bank;
    }

    /** NBKR from the stub every 2 s, by whichever replica holds the fetcher lock. */
    private static String[] fetching(WireMockServer bank, String pollInterval) {
        return new String[] {"ticker.cluster.poll-interval=" + pollInterval, "ticker.sources.nbkr.enabled=true",
                "ticker.sources.nbkr.url=" + bank.baseUrl() + "/XML/daily.xml",
                "ticker.sources.nbkr.schedule=0/2 * * * * ?", "ticker.sources.retries=0"};
    }

    private static void awaitMetric(PackagedApp app, String name, String value, Duration within) {
        Awaitility.await(name + " " + value).atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> metric(app, name), value::equals);
    }

    @Test
    void restartingPostgresqlDuringWritesLeavesBothReplicasIdenticalAndStreamsWhole() throws Exception {
        PackagedApp a = replica("a");
        a.start("ticker.cluster.poll-interval=2s");
        PackagedApp b = replica("b");
        b.start("ticker.cluster.poll-interval=2s");
        SseClient onA = open(a, null);
        SseClient onB = open(b, null);
        closeables.add(onA);
        closeables.add(onB);
        List<SseClient.Event> fromA = collect(onA);
        List<SseClient.Event> fromB = collect(onB);

        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        List<String> attempted = new CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> {
            for (int i = 0; writing.get(); i++) {
                String perUsd = new BigDecimal("88.1").add(BigDecimal.valueOf(i + 1, 4)).stripTrailingZeros()
                        .toPlainString();
                attempted.add(perUsd);
                try {
                    int status = writeStatus(i % 2 == 0 ? a : b, "KGS", perUsd);
                    if (status == 200) {
                        acknowledged.add(perUsd);
                    }
                    Thread.sleep(50); // pacing: a write every 50 ms, to either replica in turn
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // a refused write is expected while the database is down
                }
            }
        });
        writer.start();
        try {
            awaitSize(acknowledged, 10);
            PostgresServer.shared().stop();
            a.awaitStore("DOWN");
            b.awaitStore("DOWN");
            int before = acknowledged.size();
            a.api().get("/api/v1/rates").then().statusCode(200);
            b.api().get("/api/v1/rates/KGS").then().statusCode(200);
            writeStatusIs(a, 503);
            Thread.sleep(1000); // a second of the writer's attempts against the database that is down

            PostgresServer.shared().startAgain();
            a.awaitStore("UP");
            b.awaitStore("UP");
            awaitSize(acknowledged, before + 10);
        } finally {
            writing.set(false);
            writer.join(30_000);
        }

        String last = acknowledged.get(acknowledged.size() - 1);
        String bodyA = awaitRate(a, last);
        String bodyB = awaitRate(b, last);
        assertThat(bodyB).as("B's snapshot equals A's").isEqualTo(bodyA);
        awaitEvent(fromA, last);
        awaitEvent(fromB, last);

        for (List<SseClient.Event> events : List.of(fromA, fromB)) {
            List<Long> ids = events.stream().filter(e -> e.name().equals("rate")).map(e -> Long.parseLong(e.id())).toList();
            assertThat(ids).as("event ids").isSorted().doesNotHaveDuplicates();
        }
        List<String> seenOnA = rateEvents(fromA);
        assertThat(rateEvents(fromB)).as("B's stream equals A's").containsExactlyElementsOf(seenOnA);
        Set<String> values = new LinkedHashSet<>();
        for (String event : seenOnA) {
            values.add(event.substring(event.lastIndexOf(' ') + 1));
        }
        assertThat(values).as("every acknowledged write reached the streams").containsAll(acknowledged);
        assertThat(attempted).as("nothing was invented").containsAll(values);
    }

    private PackagedApp replica(String name) throws Exception {
        return replica(name, url);
    }

    private PackagedApp replica(String name, String databaseUrl) throws Exception {
        Path replicaDir = Files.createDirectories(dir.resolve(name));
        PackagedApp app = new PackagedApp(replicaDir, Map.of(
                "TICKER_DATABASE", "postgresql",
                "TICKER_DATABASE_URL", databaseUrl,
                "TICKER_DATABASE_USER", PostgresServer.USER,
                "TICKER_DATABASE_PASSWORD", ""));
        apps.add(app);
        return app;
    }

    private static String[] with(String[] properties, String more) {
        List<String> all = new ArrayList<>(List.of(properties));
        all.add(more);
        return all.toArray(String[]::new);
    }

    private static SseClient open(PackagedApp app, String lastEventId) throws Exception {
        return SseClient.open(URI.create(app.base() + "/api/v1/stream"),
                lastEventId == null ? Map.of() : Map.of("Last-Event-ID", lastEventId));
    }

    /** Everything the client receives, in order, gathered in the background. */
    private List<SseClient.Event> collect(SseClient client) {
        List<SseClient.Event> events = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                while (!client.ended()) {
                    SseClient.Event event = client.nextEvent(Duration.ofSeconds(1));
                    if (event != null) {
                        events.add(event);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.setDaemon(true);
        reader.start();
        closeables.add(reader::interrupt);
        return events;
    }

    /** A rate event as "id currency perUsd". */
    private static String event(SseClient.Event event) throws Exception {
        assertThat(event).isNotNull();
        assertThat(event.name()).isEqualTo("rate");
        JsonNode data = JSON.readTree(event.data());
        return event.id() + " " + data.get("currency").asText() + " " + data.get("perUsd").asText();
    }

    private static List<String> rateEvents(List<SseClient.Event> events) throws Exception {
        List<String> rates = new ArrayList<>();
        for (SseClient.Event e : events) {
            if (e.name().equals("rate")) {
                rates.add(event(e));
            }
        }
        return rates;
    }

    private static void write(PackagedApp app, String currency, String perUsd) {
        assertThat(writeStatus(app, currency, perUsd)).isEqualTo(200);
    }

    private static void writeStatusIs(PackagedApp app, int status) {
        assertThat(writeStatus(app, "KZT", "500")).isEqualTo(status);
    }

    private static int writeStatus(PackagedApp app, String currency, String perUsd) {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        return app.api().auth().oauth2(PackagedApp.TOKEN).contentType(ContentType.JSON)
                .body("{\"rates\":[{\"currency\":\"" + currency + "\",\"asOf\":\"" + today + "\",\"perUsd\":" + perUsd
                        + "}]}")
                .post("/api/v1/admin/rates").statusCode();
    }

    private static String metric(PackagedApp app, String name) {
        for (String line : app.api().get("/q/metrics").asString().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return line.substring(line.lastIndexOf(' ') + 1);
            }
        }
        throw new AssertionError("no metric " + name);
    }

    private static long fetchesFrom(WireMockServer bank, String userAgent) {
        List<LoggedRequest> requests = bank.findAll(getRequestedFor(urlEqualTo("/XML/daily.xml")));
        return requests.stream().filter(r -> userAgent.equals(r.getHeader("User-Agent"))).count();
    }

    private static void awaitFetchesFrom(WireMockServer bank, String userAgent, int count) {
        Awaitility.await(userAgent + " fetching " + count + " times").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).until(() -> fetchesFrom(bank, userAgent), n -> n >= count);
    }

    private static void awaitSize(List<String> list, int size) {
        Awaitility.await(size + " writes acknowledged").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).until(list::size, n -> n >= size);
    }

    /** The rates JSON once it serves {@code perUsd} for KGS. */
    private static String awaitRate(PackagedApp app, String perUsd) {
        return Awaitility.await("KGS at " + perUsd + " served").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> app.api().get("/api/v1/rates").asString(),
                        body -> body.contains("\"perUsd\":" + perUsd + ","));
    }

    private static void awaitEvent(List<SseClient.Event> events, String perUsd) {
        Awaitility.await("an event for " + perUsd).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> rateEvents(events).stream().anyMatch(e -> e.endsWith(" " + perUsd)));
    }
}
