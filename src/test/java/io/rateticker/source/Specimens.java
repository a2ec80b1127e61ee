package io.rateticker.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Real upstream responses, byte for byte, from {@code src/test/resources/upstream} (see its README). */
public final class Specimens {

    private Specimens() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Specimens.class.getResourceAsStream("/upstream/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no specimen " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
