package io.rateticker.stream;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rateticker.Rate;
import io.rateticker.config.TickerConfig;
import io.vertx.core.buffer.Buffer;

/** The stream's bytes: each event rendered once, as a frame and as an HTTP/1.1 chunk, and shared by every client. */
final class Frames {

    /** One {@code rate} event, pre-rendered; for the clients of its pair ({@code KGS/USD}, {@code USD/KZT}). */
    record Event(String pair, Buffer frame, ByteBuf chunk) {
        Event(String pair, Buffer frame) {
            this(pair, frame, asChunk(frame));
        }
    }

    /** The events of one write; they all carry the write's highest change sequence as id. */
    record Published(long id, List<Event> events) {
    }

    private final long retry;
    private final ObjectMapper mapper;
    /** The heartbeat: an event, not a comment, since a browser's script sees only events (see {@link #ping}). */
    private final Buffer ping;
    /** The first frame of a resumed stream, the same for all: the reconnect delay, on a ping. */
    private final Buffer resumed;
    /**
     * By snapshot body (an array of its own per snapshot and selection, so keyed by identity), the first frame of a
     * fresh stream, rendered for the first client and shared by the rest; gone with the snapshot.
     */
    private final Map<byte[], Buffer> snapshots = new WeakHashMap<>();

    Frames(TickerConfig.Stream config, ObjectMapper mapper) {
        this.retry = config.retry();
        this.mapper = mapper;
        this.ping = ping(config.heartbeat());
        this.resumed = Buffer.buffer("retry: " + retry + "\n").appendBuffer(ping);
    }

    Buffer ping() {
        return ping;
    }

    Buffer resumed() {
        return resumed;
    }

    /** The first frame of a fresh stream: the reconnect delay, the snapshot and a ping. */
    synchronized Buffer snapshot(long id, byte[] json) {
        return snapshots.computeIfAbsent(json, j -> Buffer.buffer(j.length + 96)
                .appendString("retry: " + retry + "\nevent: snapshot\nid: " + id + "\ndata: ")
                .appendBytes(j)
                .appendString("\n\n")
                .appendBuffer(ping));
    }

    /** The events of a write, each with the write's id. */
    Published published(StreamBroadcaster.Write write) {
        List<Event> events = new ArrayList<>(write.rates().size());
        for (Rate rate : write.rates()) {
            events.add(new Event(rate.pair(), frame(write.id(), rate)));
        }
        return new Published(write.id(), events);
    }

    /** The event of a rate that time alone turned: without an id, since no change sequence stands for it. */
    Event turned(Rate rate) {
        return new Event(rate.pair(), frame(null, rate));
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
     * A {@code ping} event that says the heartbeat's interval in seconds. Every stream gets one as it opens, so that a
     * client knows at once how long a silence may last before the connection is dead (a proxy that holds the body
     * back keeps it open without a byte).
     */
    private static Buffer ping(Duration heartbeat) {
        String seconds = BigDecimal.valueOf(heartbeat.toMillis(), 3).stripTrailingZeros().toPlainString();
        return Buffer.buffer("event: ping\ndata: {\"heartbeat\":" + seconds + "}\n\n");
    }

    /** The frame as one HTTP/1.1 chunk (size line, bytes, CRLF), off-heap, shared by every write. */
    private static ByteBuf asChunk(Buffer frame) {
        byte[] head = (Integer.toHexString(frame.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer bytes = ByteBuffer.allocateDirect(head.length + frame.length() + 2)
                .put(head).put(frame.getBytes()).put((byte) '\r').put((byte) '\n').flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
    }
}
