package io.rateticker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Not a {@code @QuarkusTest}: docs/design.md names every class of the service with its job. */
class DesignTest {

    @Test
    void everyClassHasItsRoomInTheDesign() throws IOException {
        String design = Files.readString(Path.of("docs/design.md"));
        List<String> classes;
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            classes = sources.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".java"))
                    .map(name -> name.substring(0, name.length() - ".java".length())).sorted().toList();
        }
        assertThat(classes).as("classes").hasSizeGreaterThan(50);
        assertThat(classes).as("classes docs/design.md does not list")
                .filteredOn(name -> !design.contains("`" + name + "`")).isEmpty();
    }
}
