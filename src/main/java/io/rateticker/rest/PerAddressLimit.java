package io.rateticker.rest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code max} counted events per client address in a one-minute window (wrong admin tokens, rebuilds of
 * old stream ids): an address over it is refused until its window ends.
 */
final class PerAddressLimit {

    private static final long WINDOW_MS = 60_000;
    /** Beyond this many addresses, windows that are over are forgotten. */
    private static final int MAX_TRACKED_ADDRESSES = 10_000;

    /** Per address: {start of its one-minute window (ms), count}. */
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();
    private final int max;

    PerAddressLimit(int max) {
        this.max = max;
    }

    /** Seconds until {@code address} is under the limit again; 0 if it is now. */
    long blockedFor(String address, long now) {
        long[] window = windows.get(address);
        if (window == null || now - window[0] >= WINDOW_MS || window[1] < max) {
            return 0;
        }
        return Math.max(1, (window[0] + WINDOW_MS - now + 999) / 1000);
    }

    /** Counts one event of {@code address} in its current window; returns the window's count. */
    long count(String address, long now) {
        long[] window = windows.compute(address, (a, old) -> old == null || now - old[0] >= WINDOW_MS
                ? new long[] {now, 1} : new long[] {old[0], old[1] + 1});
        if (windows.size() > MAX_TRACKED_ADDRESSES) {
            windows.values().removeIf(w -> now - w[0] >= WINDOW_MS);
        }
        return window[1];
    }
}
