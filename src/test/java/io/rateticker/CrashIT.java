package io.rateticker;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code kill -9} of the packaged application while four clients write through the admin API and one feeds bank
 * documents: every write answered 2xx is in the store with its values, no write is there in part, the change
 * sequence goes on after the restart without reusing a number, and a reader resuming with the last id it saw gets
 * exactly the changes it missed, none twice.
 */
class CrashIT {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final List<String> DOCUMENTS = List.of("nbk/nbk-get-rates-2026-04-01.xml",
            "nbk/nbk-get-rates-2026-04-02.xml", "cbu/cbu-all-2026-04-01.json", "cbu/cbu-all-2026-04-02.json",
            "nbt/nbt-2026-05-18.xml", "nbt/nbt-2026-05-19.xml", "cbt/cbt-20052026.xml", "cbt/cbt-21052026.xml",
            "cbr/cbr-xml-daily-2026-04-25.xml", "nbkr/nbkr-daily.xml");

    /** Write i: KGS, KZT and TJS for i days ago (keys no other write touches), and TMT today (a stream event). */
    private static String write(int i) {
        String asOf = TODAY.minusDays(i).toString();
        return "{\"source\":\"manual\",\"rates\":["
                + "{\"currency\":\"KGS\",\"asOf\":\"" + asOf + "\",\"perUsd\":" + value(87, i) + "},"
                + "{\"currency\":\"KZT\",\"asOf\":\"" + asOf + "\",\"perUsd\":" + value(470, i) + "},"
                + "{\"currency\":\"TJS\",\"asOf\":\"" + asOf + "\",\"perUsd\":" + value(9, i) + "},"
                + "{\"currency\":\"TMT\",\"asOf\":\"" + TODAY + "\",\"perUsd\":" + value(3.5, i) + "}]}";
    }

    private static BigDecimal value(double base, int i) {
        return BigDecimal.valueOf(base).add(BigDecimal.valueOf(i, 5));
    }

    @Test
    void killedWhileWritingLosesNoAnsweredWriteAndHalfAppliesNone() throws Exception {
        Path dir = Files.createTempDirectory("rate-ticker-crash");
        String url = "jdbc:h2:file:" + dir.resolve("ticker") + ";WRITE_DELAY=0";
        try (PackagedApp app = new PackagedApp(dir, url)) {
            app.start();
            List<String> seenBefore = new ArrayList<>();
            SseClient reader = SseClient.open(URI.create(app.base() + "/api/v1/stream"), Map.of());
            assertThat(reader.nextEvent(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");

            AtomicInteger next = new AtomicInteger(1);
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Integer> attempted = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<JsonNode> answered = new ConcurrentLinkedQueue<>();
            AtomicInteger acknowledged = new AtomicInteger();
            CountDownLatch enough = new CountDownLatch(60);
            CountDownLatch imported = new CountDownLatch(1);
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                clients.add(started(() -> {
                    while (running.get()) {
                        int i = next.getAndIncrement();
                        attempted.add(i);
                        if (post(app, "/api/v1/admin/rates", "application/json", write(i).getBytes(), answered)) {
                            acknowledged.incrementAndGet();
                            enough.countDown();
                        }
                    }
                }));
            }
            AtomicInteger imports = new AtomicInteger();
            clients.add(started(() -> {
                for (int d = 0; running.get(); d = (d + 1) % DOCUMENTS.size()) {
                    String source = DOCUMENTS.get(d).split("/")[0];
                    byte[] document = resource(DOCUMENTS.get(d).split("/")[1]);
                    if (post(app, "/api/v1/admin/sources/" + source + "/documents", "application/xml", document,
                            answered)) {
                        imports.incrementAndGet();
                        imported.countDown();
                    }
                }
            }));
            assertThat(enough.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("60 writes answered").isTrue();
            assertThat(imported.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("an import answered").isTrue();
            Thread.sleep(300); // not needed for the oracle: only so that the kill falls among writes in flight
            app.kill(); // mid-flight: the clients are still sending
            running.set(false);
            for (Thread client : clients) {
                client.join(10_000);
            }
            for (SseClient.Event e = reader.nextEvent(Duration.ofMillis(500)); e != null;
                    e = reader.nextEvent(Duration.ofMillis(200))) {
                if ("rate".equals(e.name())) {
                    seenBefore.add(e.id());
                }
            }
            reader.close();
            assertThat(acknowledged.get()).isGreaterThanOrEqualTo(60);
            assertThat(imports.get()).as("documents imported").isPositive();

            // The store as the crash left it, read directly
            long lastSequence;
            Set<Long> writeSequences = new HashSet<>();
            try (Connection db = DriverManager.getConnection(url, "sa", "")) {
                for (JsonNode result : answered) {
                    for (JsonNode item : result.get("items")) {
                        boolean overwritten = item.get("source").asText().equals("manual")
                                && item.get("asOf").asText().equals(TODAY.toString()); // TMT today: every write's
                        if (!item.get("outcome").asText().equals("rejected") && !overwritten) {
                            assertThat(stored(db, item.get("currency").asText(), item.get("quote").asText(),
                                    item.get("asOf").asText(), item.get("source").asText()))
                                    .as("answered 2xx, so stored: " + item)
                                    .isNotNull().isEqualByComparingTo(item.get("perUsd").decimalValue());
                        }
                    }
                }
                for (int i : attempted) {
                    int present = 0;
                    for (String[] c : new String[][] {{"KGS", "87"}, {"KZT", "470"}, {"TJS", "9"}}) {
                        BigDecimal value = stored(db, c[0], "USD", TODAY.minusDays(i).toString(), "manual");
                        if (value != null) {
                            assertThat(value).isEqualByComparingTo(value(Double.parseDouble(c[1]), i));
                            present++;
                        }
                    }
                    assertThat(present).as("write " + i + " is there whole or not at all").isIn(0, 3);
                }
                try (Statement s = db.createStatement();
                        ResultSet rs = s.executeQuery("SELECT MAX(seq) FROM change_log")) {
                    rs.next();
                    lastSequence = rs.getLong(1);
                }
                try (Statement s = db.createStatement();
                        ResultSet rs = s.executeQuery("SELECT DISTINCT write_seq FROM change_log WHERE write_seq IS NOT NULL")) {
                    while (rs.next()) {
                        writeSequences.add(rs.getLong(1));
                    }
                }
            }

            app.start();
            String last = seenBefore.isEmpty() ? "0" : seenBefore.get(seenBefore.size() - 1);
            try (SseClient resumed = SseClient.open(URI.create(app.base() + "/api/v1/stream"),
                    Map.of("Last-Event-ID", last))) {
                assertThat(post(app, "/api/v1/admin/rates", "application/json", write(100_000).getBytes(),
                        new ConcurrentLinkedQueue<>())).isTrue();
                List<String> after = new ArrayList<>();
                Set<String> keys = new HashSet<>();
                long previous = Long.parseLong(last);
                for (SseClient.Event e = resumed.nextEvent(Duration.ofSeconds(5)); e != null;
                        e = resumed.nextEvent(Duration.ofSeconds(1))) {
                    assertThat(e.name()).as("a resume with every change still in the log replays, no snapshot")
                            .isEqualTo("rate");
                    long id = Long.parseLong(e.id());
                    assertThat(id).as("ids go on after " + last).isGreaterThan(Long.parseLong(last))
                            .isGreaterThanOrEqualTo(previous);
                    previous = id;
                    String currency = JSON.readTree(e.data()).get("currency").asText();
                    assertThat(keys.add(id + " " + currency)).as("event " + id + " " + currency + " once").isTrue();
                    after.add(e.id());
                }
                long newest = Long.parseLong(after.get(after.size() - 1));
                assertThat(newest).as("the write after the restart continues the sequence").isGreaterThan(lastSequence);
                // every write the reader missed before the crash that changed TMT today came after its last id
                Set<Long> missed = new HashSet<>();
                writeSequences.stream().filter(s -> s > Long.parseLong(last)).forEach(missed::add);
                Set<Long> replayed = new HashSet<>();
                after.stream().map(Long::parseLong).filter(id -> id <= lastSequence).forEach(replayed::add);
                assertThat(replayed).as("replayed ids are writes that were in the store").isSubsetOf(missed);
                System.out.printf("CrashIT: %d writes and %d imports answered, %d attempted, last change %d; the "
                        + "reader saw up to %s before the kill and got %d events on resuming%n", acknowledged.get(),
                        imports.get(), attempted.size(), lastSequence, last, after.size());
            }
        }
    }

    private static Thread started(Runnable work) {
        Thread thread = new Thread(work, "crash-it-client");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static BigDecimal stored(Connection db, String currency, String quote, String asOf, String source)
            throws Exception {
        try (PreparedStatement q = db.prepareStatement(
                "SELECT per_usd FROM observation WHERE currency = ? AND quote = ? AND as_of = ? AND source = ?")) {
            q.setString(1, currency);
            q.setString(2, quote);
            q.setObject(3, LocalDate.parse(asOf));
            q.setString(4, source);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getBigDecimal(1) : null;
            }
        }
    }

    /** True when answered 2xx (its body kept); false when refused or cut off by the kill. */
    private static boolean post(PackagedApp app, String path, String type, byte[] body,
            ConcurrentLinkedQueue<JsonNode> answered) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(app.base() + path))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + PackagedApp.TOKEN)
                    .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                return false;
            }
            answered.add(JSON.readTree(response.body()));
            return true;
        } catch (Exception cutOff) {
            return false;
        }
    }

    private static byte[] resource(String name) {
        try (var in = CrashIT.class.getResourceAsStream("/upstream/" + name)) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
