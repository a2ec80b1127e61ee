package io.rateticker.service;

import java.util.Map;

import io.rateticker.store.StoreException;

/**
 * A request the service cannot answer as asked; the API turns it into a problem response with this status
 * and detail (and these extra headers).
 */
public class RequestException extends RuntimeException {

    private final int status;
    private final Map<String, String> headers;

    public RequestException(int status, String detail) {
        this(status, detail, Map.of());
    }

    public RequestException(int status, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    /**
     * What a failure below the service means to a client, or null for one it cannot be told more of than that it
     * happened: a store that cannot be reached is a 503 (the last rates are still served).
     */
    public static RequestException of(Throwable e) {
        if (e instanceof StoreException store && store.unavailable()) {
            return new RequestException(503, "the rate store is unavailable; the last rates are still served, writes"
                    + " are not possible", Map.of("Retry-After", "30"));
        }
        return null;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
