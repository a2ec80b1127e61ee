package io.rateticker;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

/**
 * Many streams on the packaged application, held by raw connections on a Vert.x client: readers that never read
 * beside ones that do, and a SIGTERM with thousands open.
 */
class StreamLoadIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String[][] CURRENCIES = {{"KGS", "87.4"}, {"KZT", "470.1"}, {"TJS", "9.41"},
            {"UZS", "12100.5"}, {"TMT", "3.501"}};
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    /** A write's outcome when the connection was refused (the port is closed: nothing was sent). */
    private static final int REFUSED = -1;
    /** A write's outcome when the request was sent and never answered. */
    private static final int UNANSWERED = -2;
    private static Vertx vertx;

    @BeforeAll
    static void client() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    }

    @AfterAll
    static void closeClient() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** One raw stream: its rate event ids in order, and how it ended. Touched on the client's event loop only. */
    static final class Reader {
        final List<Long> ids = new ArrayList<>();
        final StringBuilder pending = new StringBuilder();
        /** The last characters received, to recognise the last chunk across reads. */
        String tail = "";
        boolean inRate;
        boolean snapshot;
        volatile boolean closed;
        volatile boolean endedCleanly; // the last chunk (0 CRLF CRLF) arrived before the connection closed
        volatile long lastAt;
        NetSocket socket;
    }

    /**
     * 200 readers that never read (a 4 KiB receive buffer) and 1,000 that do; a burst of 100 writes of all
     * five currencies. Every reading client gets all 100 in order, the stuck ones are disconnected and counted, and
     * the server's memory outside its fixed heap grows by less than its bound for them (ticker.stream.queue-bytes
     * each, plus what the kernel holds). How long the fan-out took is printed, not asserted: speed is
     * bench/stream.sh's business.
     */
    @Test
    void stuckReadersAreCutLooseWhileTheOthersGetEveryChange() throws Exception {
        Path dir = Files.createTempDirectory("rate-ticker-stuck");
        // The heap committed and touched from the start: its growth under a busy machine's GC would otherwise be
        // all that the RSS shows (148 MB once, with a second build running)
        try (PackagedApp app = new PackagedApp(dir, "jdbc:h2:file:" + dir.resolve("ticker"))
                .withJvmOptions("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch")) {
            app.start("ticker.stream.max-clients-per-address=5000");
            long rssBefore = rssKb(app.pid());
            List<java.net.Socket> stuck = openStuck(app, 200);
            List<Reader> readers = open(app, 1000);
            await("1,000 snapshots", () -> readers.stream().allMatch(r -> r.snapshot), 30);
            await("1,200 streams on the server", () -> metric(app, "ticker_stream_clients") == 1200, 30);

            long lastAnswered = 0;
            for (int n = 1; n <= 100; n++) {
                assertThat(write(app, n, TODAY)).isEqualTo(200);
                lastAnswered = System.nanoTime();
            }
            long answered = lastAnswered;
            await("every reader has the 100 changes", () -> readers.stream().allMatch(r -> r.ids.size() >= 500), 30);
            long slowest = readers.stream().mapToLong(r -> r.lastAt).max().orElseThrow();
            Duration fanOut = Duration.ofNanos(Math.max(0, slowest - answered));
            for (Reader reader : readers) {
                assertThat(reader.ids).hasSize(500).isSorted();
                assertThat(reader.ids.stream().distinct().count()).as("100 writes, one id each").isEqualTo(100);
                assertThat(reader.closed).isFalse();
            }

            await("the stuck readers disconnected", () -> metric(app, "ticker_stream_slow_disconnects_total") == 200, 30);
            for (java.net.Socket socket : stuck) {
                socket.close();
            }
            assertThat(metric(app, "ticker_stream_clients")).isEqualTo(1000);
            long grownKb = rssKb(app.pid()) - rssBefore;
            // queue-bytes per stuck one, 16 KB per stream, 64 MB for what the JVM adds off the heap meanwhile (compiled
            // code, metaspace, Netty's direct buffer arenas)
            long boundKb = 200 * 64 + 1000 * 16 + 64 * 1024;
            System.out.printf("StreamLoadIT: last change to 1,000 readers in %d ms after its answer; RSS +%d KB "
                    + "(bound %d KB)%n", fanOut.toMillis(), grownKb, boundKb);
            assertThat(grownKb).as("RSS growth (KB)").isLessThan(boundKb);
        }
    }

    /**
     * SIGTERM with 5,000 streams open and admin writes in flight: every stream gets the end of its body, the process
     * exits 0 within Kubernetes' 30 s grace period, and the store keeps exactly what was promised: a write answered
     * 200 is stored with its value, a refused one (503, or the connection refused) is not, and one that was sent but
     * never answered may be either (the commit can succeed just before the connection closes); each kind is counted.
     */
    @Test
    void sigtermWithFiveThousandStreamsEndsThemAllAndExitsZero() throws Exception {
        Path dir = Files.createTempDirectory("rate-ticker-sigterm");
        String url = "jdbc:h2:file:" + dir.resolve("ticker") + ";WRITE_DELAY=0";
        try (PackagedApp app = new PackagedApp(dir, url)) {
            app.start("ticker.stream.max-clients-per-address=10000");
            List<Reader> readers = open(app, 5000);
            await("5,000 snapshots", () -> readers.stream().allMatch(r -> r.snapshot), 60);

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger next = new AtomicInteger(1);
            Map<Integer, Integer> outcomes = new ConcurrentHashMap<>();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread writer = new Thread(() -> {
                    while (writing.get()) {
                        int n = next.getAndIncrement();
                        outcomes.put(n, write(app, n, TODAY.minusDays(n)));
                    }
                });
                writer.setDaemon(true);
                writer.start();
                writers.add(writer);
            }
            await("a write answered before the stop", () -> outcomes.containsValue(200), 60);
            long stop = System.nanoTime();
            app.stop();
            assertThat(app.awaitExit(Duration.ofSeconds(30))).as("exited within the grace period").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - stop);
            writing.set(false);
            for (Thread writer : writers) {
                writer.join(60_000);
                assertThat(writer.isAlive()).as("a writer still waiting for an answer").isFalse();
            }
            assertThat(app.exitValue()).as("exit status").isZero();
            await("every stream closed", () -> readers.stream().allMatch(r -> r.closed), 10);
            long clean = readers.stream().filter(r -> r.endedCleanly).count();
            assertThat(clean).as("streams ended with the last chunk").isEqualTo(5000);
            assertThat(outcomes.values()).as("write outcomes: 200, 503, %d (refused at connect) or %d (unanswered)",
                    REFUSED, UNANSWERED).allMatch(status -> status == 200 || status == 503 || status == REFUSED
                            || status == UNANSWERED);

            app.start();
            Map<String, Integer> tally = new TreeMap<>();
            outcomes.forEach((n, status) -> {
                String asOf = TODAY.minusDays(n).toString();
                List<Object> points = app.api().get("/api/v1/rates/TMT/history?from=" + asOf + "&to=" + asOf).then()
                        .statusCode(200).extract().path("points.findAll { it.source == 'manual' }.perUsd");
                String what = "write " + n + " (" + describe(status) + ")";
                if (status == 200) {
                    assertThat(points).as(what + ": stored").hasSize(1);
                    assertThat(new BigDecimal(points.get(0).toString())).as(what).isEqualByComparingTo(value("3.501", n));
                } else if (status == UNANSWERED) {
                    // not promised either way; if stored, then with its own value
                    assertThat(points).as(what).hasSizeLessThanOrEqualTo(1);
                    points.forEach(p -> assertThat(new BigDecimal(p.toString())).as(what)
                            .isEqualByComparingTo(value("3.501", n)));
                } else {
                    assertThat(points).as(what + ": not stored").isEmpty();
                }
                tally.merge(describe(status) + (points.isEmpty() ? ", not stored" : ", stored"), 1, Integer::sum);
            });
            System.out.printf("StreamLoadIT: SIGTERM with 5,000 streams: exit 0 after %d ms; writes %s%n",
                    took.toMillis(), tally);
        }
    }

    private static String describe(int status) {
        return switch (status) {
            case REFUSED -> "refused at connect";
            case UNANSWERED -> "unanswered";
            default -> "answered " + status;
        };
    }

    /** Plain sockets that send the request and never read a byte (a Vert.x socket would buffer while paused). */
    private static List<java.net.Socket> openStuck(PackagedApp app, int count) throws Exception {
        URI base = URI.create(app.base());
        List<java.net.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            java.net.Socket socket = new java.net.Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.getOutputStream().write(("GET /api/v1/stream HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            sockets.add(socket);
        }
        return sockets;
    }

    private static List<Reader> open(PackagedApp app, int count) throws Exception {
        NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000));
        URI base = URI.create(app.base());
        List<Reader> readers = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            Reader reader = new Reader();
            readers.add(reader);
            client.connect(base.getPort(), base.getHost()).onComplete(ar -> {
                if (ar.failed()) {
                    reader.closed = true;
                    connected.countDown();
                    return;
                }
                NetSocket socket = ar.result();
                reader.socket = socket;
                socket.closeHandler(v -> reader.closed = true);
                socket.handler(buffer -> receive(reader, buffer));
                socket.write("GET /api/v1/stream HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                        + "Accept: text/event-stream\r\n\r\n");
                connected.countDown();
            });
            if (i % 200 == 199) {
                Thread.sleep(20); // pacing, not waiting: the connections open 200 at a time, not all at once
            }
        }
        assertThat(connected.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(readers).noneMatch(r -> r.closed);
        return readers;
    }

    private static void receive(Reader reader, Buffer buffer) {
        String text = buffer.toString(StandardCharsets.UTF_8);
        String seen = reader.tail + text;
        if (seen.contains("\r\n0\r\n\r\n") || seen.startsWith("0\r\n\r\n")) {
            reader.endedCleanly = true;
        }
        reader.tail = seen.substring(Math.max(0, seen.length() - 8));
        reader.pending.append(text);
        int from = 0;
        for (int nl = reader.pending.indexOf("\n"); nl >= 0; nl = reader.pending.indexOf("\n", from)) {
            String line = reader.pending.substring(from, nl).trim();
            from = nl + 1;
            if (line.startsWith("event: ")) {
                reader.inRate = line.equals("event: rate");
                reader.snapshot |= line.equals("event: snapshot");
            } else if (line.startsWith("id: ") && reader.inRate) {
                reader.ids.add(Long.parseLong(line.substring(4)));
                reader.lastAt = System.nanoTime();
            }
        }
        // only what is not read yet: text kept after it was read would be read again (an id counted twice, once
        // in a few hundred thousand reads, when a read ended just after it)
        reader.pending.delete(0, from);
    }

    /** All five currencies for {@code asOf}, values of write n; the status, {@link #REFUSED} or {@link #UNANSWERED}. */
    private static int write(PackagedApp app, int n, LocalDate asOf) {
        StringBuilder rates = new StringBuilder();
        for (String[] c : CURRENCIES) {
            rates.append(rates.isEmpty() ? "" : ",").append("{\"currency\":\"").append(c[0]).append("\",\"asOf\":\"")
                    .append(asOf).append("\",\"perUsd\":").append(value(c[1], n)).append('}');
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(app.base() + "/api/v1/admin/rates"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + PackagedApp.TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"manual\",\"rates\":[" + rates + "]}"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.net.ConnectException refused) {
            return REFUSED;
        } catch (Exception unanswered) {
            return unanswered.getCause() instanceof java.net.ConnectException ? REFUSED : UNANSWERED;
        }
    }

    private static BigDecimal value(String base, int n) {
        return new BigDecimal(base).add(BigDecimal.valueOf(n, 6));
    }

    private static double metric(PackagedApp app, String name) {
        String metrics = app.api().header("Accept", "text/plain").get("/q/metrics").asString();
        Double value = Metrics.value(metrics, name);
        return value == null ? -1 : value;
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    private static void await(String what, BooleanSupplier condition, int seconds) {
        Awaitility.await(what).atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }
}
