package io.rateticker;

import static io.rateticker.Numbers.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

/**
 * The packaged application, started as a user would start it, killed without warning and started again on the
 * same H2 file: nothing stored may be lost, and change sequences go on where they were.
 */
class RestartIT {

    @Test
    void aCrashLosesNoStoredRateAndAStopEndsStreamsCleanly() throws Exception {
        Path dir = Files.createTempDirectory("rate-ticker-it");
        try (PackagedApp app = new PackagedApp(dir, "jdbc:h2:file:" + dir.resolve("ticker") + ";WRITE_DELAY=0")) {
            app.start();
            // a fresh offline start serves the bundled official rates, dated and flagged stale
            app.api().get("/api/v1/rates").then().statusCode(200)
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
            app.api().auth().oauth2(PackagedApp.TOKEN).contentType(ContentType.JSON)
                    .body("{\"source\":\"manual\",\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"" + today
                            + "\",\"perUsd\":89.1234}]}")
                    .post("/api/v1/admin/rates").then().statusCode(200).body("accepted", equalTo(1));
            String sequence = snapshotId(app);

            app.kill();
            app.start();

            app.api().get("/api/v1/rates/KGS").then().statusCode(200)
                    .body("perUsd", number("89.1234"))
                    .body("source", equalTo("manual"))
                    .body("asOf", equalTo(today))
                    .body("stale", equalTo(false));
            assertThat(snapshotId(app)).isEqualTo(sequence);
            // the bundled rates go into an empty store only, never again
            app.api().get("/api/v1/currencies").then()
                    .body("find { it.code == 'KGS' }.sources", equalTo(List.of("manual", "bundled")));

            try (SseClient stream = SseClient.open(URI.create(app.base() + "/api/v1/stream"), Map.of())) {
                assertThat(stream.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
                app.stop();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!stream.ended() && System.nanoTime() < deadline) {
                    stream.next(Duration.ofMillis(100));
                }
                assertThat(stream.ended()).as("the stream ended with a clean end of body").isTrue();
            }
            assertThat(app.awaitExit(Duration.ofSeconds(20))).isTrue();
        }
    }

    private static String snapshotId(PackagedApp app) throws Exception {
        try (SseClient stream = SseClient.open(URI.create(app.base() + "/api/v1/stream"), Map.of())) {
            return stream.next(Duration.ofSeconds(5)).id();
        }
    }
}
