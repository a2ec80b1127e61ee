package io.rateticker;

import static org.assertj.core.api.Assertions.assertThat;

import static io.restassured.RestAssured.given;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import io.restassured.specification.RequestSpecification;

/** The packaged application ({@code target/quarkus-app}) run as its own process, as a user runs it. */
final class PackagedApp implements AutoCloseable {

    static final String TOKEN = "it-token";
    /** The store probe each second, not every 10 s: for a test that waits on the store check (DOWN, then UP again). */
    static final String PROBE_EACH_SECOND = "ticker.store.probe-interval=1s";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final String jdbcUrl;
    private final Map<String, String> environment;
    private final List<String> jvmOptions = new ArrayList<>();
    private Path app = appDir();
    private boolean launcher;
    private Process process;

    /** On H2 at this JDBC URL. {@code dir} is where the log (and, for a file URL, the database) goes. */
    PackagedApp(Path dir, String jdbcUrl) throws IOException {
        this(dir, jdbcUrl, Map.of());
    }

    /** Configured by environment, as an operator configures the image (TICKER_DATABASE=postgresql, ...). */
    PackagedApp(Path dir, Map<String, String> environment) throws IOException {
        this(dir, null, environment);
    }

    private PackagedApp(Path dir, String jdbcUrl, Map<String, String> environment) throws IOException {
        this.dir = dir;
        this.jdbcUrl = jdbcUrl;
        this.environment = environment;
        this.port = freePort();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The H2 jar the packaged application ships (it holds the TCP server too). */
    static Path h2Jar() throws IOException {
        try (var files = Files.list(appDir().resolve("lib/main"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("com.h2database.h2-")).findFirst().orElseThrow();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Path appDir() {
        return Path.of(System.getProperty("ticker.app.dir", "target/quarkus-app"));
    }

    /** JVM options for every start from now on, such as a heap size. */
    PackagedApp withJvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /**
     * Started from now on by {@code scripts/run.sh}, with the JVM settings and AOT cache the image ships, on the
     * application in {@code app}; JVM options go in {@code JAVA_OPTS}.
     */
    PackagedApp throughLauncher(Path app) {
        this.app = app;
        this.launcher = true;
        return this;
    }

    /** The environment that makes {@code scripts/run.sh} use the application in {@code app} and this JVM. */
    static Map<String, String> launcherEnvironment(Path app) {
        return Map.of("APP_DIR", app.toString(),
                "PATH", Path.of(java()).getParent() + File.pathSeparator + System.getenv("PATH"));
    }

    /** Starts the application and waits until it is ready. */
    void start(String... properties) throws Exception {
        List<String> command = new ArrayList<>(launcher ? List.of("bash", "scripts/run.sh") : List.of(java()));
        if (!launcher) {
            command.addAll(jvmOptions);
        }
        command.addAll(List.of(
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dticker.admin.token=" + TOKEN));
        if (jdbcUrl != null) {
            command.add("-Dquarkus.datasource.jdbc.url=" + jdbcUrl);
        }
        // Nothing here may reach the real banks: the packaged tests are about the store and the process.
        for (String source : List.of("nbkr", "nbk", "cbu", "nbt", "cbt", "cbr")) {
            command.add("-Dticker.sources." + source + ".enabled=false");
        }
        for (String property : properties) {
            command.add("-D" + property);
        }
        if (!launcher) {
            command.addAll(List.of("-jar", app.resolve("quarkus-run.jar").toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (launcher) {
            builder.environment().putAll(launcherEnvironment(app));
            builder.environment().put("JAVA_OPTS", String.join(" ", jvmOptions));
        }
        process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("app.log").toFile()))
                .start();
        Awaitility.await("ready; see " + dir.resolve("app.log")).atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .failFast("the application exited; see " + dir.resolve("app.log"), () -> !process.isAlive())
                .ignoreExceptions() // connection refused while starting
                .until(() -> api().get("/q/health/ready").statusCode() == 200);
    }

    /**
     * Waits up to 30 s until the well check {@code store} is {@code status} (UP or DOWN), while readiness stays UP
     * throughout: reads are served from memory whatever the store does.
     */
    void awaitStore(String status) {
        Awaitility.await("the store check " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(api().get("/q/health/ready").statusCode()).as("readiness").isEqualTo(200);
                    return api().get("/q/health/well").jsonPath().getString("checks.find { it.name == 'store' }.status");
                }, status::equals);
    }

    /** Like {@code kill -9}: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Like {@code kill} (SIGTERM): a normal stop. */
    void stop() {
        process.destroy();
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long pid() {
        return process.pid();
    }

    int exitValue() {
        return process.exitValue();
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    RequestSpecification api() {
        return given().config(Numbers.exact()).baseUri("http://127.0.0.1").port(port);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
