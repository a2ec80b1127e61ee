package io.rateticker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A file the jar carries beside its classes (the widget's script, the bundled rates), read whole at start. */
public final class Packaged {

    private Packaged() {
    }

    /** The file's text, UTF-8; a jar built without it fails the start, naming it. */
    public static String text(String name) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the application's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
