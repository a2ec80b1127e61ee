import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

/**
 * A load client for server-sent events: holds N streams open on Vert.x event loops (raw TCP, a hand-written
 * request, no per-connection HTTP client state), then publishes changes one after another and measures when each
 * stream has each ({@code {n}} in the body and the marker is the number of the change). Run as a single-file
 * program with the Vert.x that the packaged application ships:
 *
 * <pre>
 * java -cp 'target/quarkus-app/lib/main/*' bench/SseLoad.java --url http://127.0.0.1:8080/api/v1/stream \
 *      --clients 10000 --changes 10 --publish-url ... --publish-body '...{n}...' --marker '...{n}...' --pid 1234
 * </pre>
 *
 * Prints one result line of {@code key=value} pairs. Server memory and CPU come from /proc of the given pids (all
 * nginx workers, or the JVM); with {@code --jcmd} the JVM's heap after a full GC is reported too.
 */
public class SseLoad {

    static String[] urls;
    static int clients = 1000;
    static String[] sources = {};
    static int concurrency = 500;
    static String publishUrl;
    static String publishBody = "";
    static List<String[]> publishHeaders = new ArrayList<>();
    static String marker;
    static int[] pids = {};
    static boolean jcmd;
    static Duration timeout = Duration.ofSeconds(60);
    static int loops = 1;
    static int changes = 1;

    // Per client, written by its event loop only: when its first event and the marker arrived (System.nanoTime()).
    static long[] firstAt;
    static long[] markedAt;
    static volatile boolean[] gone;
    static String[] tails;
    static final AtomicInteger failed = new AtomicInteger();
    static volatile long publishedAt;
    static volatile String currentMarker;
    static CountDownLatch firsts;
    static CountDownLatch marks;

    public static void main(String[] args) throws Exception {
        parse(args);
        firstAt = new long[clients];
        markedAt = new long[clients];
        tails = new String[clients];
        gone = new boolean[clients];
        firsts = new CountDownLatch(clients);
        marks = new CountDownLatch(clients);
        byte[] markerBytes = marker.getBytes(StandardCharsets.UTF_8);

        long heapBeforeKb = jcmd ? Jcmd.heapAfterGcKb(pids[0]) : -1;
        long rssBefore = rssKb();
        publisher = HttpClient.newHttpClient();
        warmUpPublisher();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        // Without --sources the kernel picks the source port at connect(), which can reuse loopback ports left in
        // TIME_WAIT by earlier runs; binding to a source address first makes it search for a free port instead.
        List<NetClient> netClients = new ArrayList<>();
        for (String source : sources.length == 0 ? new String[] {null} : sources) {
            netClients.add(vertx.createNetClient(new NetClientOptions().setLocalAddress(source)
                    .setConnectTimeout(10_000).setTcpNoDelay(true).setReuseAddress(true)));
        }

        long start = System.nanoTime();
        Semaphore inFlight = new Semaphore(concurrency);
        for (int i = 0; i < clients; i++) {
            if (!inFlight.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("connections stopped progressing at client " + i);
                break;
            }
            int id = i;
            URI uri = URI.create(urls[i % urls.length]);
            String request = "GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAccept: text/event-stream\r\n\r\n";
            NetClient client = netClients.get(i % netClients.size());
            client.connect(uri.getPort(), uri.getHost()).onComplete(ar -> {
                if (ar.failed()) {
                    failed.incrementAndGet();
                    inFlight.release();
                    firsts.countDown();
                    marks.countDown();
                    return;
                }
                NetSocket socket = ar.result();
                socket.handler(buffer -> received(id, buffer, markerBytes, inFlight));
                socket.closeHandler(v -> {
                    gone[id] = true;
                    if (firstAt[id] == 0) {
                        firstAt[id] = -1;
                        failed.incrementAndGet();
                        inFlight.release();
                        firsts.countDown();
                    }
                    if (markedAt[id] == 0) {
                        markedAt[id] = -1;
                        marks.countDown();
                    }
                });
                socket.write(request);
            });
        }
        boolean allFirst = firsts.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long connected = System.nanoTime();
        double connectSeconds = (connected - start) / 1e9;
        int withFirst = 0;
        for (long t : firstAt) {
            if (t > 0) {
                withFirst++;
            }
        }

        Thread.sleep(2000); // let the server settle (buffers released, JIT quiet) before measuring its memory
        long serverRss = rssKb();
        long heapKb = jcmd ? Jcmd.heapAfterGcKb(pids[0]) : -1;

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "clients=%d connected=%d failed=%d connect_all_s=%.2f", clients, withFirst,
                failed.get(), connectSeconds));
        out.append(allFirst ? "" : " connect_timeout=true");
        out.append(String.format(Locale.ROOT, " server_rss_before_kb=%d server_rss_kb=%d rss_per_client_kb=%.1f",
                rssBefore, serverRss, withFirst == 0 ? 0.0 : (serverRss - rssBefore) / (double) withFirst));
        if (heapKb >= 0) {
            out.append(" heap_before_kb=").append(heapBeforeKb).append(" heap_used_after_gc_kb=").append(heapKb)
                    .append(String.format(Locale.ROOT, " heap_per_client_kb=%.1f",
                            withFirst == 0 ? 0.0 : (heapKb - heapBeforeKb) / (double) withFirst));
        }
        boolean complete = true;
        List<double[]> perChange = new ArrayList<>(); // p50, p99, max, cpu of each change
        // One change after another, each once every client has the one before; the first finds the server's fan-out
        // code cold (as after a quiet night), the last warm. Each is reported under its own number.
        for (int change = 1; change <= changes; change++) {
            int waiting = 0;
            for (int i = 0; i < clients; i++) {
                markedAt[i] = firstAt[i] <= 0 || gone[i] ? -1 : 0;
                waiting += markedAt[i] == 0 ? 1 : 0;
            }
            marks = new CountDownLatch(waiting);
            currentMarker = marker.replace("{n}", String.valueOf(change));
            long cpuBefore = cpuTicks();
            long writesBefore = writeCalls();
            publishedAt = System.nanoTime();
            int status = publish(publishBody.replace("{n}", String.valueOf(change)));
            boolean allMarked = marks.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Thread.sleep(200); // the server may still be finishing its writes when the last client has read
            long cpuAfter = cpuTicks();
            long writes = writeCalls() - writesBefore;
            List<Long> delays = new ArrayList<>();
            for (long t : markedAt) {
                if (t > 0) {
                    delays.add(t - publishedAt);
                }
            }
            delays.sort(null);
            String c = changes == 1 ? "" : "c" + change + "_";
            out.append(" ").append(c).append("publish_status=").append(status);
            out.append(String.format(Locale.ROOT, " %sreceived=%d %smissed=%d %sclosed=%d", c, delays.size(), c,
                    waiting - delays.size(), c, withFirst - waiting));
            if (!delays.isEmpty()) {
                out.append(String.format(Locale.ROOT, " %sfanout_p50_ms=%.1f %sfanout_p99_ms=%.1f %sfanout_max_ms=%.1f",
                        c, percentile(delays, 0.50), c, percentile(delays, 0.99), c, delays.get(delays.size() - 1) / 1e6));
            }
            out.append(allMarked ? "" : " " + c + "fanout_timeout=true");
            out.append(String.format(Locale.ROOT, " %sserver_cpu_s=%.2f %sserver_write_calls=%d", c,
                    (cpuAfter - cpuBefore) / 100.0, c, writes));
            complete &= allMarked && delays.size() == withFirst;
            if (!delays.isEmpty()) {
                perChange.add(new double[] {percentile(delays, 0.50), percentile(delays, 0.99),
                        delays.get(delays.size() - 1) / 1e6, (cpuAfter - cpuBefore) / 100.0});
            }
            publishedAt = 0;
        }
        if (perChange.size() >= 4) {
            // Warm: the median, field by field, of the second half of the changes
            List<double[]> warm = perChange.subList(perChange.size() / 2, perChange.size());
            String[] names = {"warm_fanout_p50_ms", "warm_fanout_p99_ms", "warm_fanout_max_ms", "warm_server_cpu_s"};
            for (int f = 0; f < names.length; f++) {
                int field = f;
                double[] values = warm.stream().mapToDouble(v -> v[field]).sorted().toArray();
                double median = values.length % 2 == 1 ? values[values.length / 2]
                        : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
                out.append(String.format(Locale.ROOT, " %s=%.2f", names[f], median));
            }
        }
        System.out.println(out);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.exit(failed.get() == 0 && complete ? 0 : 1);
    }

    /** On the client's event loop. Looks for the first event, then for the marker (also across two reads). */
    static void received(int id, Buffer buffer, byte[] markerBytes, Semaphore inFlight) {
        long now = System.nanoTime();
        String text = buffer.toString(StandardCharsets.ISO_8859_1);
        if (firstAt[id] == 0) {
            if (!text.startsWith("HTTP/1.1 200")) {
                if (text.startsWith("HTTP/1.1")) {
                    firstAt[id] = -1;
                    failed.incrementAndGet();
                    inFlight.release();
                    firsts.countDown();
                    marks.countDown();
                    markedAt[id] = -1;
                    System.err.println("client " + id + ": " + text.lines().findFirst().orElse(""));
                    return;
                }
            }
            if (text.contains("data:")) {
                firstAt[id] = now;
                inFlight.release();
                firsts.countDown();
            }
        }
        if (markedAt[id] == 0 && publishedAt != 0) {
            String tail = tails[id];
            if ((tail == null ? text : tail + text).contains(currentMarker)) {
                markedAt[id] = now;
                marks.countDown();
            }
        }
        tails[id] = text.length() > markerBytes.length ? text.substring(text.length() - markerBytes.length) : text;
    }

    static HttpClient publisher;

    static int publish(String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(publishUrl))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30));
        publishHeaders.forEach(h -> request.header(h[0], h[1]));
        return publisher.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A harmless GET first, so that loading the JDK's HTTP client is not counted in the fan-out delay. */
    static void warmUpPublisher() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            publisher.send(HttpRequest.newBuilder(URI.create(publishUrl)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    static double percentile(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    static long rssKb() throws IOException {
        return sumOfProc("status", "VmRSS:");
    }

    /** utime + stime of the server processes, in clock ticks (1/100 s). */
    static long cpuTicks() throws IOException {
        long total = 0;
        for (int pid : pids) {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            total += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return total;
    }

    /** Write system calls of the server processes so far (syscw of /proc/pid/io; root or the same user). */
    static long writeCalls() throws IOException {
        return sumOfProc("io", "syscw:");
    }

    /** The number on the line starting with {@code prefix} of /proc/pid/{@code file}, summed over the servers. */
    static long sumOfProc(String file, String prefix) throws IOException {
        long total = 0;
        for (int pid : pids) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/" + file))) {
                if (line.startsWith(prefix)) {
                    total += Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        }
        return total;
    }

    static void parse(String[] args) {
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--url" -> urls = value.split(",");
                case "--clients" -> clients = Integer.parseInt(value);
                case "--sources" -> sources = value.split(",");
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--publish-url" -> publishUrl = value;
                case "--publish-body" -> publishBody = value;
                case "--publish-header" -> publishHeaders.add(value.split(": ", 2));
                case "--marker" -> marker = value;
                case "--pid" -> pids = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--jcmd" -> jcmd = Boolean.parseBoolean(value);
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value));
                case "--loops" -> loops = Integer.parseInt(value);
                case "--changes" -> changes = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (urls == null || publishUrl == null || marker == null) {
            throw new IllegalArgumentException("--url, --publish-url and --marker are required");
        }
    }
}
