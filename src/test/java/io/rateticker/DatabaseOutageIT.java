package io.rateticker;

import static io.rateticker.Numbers.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.rateticker.source.Specimens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The packaged application on an H2 database served over TCP by a separate process, which this test stops and
 * starts again: while the database is gone, reads and streams go on from memory and readiness stays UP, every write
 * is refused with 503, as the OpenAPI document says; once it is back, everything recovers by itself.
 */
class DatabaseOutageIT {

    private Path dir;
    private int dbPort;
    private Process database;

    @AfterEach
    void stopDatabase() throws InterruptedException {
        if (database != null && database.isAlive()) {
            database.destroyForcibly().waitFor();
        }
    }

    @Test
    void readsGoOnWritesAre503AndEverythingRecovers() throws Exception {
        dir = Files.createTempDirectory("rate-ticker-db-it");
        dbPort = PackagedApp.freePort();
        startDatabase();
        try (PackagedApp app = new PackagedApp(dir, "jdbc:h2:tcp://127.0.0.1:" + dbPort + "/ticker")) {
            app.start(PackagedApp.PROBE_EACH_SECOND);
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            write(app, today, "88.5").statusCode(200);
            OpenApiContract api = OpenApiContract.of(URI.create(app.base() + "/"));
            // a value of NBK's held back for its jump, for a release to be refused below
            feed(app, "16.01.2020", "450.10");
            assertThat(feed(app, "17.01.2020", "900.00").body()).contains("\"outcome\":\"rejected\"");
            // the last answer before the outage, which every read during it must give
            String body = app.api().get("/api/v1/rates").then().statusCode(200).extract().asString();

            database.destroyForcibly().waitFor();

            // Readiness stays UP (every read is served from memory): the store's state is the well check and the gauge
            app.awaitStore("DOWN");
            app.api().get("/q/health/well").then()
                    .body("checks.find { it.name == 'store' }.data.writes", notNullValue());
            assertThat(app.api().get("/q/metrics").asString()).containsPattern("(?m)^ticker_store_up(\\{.*})? 0(\\.0)?$");
            assertThat(app.api().get("/api/v1/rates").then().statusCode(200).extract().asString()).isEqualTo(body);
            app.api().get("/api/v1/rates/KGS/history").then().statusCode(200)
                    .body("points.perUsd", hasItem(number("88.5")));
            try (SseClient stream = SseClient.open(URI.create(app.base() + "/api/v1/stream"), Map.of())) {
                assertThat(stream.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            }
            write(app, today, "88.6").statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", equalTo("30"))
                    .body("detail", containsString("unavailable"));
            api.check("POST", "/api/v1/admin/rates", send(app, "POST", "/api/v1/admin/rates",
                    "{\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"" + today + "\",\"perUsd\":88.6}]}"));
            api.check("POST", "/api/v1/admin/sources/{id}/documents", feed(app, "18.01.2020", "451.00"));
            api.check("POST", "/api/v1/admin/rejections/{source}/{currency}/{asOf}/release",
                    send(app, "POST", "/api/v1/admin/rejections/nbk/KZT/2020-01-17/release", ""));
            api.check("DELETE", "/api/v1/admin/observations/{source}/{currency}/{asOf}",
                    send(app, "DELETE", "/api/v1/admin/observations/nbk/KZT/2020-01-16", ""));
            assertThat(api.checked()).containsExactlyInAnyOrder("postRates 503", "feedDocument 503",
                    "releaseRejection 503", "deleteObservation 503");
            app.api().get("/q/health/live").then().statusCode(200);

            startDatabase();

            app.awaitStore("UP"); // the probe sees it back, without a write
            assertThat(app.api().get("/q/metrics").asString()).containsPattern("(?m)^ticker_store_up(\\{.*})? 1(\\.0)?$");
            write(app, today, "88.7").statusCode(200).body("accepted", equalTo(1));
            app.api().get("/api/v1/rates/KGS").then().body("perUsd", number("88.7"));
        }
    }

    private static ValidatableResponse write(PackagedApp app, String asOf, String perUsd) {
        return app.api().auth().oauth2(PackagedApp.TOKEN).contentType(ContentType.JSON)
                .body("{\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"" + asOf + "\",\"perUsd\":" + perUsd + "}]}")
                .post("/api/v1/admin/rates").then();
    }

    private static HttpResponse<String> feed(PackagedApp app, String date, String value) throws Exception {
        return send(app, "POST", "/api/v1/admin/sources/nbk/documents",
                new String(Specimens.nbk(date, value), StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(PackagedApp app, String method, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.base() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + PackagedApp.TOKEN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void startDatabase() throws Exception {
        database = new ProcessBuilder(PackagedApp.java(), "-cp", PackagedApp.h2Jar().toString(), "org.h2.tools.Server",
                "-tcp", "-tcpPort", String.valueOf(dbPort), "-ifNotExists", "-baseDir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("h2.log").toFile()))
                .start();
        Awaitility.await("the H2 server; see " + dir.resolve("h2.log")).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(java.io.IOException.class)
                .until(() -> {
                    try (var socket = new java.net.Socket("127.0.0.1", dbPort)) {
                        return true;
                    }
                });
    }
}
