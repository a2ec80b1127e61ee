package io.rateticker.source;

/** An upstream document that cannot be read as the source's format; the message says what is wrong with it. */
public class DocumentException extends Exception {

    public DocumentException(String message) {
        super(message, null, false, false);
    }
}
