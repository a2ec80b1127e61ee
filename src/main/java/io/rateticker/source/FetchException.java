package io.rateticker.source;

/**
 * A request to a bank that did not give a document: {@code retryable} for failures that may pass (connection
 * refused, timeout, 5xx, 429), not for answers that will not change on a retry (404, 403).
 */
public class FetchException extends Exception {

    private final boolean retryable;

    public FetchException(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
