package io.rateticker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A program some tests drive, and the Debian package it comes from. A test calls {@link #require()} before it
 * starts: without the program the test is aborted, so the totals count it as skipped, and one line names the program
 * and its package. Under {@code CI=true} a missing program fails the test instead: CI must never pass on tests it
 * did not run.
 */
public enum Tool {

    CHROMIUM("chromium", "chromium", () -> executable("/usr/bin/chromium")),
    CHROMEDRIVER("chromedriver", "chromium-driver", () -> executable("/usr/bin/chromedriver")),
    PROMETHEUS("prometheus", "prometheus", () -> executable("/usr/bin/prometheus")),
    PROMTOOL("promtool", "prometheus", () -> executable("/usr/bin/promtool")),
    KUBECTL("kubectl", "kubernetes-client",
            () -> executable("/usr/bin/kubectl").or(() -> executable("/usr/local/bin/kubectl"))),
    /** The newest PostgreSQL server's bin directory ({@code TICKER_TEST_PG_BIN} chooses another). */
    POSTGRESQL("PostgreSQL's initdb", "postgresql", Tool::postgresql);

    private static final Set<Tool> REPORTED = ConcurrentHashMap.newKeySet();

    private final String name;
    private final String debianPackage;
    private final Supplier<Optional<Path>> locate;

    Tool(String name, String debianPackage, Supplier<Optional<Path>> locate) {
        this.name = name;
        this.debianPackage = debianPackage;
        this.locate = locate;
    }

    /** Where the program is; aborts the calling test when it is missing (fails it under {@code CI=true}). */
    public Path require() {
        Optional<Path> path = locate.get();
        if (path.isPresent()) {
            return path.get();
        }
        String missing = name + " is not installed (Debian package " + debianPackage + ": apt-get install "
                + debianPackage + ")";
        if (Boolean.parseBoolean(System.getenv("CI"))) {
            throw new AssertionError("CI=true: " + missing + "; .ci/run installs it");
        }
        if (REPORTED.add(this)) { // once per class loader: each Quarkus test profile may say it once more
            System.err.println("SKIPPED the tests that need " + name + ": " + missing);
        }
        Assumptions.abort(missing);
        throw new AssertionError("unreachable");
    }

    private static Optional<Path> executable(String path) {
        return Optional.of(Path.of(path)).filter(Files::isExecutable);
    }

    private static Optional<Path> postgresql() {
        String configured = System.getenv("TICKER_TEST_PG_BIN");
        if (configured != null) {
            return Optional.of(Path.of(configured));
        }
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> bins = Files.list(versions)) {
            return bins.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
