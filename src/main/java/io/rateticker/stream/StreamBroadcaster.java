package io.rateticker.stream;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.scheduler.Scheduled;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Fans {@code rate} events out to every open stream and keeps the recent ones for resuming clients.
 * <p>
 * Each event is rendered once into a buffer that all clients share. Clients are grouped by the event loop that
 * owns their connection and are only touched on that loop, so delivery needs no locks and one slow loop never
 * holds up another. A client whose unsent bytes exceed {@code ticker.stream.queue-bytes} is disconnected rather
 * than buffered without bound; it resumes with {@code Last-Event-ID}.
 */
@ApplicationScoped
public class StreamBroadcaster {

    private static final int STREAM_SEND_BUFFER = 16 * 1024;

    /** One {@code rate} event of a write, pre-rendered; for the clients of its pair ({@code KGS/USD}, {@code USD/KZT}). */
    record Event(String pair, Buffer frame, ByteBuf chunk) {
        Event(String pair, Buffer frame) {
            this(pair, frame, asChunk(frame));
        }
    }

    /** The events of one write; they all carry the write's highest change sequence as id. */
    record Published(long id, List<Event> events) {
    }

    /** The served rates one write changed, against every base, and the write's highest change sequence: its events. */
    public record Write(long id, List<Rate> rates) {
    }

    /**
     * Where a resuming client starts: the events it missed, rendered, after which it has everything up to
     * {@code upTo}. One resume may serve many clients (all who come back with the same id).
     */
    public record Resume(long upTo, List<Published> missed) {

        /** About what it holds in memory: its frames, each also as a chunk. */
        public long bytes() {
            return missed.stream().flatMap(p -> p.events().stream()).mapToLong(e -> 2L * e.frame().length() + 64).sum();
        }
    }

    private final TickerConfig.Stream config;
    private final ObjectMapper mapper;
    /** The heartbeat: an event, not a comment, since a browser's script sees only events (see {@link #ping}). */
    private final Buffer ping;
    /** The first frame of a resumed stream, the same for all: the reconnect delay, on a ping. */
    private final Buffer resumeFrame;
    private final AtomicInteger clients = new AtomicInteger();
    private final Counter eventsSent;
    private final Counter slowDisconnects;
    private final Counter rejected;
    private final Counter rejectedAddress;
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<EventLoop, Loop> loops = new ConcurrentHashMap<>();

    // Guarded by this: the replay buffer and the ids it covers.
    private final ArrayDeque<Published> replay = new ArrayDeque<>();
    private int replayEvents;
    /** Every change after this id is in the replay buffer. */
    private long floor;
    private long latest;
    /** By pair, the event of a rate whose stale flag turned since its last change (see {@link #turned}). */
    private final Map<String, Event> turned = new HashMap<>();
    /**
     * By snapshot body (an array of its own per snapshot and selection, so keyed by identity), the first frame of a
     * fresh stream, rendered for the first client and shared by the rest; gone with the snapshot.
     */
    private final Map<byte[], Buffer> snapshotFrames = new WeakHashMap<>();

    StreamBroadcaster(TickerConfig config, ObjectMapper mapper, MeterRegistry registry) {
        this.config = config.stream();
        this.mapper = mapper;
        this.ping = ping(this.config.heartbeat());
        this.resumeFrame = Buffer.buffer("retry: " + this.config.retry() + "\n").appendBuffer(ping);
        Gauge.builder("ticker.stream.clients", clients, AtomicInteger::get)
                .description("Open streams").register(registry);
        this.eventsSent = Counter.builder("ticker.stream.events.sent")
                .description("Rate events written to stream clients").register(registry);
        this.slowDisconnects = Counter.builder("ticker.stream.slow.disconnects")
                .description("Stream clients disconnected for not reading what they were sent").register(registry);
        this.rejected = Counter.builder("ticker.stream.rejected").tag("reason", "max-clients")
                .description("Streams refused: all slots taken, or all of one address's").register(registry);
        this.rejectedAddress = Counter.builder("ticker.stream.rejected").tag("reason", "max-clients-per-address")
                .description("Streams refused: all slots taken, or all of one address's").register(registry);
    }

    /** Called once the store is loaded: changes up to {@code sequence} are only available as a snapshot. */
    public synchronized void start(long sequence) {
        floor = sequence;
        latest = sequence;
    }

    /** What asking for a stream slot gave. */
    public enum Slot {
        TAKEN, ALL_TAKEN, ADDRESS_FULL
    }

    /**
     * Takes a stream slot for a client at {@code address}: refused when {@code ticker.stream.max-clients} streams are
     * open, or {@code ticker.stream.max-clients-per-address} from that address (one host must not take them all).
     * A refusal is counted; a taken slot is given back when the stream ends.
     */
    public Slot tryReserve(String address) {
        AtomicInteger own = perAddress.compute(address, (a, open) -> {
            AtomicInteger counter = open == null ? new AtomicInteger() : open;
            counter.incrementAndGet();
            return counter;
        });
        if (own.get() > config.maxClientsPerAddress()) {
            release(address);
            rejectedAddress.increment();
            return Slot.ADDRESS_FULL;
        }
        while (true) {
            int open = clients.get();
            if (open >= config.maxClients()) {
                release(address);
                rejected.increment();
                return Slot.ALL_TAKEN;
            }
            if (clients.compareAndSet(open, open + 1)) {
                return Slot.TAKEN;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryReserve}: the stream ended, or was not opened after all. */
    public void giveBack(String address) {
        clients.decrementAndGet();
        release(address);
    }

    private void release(String address) {
        perAddress.computeIfPresent(address, (a, open) -> open.decrementAndGet() == 0 ? null : open);
    }

    /** Whether every event after {@code id} is in the replay buffer (so resuming from it needs no store). */
    public synchronized boolean covers(long id) {
        return id >= floor && id <= latest;
    }

    /** The id a {@code Last-Event-ID} names, or -1 for none: absent, not a number, or not a change sequence (< 1). */
    public static long eventId(String lastEventId) {
        if (lastEventId == null) {
            return -1;
        }
        try {
            long id = Long.parseLong(lastEventId.trim());
            return id < 1 ? -1 : id;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Starts a stream on a reserved slot. Must run on the connection's event loop. Sends the missed events of
     * {@code resume} when the replay buffer covers the rest, otherwise a snapshot event of {@code snapshotJson},
     * then live events.
     *
     * @param resume null for a fresh stream
     * @param snapshotSequence the change sequence the snapshot carries as id
     */
    public void open(HttpServerRequest request, String address, Set<String> pairs, Resume resume,
            byte[] snapshotJson, long snapshotSequence) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            giveBack(address);
            return;
        }
        // An HTTP/1.0 client (a plain nginx proxy, by default) knows no chunked encoding: its body ends with the
        // connection, which is closed when the stream ends.
        boolean http10 = request.version() == HttpVersion.HTTP_1_0;
        if (http10) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        } else {
            response.setChunked(true);
        }
        response.setWriteQueueMaxSize(config.queueBytes());
        // Never compressed (a compressor holds events back): Vert.x's marker, taken off on the wire, with which the
        // compressor that quarkus.http.enable-compression puts in every pipeline passes this response through.
        response.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
        ConnectionBase connection = request.connection() instanceof ConnectionBase c ? c : null;
        capSendBuffer(request, connection);
        ContextInternal context = ((ContextInternal) Vertx.currentContext()).unwrap();
        Loop loop = loops.computeIfAbsent(context.nettyEventLoop(), l -> new Loop(context));
        Client client = new Client(response, address, pairs, http10 ? null : encoder(request, connection), http10);
        response.closeHandler(v -> loop.remove(client));
        response.exceptionHandler(e -> loop.remove(client));
        synchronized (this) {
            if (resume != null && covers(resume.upTo())) {
                response.write(resumeFrame);
                resume.missed().forEach(client::send);
                client.lastSent = resume.upTo();
            } else {
                response.write(snapshotFrames.computeIfAbsent(snapshotJson,
                        json -> snapshotFrame(snapshotSequence, json)));
                client.lastSent = snapshotSequence;
            }
            // Everything after what the client has: the rest of a resume, or a write published between reading the
            // snapshot and this point (its delivery may have gone out before this client was listed).
            replay.forEach(client::send);
            if (resume != null) {
                // after the replayed events, which were rendered before the flag turned
                turned.values().forEach(client::send);
            }
            client.lastSent = Math.max(client.lastSent, latest);
            loop.clients.add(client);
        }
    }

    /**
     * Records that the store has reached change {@code sequence}, and sends the {@code rate} events of each write to
     * every stream, keeping them for replay.
     */
    public void publish(long sequence, List<Write> writes) {
        List<Published> rendered = writes.stream().map(this::published).toList();
        synchronized (this) {
            latest = sequence;
            if (rendered.isEmpty()) {
                return;
            }
            for (Published published : rendered) {
                published.events().forEach(event -> turned.remove(event.pair()));
                replay.addLast(published);
                replayEvents += published.events().size();
            }
            while (replayEvents > config.replaySize() && !replay.isEmpty()) {
                Published evicted = replay.removeFirst();
                replayEvents -= evicted.events().size();
                floor = evicted.id();
            }
            loops.values().forEach(loop -> loop.context.runOnContext(v -> rendered.forEach(loop::deliver)));
        }
    }

    /**
     * Sends the rates whose stale flag turned with time alone, not by a change in the store: as {@code rate} events
     * without an id, since no change sequence stands for them, so a client's {@code Last-Event-ID} stays its last
     * change. Each is kept until its pair's next change, and sent to every resuming client after the events it
     * missed: one that was away when the flag turned learns it too (one that was not gets the same state again).
     */
    public void turned(List<Rate> rates) {
        if (rates.isEmpty()) {
            return;
        }
        List<Event> events = rates.stream().map(rate -> new Event(rate.pair(), frame(null, rate))).toList();
        synchronized (this) {
            events.forEach(event -> turned.put(event.pair(), event));
            loops.values().forEach(loop -> loop.context.runOnContext(v -> loop.deliver(events)));
        }
    }

    /** A resume after the given writes, rendered once for every client it will serve. */
    public Resume resume(long upTo, List<Write> missed) {
        return new Resume(upTo, missed.stream().map(this::published).toList());
    }

    private Published published(Write write) {
        List<Event> events = new ArrayList<>(write.rates().size());
        for (Rate rate : write.rates()) {
            events.add(new Event(rate.pair(), frame(write.id(), rate)));
        }
        return new Published(write.id(), events);
    }

    /**
     * Every job of the service skips once the application stops, as this one does: Quarkus's scheduler outlives the
     * application-scoped beans by a moment, and a job run then would bring its bean back to life.
     */
    @Scheduled(every = "${ticker.stream.heartbeat}", delayed = "${ticker.stream.heartbeat}",
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeat() {
        loops.values().forEach(loop -> loop.context.runOnContext(v -> loop.heartbeat()));
    }

    /**
     * Ends every stream cleanly, so that clients reconnect (to another replica, or to this one once it is back).
     * This must happen in the shutdown delay phase: by the time of {@code ShutdownEvent} the HTTP server has
     * already cut every connection.
     */
    void onStop(@Observes ShutdownDelayInitiatedEvent event) {
        CountDownLatch done = new CountDownLatch(loops.size());
        loops.values().forEach(loop -> loop.context.runOnContext(v -> {
            loop.endAll();
            done.countDown();
        }));
        try {
            done.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A {@code ping} event that says the heartbeat's interval in seconds. Every stream gets one as it opens, so that a
     * client knows at once how long a silence may last before the connection is dead (a proxy that holds the body
     * back keeps it open without a byte).
     */
    private static Buffer ping(Duration heartbeat) {
        String seconds = BigDecimal.valueOf(heartbeat.toMillis(), 3).stripTrailingZeros().toPlainString();
        return Buffer.buffer("event: ping\ndata: {\"heartbeat\":" + seconds + "}\n\n");
    }

    /** The first frame of a fresh stream: the reconnect delay, the snapshot and a ping. */
    private Buffer snapshotFrame(long id, byte[] json) {
        return Buffer.buffer(json.length + 96)
                .appendString("retry: " + config.retry() + "\nevent: snapshot\nid: " + id + "\ndata: ")
                .appendBytes(json)
                .appendString("\n\n")
                .appendBuffer(ping);
    }

    /** A {@code rate} event; without an id line when {@code id} is null. */
    private Buffer frame(Long id, Rate rate) {
        try {
            byte[] json = mapper.writeValueAsBytes(rate);
            return Buffer.buffer(json.length + 48)
                    .appendString(id == null ? "event: rate\ndata: " : "event: rate\nid: " + id + "\ndata: ")
                    .appendBytes(json)
                    .appendString("\n\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the rate of " + rate.pair(), e);
        }
    }

    /**
     * Linux lets a socket's send buffer grow to 4 MB (tcp_wmem) for a reader that does not read, held in the kernel
     * where queue-bytes does not see it: fixed here (Linux doubles it), a stalled stream pins at most that in the
     * kernel, and its backlog reaches the queue-bytes check, which disconnects it, after a few hundred events
     * instead of tens of thousands. Events are small; a reading client never comes near it. HTTP/1.1 only: an
     * HTTP/2 connection carries other requests too.
     */
    private static void capSendBuffer(HttpServerRequest request, ConnectionBase connection) {
        if (connection != null && request.version() != HttpVersion.HTTP_2) {
            connection.channel().config().setOption(ChannelOption.SO_SNDBUF, STREAM_SEND_BUFFER);
        }
    }

    /**
     * The pipeline context of the connection's HTTP/1.1 encoder, or null. Writing a pre-encoded chunk there passes it
     * to the socket as it is: the bytes every client gets are framed once, not once per client, and skip Vert.x's
     * per-write response bookkeeping (20 % of the CPU of a fan-out, docs/benchmarks.md). The chunks pass below the
     * compressor too, which passes a stream through untouched ({@link #open} marks it so). Null, so that the
     * response API is used, for HTTP/2, which frames its data itself.
     */
    private static ChannelHandlerContext encoder(HttpServerRequest request, ConnectionBase connection) {
        return connection == null || request.version() == HttpVersion.HTTP_2 ? null
                : connection.channelHandlerContext().pipeline().context("httpEncoder");
    }

    /** The frame as one HTTP/1.1 chunk (size line, bytes, CRLF), off-heap, shared by every write. */
    private static ByteBuf asChunk(Buffer frame) {
        byte[] head = (Integer.toHexString(frame.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer bytes = ByteBuffer.allocateDirect(head.length + frame.length() + 2)
                .put(head).put(frame.getBytes()).put((byte) '\r').put((byte) '\n').flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
    }

    private final class Client {
        final HttpServerResponse response;
        final String address;
        /** The pairs it follows. */
        final Set<String> pairs;
        long lastSent;
        boolean closed;

        final ChannelHandlerContext encoder;
        /** Whether the body ends only with the connection (HTTP/1.0). */
        final boolean closeDelimited;

        Client(HttpServerResponse response, String address, Set<String> pairs, ChannelHandlerContext encoder,
                boolean closeDelimited) {
            this.response = response;
            this.address = address;
            this.pairs = pairs;
            this.encoder = encoder;
            this.closeDelimited = closeDelimited;
        }

        void write(Buffer frame, ByteBuf chunk) {
            if (encoder != null) {
                encoder.writeAndFlush(chunk.duplicate());
            } else {
                response.write(frame);
            }
        }

        /** Writes the events of {@code published} this client wants and has not had; returns how many. */
        int send(Published published) {
            if (published.id() <= lastSent) {
                return 0;
            }
            int sent = 0;
            for (Event event : published.events()) {
                if (pairs.contains(event.pair())) {
                    write(event.frame(), event.chunk());
                    sent++;
                }
            }
            lastSent = published.id();
            return sent;
        }

        /** Writes the event if this client follows its pair; returns how many were written. */
        int send(Event event) {
            if (!pairs.contains(event.pair())) {
                return 0;
            }
            write(event.frame(), event.chunk());
            return 1;
        }
    }

    /** The clients of one event loop; touched only on that loop's thread. */
    private final class Loop {
        final ContextInternal context;
        final Set<Client> clients = new HashSet<>();

        Loop(ContextInternal context) {
            this.context = context;
        }

        void deliver(Published published) {
            long sent = 0;
            for (Iterator<Client> it = clients.iterator(); it.hasNext();) {
                Client client = it.next();
                if (keptUp(client, it)) {
                    sent += client.send(published);
                }
            }
            eventsSent.increment(sent); // once per delivery, not once per client
        }

        void deliver(List<Event> events) {
            long sent = 0;
            for (Iterator<Client> it = clients.iterator(); it.hasNext();) {
                Client client = it.next();
                if (keptUp(client, it)) {
                    for (Event event : events) {
                        sent += client.send(event);
                    }
                }
            }
            eventsSent.increment(sent);
        }

        void heartbeat() {
            for (Iterator<Client> it = clients.iterator(); it.hasNext();) {
                Client client = it.next();
                if (keptUp(client, it)) {
                    // Through the response, not the encoder: only writes that pass the idle handler tell it the
                    // connection is alive, and without them every stream would be cut at quarkus.http.idle-timeout.
                    client.response.write(ping);
                }
            }
        }

        /** A client that has not taken what it was already sent has fallen behind: cut it loose. */
        private boolean keptUp(Client client, Iterator<Client> it) {
            if (!client.response.writeQueueFull()) {
                return true;
            }
            slowDisconnects.increment();
            it.remove();
            closed(client);
            client.response.close();
            return false;
        }

        void remove(Client client) {
            clients.remove(client);
            closed(client);
        }

        private void closed(Client client) {
            if (!client.closed) {
                client.closed = true;
                giveBack(client.address);
            }
        }

        void endAll() {
            for (Iterator<Client> it = clients.iterator(); it.hasNext();) {
                Client client = it.next();
                it.remove();
                closed(client);
                client.response.end();
                if (client.closeDelimited) {
                    client.response.close();
                }
            }
        }
    }
}
