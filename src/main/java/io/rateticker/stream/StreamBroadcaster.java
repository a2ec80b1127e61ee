package io.rateticker.stream;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.scheduler.Scheduled;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.rateticker.stream.Frames.Event;
import io.rateticker.stream.Frames.Published;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

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
    private final StreamSlots slots;
    private final Frames frames;
    private final Counter eventsSent;
    private final Counter slowDisconnects;
    private final Map<EventLoop, Loop> loops = new ConcurrentHashMap<>();
    /** Guarded by this, which publishing and a client's joining both hold. */
    private final Replay replay;

    StreamBroadcaster(TickerConfig config, ObjectMapper mapper, MeterRegistry registry, StreamSlots slots) {
        this.config = config.stream();
        this.slots = slots;
        this.frames = new Frames(this.config, mapper);
        this.replay = new Replay(this.config.replaySize());
        this.eventsSent = Counter.builder("ticker.stream.events.sent")
                .description("Rate events written to stream clients").register(registry);
        this.slowDisconnects = Counter.builder("ticker.stream.slow.disconnects")
                .description("Stream clients disconnected for not reading what they were sent").register(registry);
    }

    /** Called once the store is loaded: changes up to {@code sequence} are only available as a snapshot. */
    public synchronized void start(long sequence) {
        replay.start(sequence);
    }

    /** Whether every event after {@code id} is in the replay buffer (so resuming from it needs no store). */
    public synchronized boolean covers(long id) {
        return replay.covers(id);
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
            slots.giveBack(address);
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
        // Linux lets a socket's send buffer grow to 4 MB (tcp_wmem) for a reader that does not read, held in the
        // kernel where queue-bytes does not see it: fixed here (Linux doubles it), a stalled stream pins at most that
        // in the kernel, and its backlog reaches the queue-bytes check, which disconnects it, after a few hundred
        // events instead of tens of thousands. Events are small; a reading client never comes near it.
        VertxInternals.capSendBuffer(request, STREAM_SEND_BUFFER);
        VertxInternals.Loop current = VertxInternals.current();
        Loop loop = loops.computeIfAbsent(current.eventLoop(),
                l -> new Loop(current.context(), slots, frames.ping(), eventsSent, slowDisconnects));
        // Writing a pre-encoded chunk to the HTTP/1.1 encoder passes it to the socket as it is: the bytes every
        // client gets are framed once, not once per client, and skip Vert.x's per-write response bookkeeping (20 % of
        // the CPU of a fan-out, docs/benchmarks.md). They pass below the compressor too, which passes a stream marked
        // as above through untouched.
        Loop.Client client = new Loop.Client(response, address, pairs, http10 ? null : VertxInternals.encoder(request), http10);
        response.closeHandler(v -> loop.remove(client));
        response.exceptionHandler(e -> loop.remove(client));
        synchronized (this) {
            if (resume != null && replay.covers(resume.upTo())) {
                response.write(frames.resumed());
                resume.missed().forEach(client::send);
                client.lastSent = resume.upTo();
            } else {
                response.write(frames.snapshot(snapshotSequence, snapshotJson));
                client.lastSent = snapshotSequence;
            }
            // Everything after what the client has: the rest of a resume, or a write published between reading the
            // snapshot and this point (its delivery may have gone out before this client was listed).
            replay.forEach(client::send);
            if (resume != null) {
                // after the replayed events, which were rendered before the flag turned
                replay.forEachTurned(client::send);
            }
            client.lastSent = Math.max(client.lastSent, replay.latest());
            loop.clients.add(client);
        }
    }

    /**
     * Records that the store has reached change {@code sequence}, and sends the {@code rate} events of each write to
     * every stream, keeping them for replay.
     */
    public void publish(long sequence, List<Write> writes) {
        List<Published> rendered = writes.stream().map(frames::published).toList();
        synchronized (this) {
            replay.add(sequence, rendered);
            if (rendered.isEmpty()) {
                return;
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
        List<Event> events = rates.stream().map(frames::turned).toList();
        synchronized (this) {
            replay.turned(events);
            loops.values().forEach(loop -> loop.context.runOnContext(v -> loop.deliver(events)));
        }
    }

    /** A resume after the given writes, rendered once for every client it will serve. */
    public Resume resume(long upTo, List<Write> missed) {
        return new Resume(upTo, missed.stream().map(frames::published).toList());
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
}
