package io.rateticker;

import static io.rateticker.Numbers.number;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;

/**
 * The packaged application, started as a user would start it, killed without warning and started again on the
 * same H2 file: nothing stored may be lost, and change sequences go on where they were.
 */
class RestartIT {

    private static final String TOKEN = "it-token";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private Path dataDir;
    private int port;
    private Process app;

    @BeforeEach
    void setUp() throws IOException {
        dataDir = Files.createTempDirectory("rate-ticker-it");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RestAssured.config = RestAssured.config()
                .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (app != null && app.isAlive()) {
            app.destroyForcibly().waitFor();
        }
    }

    @Test
    void aCrashLosesNoStoredRateAndAStopEndsStreamsCleanly() throws Exception {
        start();
        // a fresh offline start serves the bundled official rates, dated and flagged stale
        api().get("/api/v1/rates").then().statusCode(200)
                .body("rates.currency", equalTo(List.of("KGS", "KZT", "TJS", "UZS", "TMT")))
                .body("rates.find { it.currency == 'KGS' }.perUsd", number("87.45"))
                .body("rates.find { it.currency == 'KGS' }.rate", number("0.0114351057747"))
                .body("rates.find { it.currency == 'KGS' }.asOf", equalTo("2026-05-24"))
                .body("rates.find { it.currency == 'KGS' }.source", equalTo("bundled"))
                .body("rates.find { it.currency == 'KGS' }.stale", equalTo(true))
                .body("rates.find { it.currency == 'KZT' }.changePercent", number("0.7746"))
                .body("rates.find { it.currency == 'TJS' }.changePercent", number("0.0846"))
                .body("rates.find { it.currency == 'UZS' }.perUsd", number("12142.1"))
                .body("rates.find { it.currency == 'TMT' }.changePercent", number("0"));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        api().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body("{\"source\":\"manual\",\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"" + today + "\",\"perUsd\":89.1234}]}")
                .post("/api/v1/admin/rates").then().statusCode(200).body("accepted", equalTo(1));
        String sequence = snapshotId();

        app.destroyForcibly().waitFor();
        start();

        api().get("/api/v1/rates/KGS").then().statusCode(200)
                .body("perUsd", number("89.1234"))
                .body("source", equalTo("manual"))
                .body("asOf", equalTo(today))
                .body("stale", equalTo(false));
        assertThat(snapshotId()).isEqualTo(sequence);
        // the bundled rates are loaded into an empty store only, never again
        api().get("/api/v1/currencies").then().body("find { it.code == 'KGS' }.sources", equalTo(List.of("manual", "bundled")));

        try (SseClient stream = SseClient.open(URI.create(base() + "/api/v1/stream"), Map.of())) {
            assertThat(stream.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            app.destroy(); // SIGTERM: a normal stop
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!stream.ended() && System.nanoTime() < deadline) {
                stream.next(Duration.ofMillis(100));
            }
            assertThat(stream.ended()).as("the stream ended with a clean end of body").isTrue();
        }
        assertThat(app.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    private String snapshotId() throws Exception {
        try (SseClient stream = SseClient.open(URI.create(base() + "/api/v1/stream"), Map.of())) {
            return stream.next(Duration.ofSeconds(5)).id();
        }
    }

    private void start() throws Exception {
        Path appDir = Path.of(System.getProperty("ticker.app.dir", "target/quarkus-app"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(java,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + dataDir.resolve("ticker") + ";WRITE_DELAY=0",
                "-Dticker.admin.token=" + TOKEN,
                "-jar", appDir.resolve("quarkus-run.jar").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("app.log").toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(app.isAlive()).as("the application exited; see %s", dataDir.resolve("app.log")).isTrue();
            try {
                if (api().get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // connection refused while starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not ready within " + START_TIMEOUT + "; see " + dataDir.resolve("app.log"));
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private RequestSpecification api() {
        return given().baseUri("http://127.0.0.1").port(port);
    }
}
