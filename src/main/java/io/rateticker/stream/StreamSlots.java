package io.rateticker.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.rateticker.config.TickerConfig;

/**
 * Admission: a slot per open stream, at most {@code ticker.stream.max-clients} in all and
 * {@code ticker.stream.max-clients-per-address} from one address (one host must not take them all).
 * Made at start, so that its gauge is scraped from the start, not from the first stream.
 */
@Startup
@ApplicationScoped
public class StreamSlots {

    /** What asking for a stream slot gave. */
    public enum Slot {
        TAKEN, ALL_TAKEN, ADDRESS_FULL
    }

    private final TickerConfig.Stream config;
    private final AtomicInteger clients = new AtomicInteger();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Counter rejected;
    private final Counter rejectedAddress;

    StreamSlots(TickerConfig config, MeterRegistry registry) {
        this.config = config.stream();
        Gauge.builder("ticker.stream.clients", clients, AtomicInteger::get)
                .description("Open streams").register(registry);
        this.rejected = Counter.builder("ticker.stream.rejected").tag("reason", "max-clients")
                .description("Streams refused: all slots taken, or all of one address's").register(registry);
        this.rejectedAddress = Counter.builder("ticker.stream.rejected").tag("reason", "max-clients-per-address")
                .description("Streams refused: all slots taken, or all of one address's").register(registry);
    }

    /** Takes a slot for a client at {@code address}; a refusal is counted. A taken slot is given back when the stream ends. */
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
}
