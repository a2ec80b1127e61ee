package io.rateticker.store;

/** The store could not be read or written; what was asked has not happened. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
