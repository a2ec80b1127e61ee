package io.rateticker.stream;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.rateticker.stream.Frames.Event;
import io.rateticker.stream.Frames.Published;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The streams of one event loop, touched only on that loop's thread: delivery needs no locks, and one slow loop never
 * holds up another. A client that has not taken what it was sent is cut loose.
 */
final class Loop {

    static final class Client {
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

    final Context context;
    final Set<Client> clients = new HashSet<>();
    private final StreamSlots slots;
    private final Buffer ping;
    private final Counter eventsSent;
    private final Counter slowDisconnects;

    Loop(Context context, StreamSlots slots, Buffer ping, Counter eventsSent, Counter slowDisconnects) {
        this.context = context;
        this.slots = slots;
        this.ping = ping;
        this.eventsSent = eventsSent;
        this.slowDisconnects = slowDisconnects;
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
            slots.giveBack(client.address);
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
