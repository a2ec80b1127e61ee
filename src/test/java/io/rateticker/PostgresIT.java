package io.rateticker;

import static io.rateticker.Numbers.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

/**
 * The same packaged application on PostgreSQL, switched by environment exactly as an operator switches the image
 * (TICKER_DATABASE=postgresql, TICKER_DATABASE_URL, _USER, _PASSWORD): the same migrations, the bundled rates,
 * writes that survive a kill.
 */
class PostgresIT {

    private String url;

    @BeforeEach
    void createDatabase() throws Exception {
        url = PostgresServer.shared().createDatabase();
    }

    @Test
    void theSameImageRunsOnPostgresqlAndLosesNothingOnACrash() throws Exception {
        Path dir = Files.createTempDirectory("rate-ticker-pg-it");
        Map<String, String> environment = Map.of(
                "TICKER_DATABASE", "postgresql",
                "TICKER_DATABASE_URL", url,
                "TICKER_DATABASE_USER", PostgresServer.USER,
                "TICKER_DATABASE_PASSWORD", "");
        try (PackagedApp app = new PackagedApp(dir, environment)) {
            app.start();
            // the store takes writes (it is PostgreSQL: the change log is read there below)
            app.api().get("/q/health/well").then().body("checks.find { it.name == 'store' }.status", equalTo("UP"));
            app.api().get("/api/v1/rates/KZT").then().statusCode(200)
                    .body("source", equalTo("bundled")).body("changePercent", number("0.7746"));

            String today = LocalDate.now(ZoneOffset.UTC).toString();
            app.api().auth().oauth2(PackagedApp.TOKEN).contentType(ContentType.JSON)
                    .body("{\"rates\":[{\"currency\":\"UZS\",\"asOf\":\"" + today + "\",\"rate\":0.0000820061}]}")
                    .post("/api/v1/admin/rates").then().statusCode(200).body("accepted", equalTo(1));
            String sequence = snapshotId(app);

            app.kill();
            app.start();

            app.api().get("/api/v1/rates/UZS").then().statusCode(200)
                    .body("rate", number("0.0000820061")).body("asOf", equalTo(today));
            assertThat(snapshotId(app)).isEqualTo(sequence);
            app.api().get("/api/v1/currencies").then().body("find { it.code == 'UZS' }.sources", hasItem("manual"));
        }
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "");
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM change_log WHERE currency = 'UZS' AND source = 'manual'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    private static String snapshotId(PackagedApp app) throws Exception {
        try (SseClient stream = SseClient.open(URI.create(app.base() + "/api/v1/stream"), Map.of())) {
            return stream.next(Duration.ofSeconds(5)).id();
        }
    }
}
