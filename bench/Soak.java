import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

/**
 * The soak load for bench/soak.sh: N stream clients (raw TCP) with a share of them replaced every minute (half of
 * the newcomers resume with Last-Event-ID), GET /api/v1/rates at a fixed rate (every other one conditional), an
 * admin write every few seconds, and a bank (served here) that fails for one minute in every three. Every sample
 * period it records the server's heap after a full GC (jcmd), RSS, open file descriptors and threads (/proc), its
 * stream client count (/q/metrics) and the load's own counts; at the end it writes them as CSV and as an SVG plot,
 * checks that the server's curves are flat and that no client missed or repeated an event, and exits 1 if not.
 */
public class Soak {

    static String host = "127.0.0.1";
    static int port;
    static String token;
    static int pid;
    static long seconds = 1800;
    static int clients = 5000;
    static double churnPercent = 1;
    static int jsonRate = 50;
    static int changeEvery = 10;
    static int sampleEvery = 30;
    static int bankPort;
    static byte[] bankDocument;
    static Path out = Path.of(".");

    /** One stream client's connection; its fields are touched by the event loop only. */
    static final class Stream {
        final boolean resumed;
        final long resumeFrom;
        NetSocket socket;
        final StringBuilder pending = new StringBuilder();
        boolean inRate;
        long maxRateId = -1;
        boolean inSnapshot;
        volatile long snapshotId = -1;
        final List<Long> ids = new ArrayList<>();
        long lastEventId = -1;
        int rates;
        boolean open;
        boolean stable; // connected before the first write and never replaced

        Stream(long resumeFrom) {
            this.resumed = resumeFrom >= 0;
            this.resumeFrom = resumeFrom;
        }
    }

    static Vertx vertx;
    static NetClient net;
    static HttpClient http;
    static final List<Stream> streams = new ArrayList<>();
    static final AtomicInteger open = new AtomicInteger();
    static final AtomicLong connectFailures = new AtomicLong();
    static final AtomicLong dropped = new AtomicLong(); // closed by the server
    static final AtomicLong backwards = new AtomicLong(); // a rate event id lower than one already seen
    static final AtomicLong resumeRepeats = new AtomicLong(); // a resumed stream's event at or below its Last-Event-ID
    static final AtomicLong jsonOk = new AtomicLong();
    static final AtomicLong jsonFailed = new AtomicLong();
    static final AtomicLong writesOk = new AtomicLong();
    static final AtomicLong writesFailed = new AtomicLong();
    static volatile boolean bankFailing;
    static final AtomicLong bankRequests = new AtomicLong();

    public static void main(String[] args) throws Exception {
        parse(args);
        vertx = Vertx.vertx();
        net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setReuseAddress(true));
        http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(16).setKeepAlive(true));
        startBank();

        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            Stream stream = new Stream(-1);
            streams.add(stream);
            connect(stream);
            if (i % 500 == 499) {
                Thread.sleep(100);
            }
        }
        awaitOpen(clients, 60);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (streams.stream().anyMatch(s -> s.open && s.snapshotId < 0) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        vertx.runOnContext(v -> streams.forEach(s -> s.stable = s.open && s.snapshotId >= 0));
        System.out.printf("%d streams open in %.1f s%n", open.get(), (System.nanoTime() - start) / 1e9);

        Random random = new Random(42);
        long t0 = System.nanoTime();
        long[] change = {0};
        long[] timers = {vertx.setPeriodic(1000 / jsonRate, id -> json(jsonOk.get() % 2 == 0)),
                vertx.setPeriodic(changeEvery * 1000L, id -> write(++change[0])),
                vertx.setPeriodic(60_000, id -> churn(random)),
                vertx.setPeriodic(60_000, id -> bankFailing = (elapsed(t0) / 60) % 3 == 1)};

        List<long[]> samples = new ArrayList<>();
        System.out.println("t_s heap_after_gc_kb rss_kb fds threads server_streams client_streams writes json_ok");
        while (elapsed(t0) < seconds) {
            Thread.sleep(Math.min(sampleEvery * 1000L, Math.max(1, (seconds - elapsed(t0)) * 1000)));
            long[] sample = {elapsed(t0), Jcmd.heapAfterGcKb(pid), status("VmRSS:"), fds(), status("Threads:"),
                    serverStreams(), open.get(), writesOk.get(), jsonOk.get()};
            samples.add(sample);
            System.out.println(Arrays.toString(sample).replaceAll("[\\[\\],]", ""));
        }
        Arrays.stream(timers).forEach(vertx::cancelTimer);
        Thread.sleep(3000); // the last write's events arrive
        boolean ok = report(samples);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        System.exit(ok ? 0 : 1);
    }

    static long elapsed(long t0) {
        return (System.nanoTime() - t0) / 1_000_000_000L;
    }

    static void connect(Stream stream) {
        String request = "GET /api/v1/stream HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: text/event-stream\r\n"
                + (stream.resumed ? "Last-Event-ID: " + stream.resumeFrom + "\r\n" : "") + "\r\n";
        net.connect(port, host).onComplete(ar -> {
            if (ar.failed()) {
                connectFailures.incrementAndGet();
                return;
            }
            NetSocket socket = ar.result();
            stream.socket = socket;
            stream.open = true;
            open.incrementAndGet();
            socket.handler(buffer -> receive(stream, buffer));
            socket.closeHandler(v -> {
                if (stream.open) {
                    stream.open = false;
                    open.decrementAndGet();
                    dropped.incrementAndGet();
                }
            });
            socket.write(request);
        });
    }

    /** Lines of the stream; only ids matter here (the event line comes before the id line). */
    static void receive(Stream stream, Buffer buffer) {
        stream.pending.append(buffer.toString(StandardCharsets.UTF_8));
        int from = 0;
        for (int nl = stream.pending.indexOf("\n"); nl >= 0; nl = stream.pending.indexOf("\n", from)) {
            String line = stream.pending.substring(from, nl);
            from = nl + 1;
            if (line.startsWith("event: ")) {
                stream.inRate = line.equals("event: rate");
                stream.inSnapshot = line.equals("event: snapshot");
            } else if (line.startsWith("id: ")) {
                long id = Long.parseLong(line.substring(4).trim());
                stream.lastEventId = id;
                if (stream.inSnapshot) {
                    stream.snapshotId = id;
                }
                if (stream.inRate) {
                    stream.rates++;
                    stream.ids.add(id);
                    if (stream.resumed && id <= stream.resumeFrom) {
                        resumeRepeats.incrementAndGet();
                    }
                    if (id < stream.maxRateId) {
                        backwards.incrementAndGet();
                    }
                    stream.maxRateId = Math.max(stream.maxRateId, id);
                }
            } else if (line.isEmpty()) {
                stream.inRate = false;
                stream.inSnapshot = false;
            }
        }
        stream.pending.delete(0, from);
    }

    static void json(boolean conditional) {
        RequestOptions options = new RequestOptions().setHost(host).setPort(port).setURI("/api/v1/rates");
        if (conditional && etag != null) {
            options.putHeader("If-None-Match", etag);
        }
        http.request(options).compose(req -> req.send()).compose(resp -> {
            if (resp.statusCode() == 200) {
                etag = resp.getHeader("ETag");
            }
            int status = resp.statusCode();
            return resp.body().map(b -> status);
        }).onComplete(ar -> {
            if (ar.succeeded() && (ar.result() == 200 || ar.result() == 304)) {
                jsonOk.incrementAndGet();
            } else {
                jsonFailed.incrementAndGet();
            }
        });
    }

    static volatile String etag;

    /** Alternates KGS between two values for today, so that every write changes the served rate. */
    static void write(long n) {
        String body = "{\"source\":\"manual\",\"rates\":[{\"currency\":\"KGS\",\"asOf\":\""
                + LocalDate.now(ZoneOffset.UTC) + "\",\"perUsd\":" + (n % 2 == 0 ? "87.40" : "87.41") + "}]}";
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                .setURI("/api/v1/admin/rates").putHeader("Authorization", "Bearer " + token)
                .putHeader("Content-Type", "application/json"))
                .compose(req -> req.send(body)).compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() == 200) {
                        writesOk.incrementAndGet();
                    } else {
                        writesFailed.incrementAndGet();
                    }
                });
    }

    /** Replaces churnPercent of the open streams; every other newcomer resumes from where its predecessor was. */
    static void churn(Random random) {
        int count = (int) Math.round(clients * churnPercent / 100);
        for (int i = 0; i < count; i++) {
            int index = random.nextInt(streams.size());
            Stream old = streams.get(index);
            if (!old.open) {
                continue; // not connected yet or gone: replaced only when it is live
            }
            old.open = false;
            open.decrementAndGet();
            old.socket.close();
            Stream fresh = new Stream(i % 2 == 0 ? old.lastEventId : -1);
            streams.set(index, fresh);
            connect(fresh);
        }
    }

    /** NBKR's address: its document, or 503 while failing. */
    static void startBank() throws Exception {
        vertx.createHttpServer().requestHandler(request -> {
            bankRequests.incrementAndGet();
            if (bankFailing) {
                request.response().setStatusCode(503).end();
            } else {
                request.response().putHeader("Content-Type", "application/xml").end(Buffer.buffer(bankDocument));
            }
        }).listen(bankPort, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static void awaitOpen(int count, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (open.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    static boolean report(List<long[]> samples) throws Exception {
        int[] expected = new int[1];
        long[] missed = new long[1];
        long[] stable = new long[1];
        long[] majority = new long[2];
        // Every stream open from its snapshot to the end must have had the same events after the newest of their
        // snapshots (fetches add some to the writes'), and at least one per write after it.
        vertx.runOnContext(v -> {
            long baseline = streams.stream().filter(s -> s.stable && s.open).mapToLong(s -> s.snapshotId).max()
                    .orElse(0);
            java.util.Map<List<Long>, Integer> kinds = new java.util.HashMap<>();
            for (Stream s : streams) {
                if (s.stable && s.open) {
                    stable[0]++;
                    kinds.merge(s.ids.stream().filter(id -> id > baseline).toList(), 1, Integer::sum);
                }
            }
            kinds.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).ifPresent(e -> {
                majority[0] = e.getKey().size();
                majority[1] = writesOk.get(); // every write starts after the snapshots: t0 + change-every
                missed[0] = stable[0] - e.getValue();
                kinds.forEach((ids, n) -> {
                    if (ids != e.getKey()) {
                        List<Long> lacking = new ArrayList<>(e.getKey());
                        lacking.removeAll(ids);
                        System.out.println("  " + n + " streams with " + ids.size() + " events; ids they lack "
                                + lacking);
                    }
                });
            });
            expected[0] = 1;
        });
        while (expected[0] == 0) {
            Thread.sleep(10);
        }
        writeCsv(samples);
        writeSvg(samples);

        // Flat: after 3 minutes of warm-up (JIT, heap sizing), the median of the last three samples against the
        // median of the first three.
        List<long[]> steady = samples.stream().filter(s -> s[0] >= 180).toList();
        boolean ok = true;
        List<String> lines = new ArrayList<>();
        if (steady.size() < 6) {
            lines.add("too short to judge flatness (need 6 samples after 3 minutes)");
            ok = false;
        } else {
            int churn = (int) Math.round(clients * churnPercent / 100);
            ok &= flat(lines, "heap after GC (KB)", steady, 1, 0.10, 4096);
            ok &= flat(lines, "RSS (KB)", steady, 2, 0.10, 16384);
            ok &= flat(lines, "file descriptors", steady, 3, 0, churn + 20);
            ok &= flat(lines, "threads", steady, 4, 0, 5);
            ok &= flat(lines, "server streams", steady, 5, 0, churn + 5);
        }
        long[] last = samples.get(samples.size() - 1);
        lines.add(String.format(Locale.ROOT, "server streams at the end %d, client streams %d", last[5], last[6]));
        ok &= Math.abs(last[5] - last[6]) <= 5;
        lines.add("writes ok " + writesOk.get() + ", failed " + writesFailed.get());
        lines.add("json ok " + jsonOk.get() + ", failed " + jsonFailed.get());
        lines.add("streams open throughout " + stable[0] + ", with " + majority[0] + " rate events each after the "
                + "newest of their snapshots (" + majority[1] + " writes answered after it); streams that had other "
                + "events than those " + missed[0]);
        lines.add("rate ids going backwards " + backwards.get() + ", resumed streams repeating an id "
                + resumeRepeats.get());
        lines.add("streams closed by the server " + dropped.get() + ", connects failed " + connectFailures.get());
        lines.add("bank requests " + bankRequests.get());
        ok &= writesFailed.get() == 0 && jsonFailed.get() == 0 && missed[0] == 0 && majority[0] >= majority[1] && backwards.get() == 0
                && resumeRepeats.get() == 0 && dropped.get() == 0 && connectFailures.get() == 0;
        lines.add(ok ? "PASS" : "FAIL");
        lines.forEach(System.out::println);
        Files.write(out.resolve("soak-summary.txt"), lines);
        return ok;
    }

    static boolean flat(List<String> lines, String name, List<long[]> steady, int column, double share, long slack) {
        long first = median(steady.subList(0, 3), column);
        long end = median(steady.subList(steady.size() - 3, steady.size()), column);
        long allowed = (long) (first * share) + slack;
        boolean ok = end - first <= allowed;
        lines.add(String.format(Locale.ROOT, "%s: %d after warm-up, %d at the end (change %+d, allowed +%d) %s",
                name, first, end, end - first, allowed, ok ? "flat" : "GROWING"));
        return ok;
    }

    static long median(List<long[]> samples, int column) {
        long[] values = samples.stream().mapToLong(s -> s[column]).sorted().toArray();
        return values[values.length / 2];
    }

    static void writeCsv(List<long[]> samples) throws IOException {
        List<String> rows = new ArrayList<>();
        rows.add("t_s,heap_after_gc_kb,rss_kb,fds,threads,server_streams,client_streams,writes_ok,json_ok");
        for (long[] s : samples) {
            rows.add(Arrays.toString(s).replaceAll("[\\[\\] ]", ""));
        }
        Files.write(out.resolve("soak.csv"), rows);
    }

    /** Five small panels, one per resource, each from 0 to a round number above its peak. */
    static void writeSvg(List<long[]> samples) throws IOException {
        String[] titles = {"heap after full GC (MB)", "RSS (MB)", "open file descriptors", "threads",
                "open streams (server)"};
        int[] columns = {1, 2, 3, 4, 5};
        double[] scale = {1024, 1024, 1, 1, 1};
        int width = 640;
        int panel = 110;
        long span = Math.max(1, samples.get(samples.size() - 1)[0]);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                + "font-family='sans-serif' font-size='11'>%n<rect width='100%%' height='100%%' fill='white'/>%n",
                width, panel * titles.length + 20));
        for (int p = 0; p < titles.length; p++) {
            int top = p * panel + 10;
            double peak = 0;
            for (long[] s : samples) {
                peak = Math.max(peak, s[columns[p]] / scale[p]);
            }
            double max = niceCeiling(peak * 1.1);
            int x0 = 60;
            int plotWidth = width - x0 - 20;
            int plotHeight = panel - 40;
            int y0 = top + 20 + plotHeight;
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-weight='bold'>%s</text>%n", x0, top + 12,
                    titles[p]));
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/>%n", x0, y0,
                    x0 + plotWidth, y0));
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/>%n", x0,
                    y0 - plotHeight, x0, y0));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end'>%s</text>%n", x0 - 4,
                    y0 - plotHeight + 4, format(max)));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end'>0</text>%n", x0 - 4, y0));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end' fill='#666'>%d min</text>%n",
                    x0 + plotWidth, y0 + 13, span / 60));
            svg.append("<polyline fill='none' stroke='#1f77b4' stroke-width='1.5' points='");
            for (long[] s : samples) {
                double x = x0 + plotWidth * (double) s[0] / span;
                double y = y0 - plotHeight * (s[columns[p]] / scale[p]) / max;
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append("'/>\n");
        }
        svg.append("</svg>\n");
        Files.writeString(out.resolve("soak.svg"), svg);
    }

    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    static long status(String prefix) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(prefix)) {
                return Long.parseLong(line.substring(prefix.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    static long fds() throws IOException {
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return list.count();
        }
    }

    static long serverStreams() throws Exception {
        String metrics = http.request(new RequestOptions().setHost(host).setPort(port).setURI("/q/metrics")
                        .putHeader("Accept", "text/plain"))
                .compose(req -> req.send()).compose(resp -> resp.body())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
        Matcher m = Pattern.compile("(?m)^ticker_stream_clients(?:\\{[^}]*})? ([0-9.eE+]+)").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    static void parse(String[] args) throws IOException {
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value);
                case "--token" -> token = value;
                case "--pid" -> pid = Integer.parseInt(value);
                case "--seconds" -> seconds = Long.parseLong(value);
                case "--clients" -> clients = Integer.parseInt(value);
                case "--churn-percent" -> churnPercent = Double.parseDouble(value);
                case "--json-rate" -> jsonRate = Integer.parseInt(value);
                case "--change-every" -> changeEvery = Integer.parseInt(value);
                case "--sample-every" -> sampleEvery = Integer.parseInt(value);
                case "--bank-port" -> bankPort = Integer.parseInt(value);
                case "--bank-document" -> bankDocument = Files.readAllBytes(Path.of(value));
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (port == 0 || token == null || pid == 0 || bankPort == 0 || bankDocument == null) {
            throw new IllegalArgumentException("--port, --token, --pid, --bank-port and --bank-document are required");
        }
    }
}
