package io.rateticker.service;

import java.util.Map;

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

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
