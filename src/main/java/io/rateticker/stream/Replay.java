package io.rateticker.stream;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.rateticker.stream.Frames.Event;
import io.rateticker.stream.Frames.Published;

/**
 * The recent writes' events, for clients that resume from an id or open while a write is being published, and the
 * ids they cover. Not thread-safe: the broadcaster holds one lock around publishing and a client's joining, so that a
 * client gets every event once.
 */
final class Replay {

    private final int size;
    private final ArrayDeque<Published> kept = new ArrayDeque<>();
    private int events;
    /** Every change after this id is kept. */
    private long floor;
    private long latest;
    /** By pair, the event of a rate whose stale flag turned since its last change (see {@link StreamBroadcaster#turned}). */
    private final Map<String, Event> turned = new HashMap<>();

    Replay(int size) {
        this.size = size;
    }

    /** Changes up to {@code sequence} are only available as a snapshot. */
    void start(long sequence) {
        floor = sequence;
        latest = sequence;
    }

    /** Whether every event after {@code id} is kept (so resuming from it needs no store). */
    boolean covers(long id) {
        return id >= floor && id <= latest;
    }

    /** The last change the store has reached. */
    long latest() {
        return latest;
    }

    /** The store has reached change {@code sequence} with these writes' events: kept, the oldest let go. */
    void add(long sequence, List<Published> published) {
        latest = sequence;
        for (Published write : published) {
            write.events().forEach(event -> turned.remove(event.pair()));
            kept.addLast(write);
            events += write.events().size();
        }
        while (events > size && !kept.isEmpty()) {
            Published evicted = kept.removeFirst();
            events -= evicted.events().size();
            floor = evicted.id();
        }
    }

    /** Kept until its pair's next change. */
    void turned(List<Event> turnedNow) {
        turnedNow.forEach(event -> turned.put(event.pair(), event));
    }

    /** Every kept write, oldest first. */
    void forEach(Consumer<Published> send) {
        kept.forEach(send);
    }

    /** Every rate whose stale flag turned since its last change. */
    void forEachTurned(Consumer<Event> send) {
        turned.values().forEach(send);
    }
}
