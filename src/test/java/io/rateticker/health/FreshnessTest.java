package io.rateticker.health;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.Metrics;
import io.rateticker.SseClient;
import io.rateticker.TestClock;
import io.rateticker.source.Specimens;
import io.restassured.path.json.JsonPath;

/**
 * Staleness by the banks' publication calendars, seen through the JSON, the stream, the health check, the sources
 * and the metrics. The banks are not fetched: their documents are fed by hand, dated as the test needs. Moves the
 * clock, so it runs in an application of its own.
 */
@QuarkusTest
@TestProfile(FreshnessTest.Profile.class)
class FreshnessTest {

    /** Monday 25 May 2026 is a holiday of CBU's (not of NBK's). */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ticker.sources.cbu.holidays", "2026-01-01,2026-05-25");
        }
    }

    @Inject
    TestClock clock;

    @TestHTTPResource("/api/v1/stream")
    URI stream;

    private static void feed(String source, byte[] document) {
        given().auth().oauth2(Admin.TOKEN).contentType("application/octet-stream").body(document)
                .when().post("/api/v1/admin/sources/" + source + "/documents").then().statusCode(200);
    }

    private static byte[] nbk(String date, String value) {
        return Specimens.nbk(date, value);
    }

    private static byte[] cbu(String date, String value) {
        return ("[{\"Ccy\":\"USD\",\"Nominal\":\"1\",\"Rate\":\"" + value + "\",\"Date\":\"" + date + "\"}]")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static JsonPath source(String id) {
        return when().get("/api/v1/sources").then().statusCode(200).extract().jsonPath()
                .setRootPath("find { it.id == '" + id + "' }");
    }

    private static double metric(String name, String label) {
        return Metrics.value(Metrics.scrape(), name, label);
    }

    @Test
    void ratesAreStaleWhenTheirBankHasMissedAPublicationAndNotBefore() throws Exception {
        // At the start (Monday 25 May, 06:00 UTC) only the bundled rates are there: always stale.
        when().get("/api/v1/rates").then().body("rates.stale", everyItem(equalTo(true)));
        when().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'rates-fresh' }.data.KGS", equalTo("2026-05-24 bundled (stale)"));
        assertThat(metric("ticker_rate_stale", "currency=\"KZT\"")).isEqualTo(1.0);
        assertThat(source("nbk").getString("latestAsOf")).isNull();
        assertThat(source("nbk").getString("publicationsMissed")).isNull();

        // Friday's rates on Monday at 11:00 in Almaty and Tashkent: the weekend missed no publication.
        feed("nbk", nbk("22.05.2026", "475.50"));
        feed("cbu", cbu("22.05.2026", "12100.5"));
        when().get("/api/v1/rates/KZT").then().body("source", equalTo("nbk")).body("asOf", equalTo("2026-05-22"))
                .body("stale", equalTo(false));
        when().get("/api/v1/rates/UZS").then().body("source", equalTo("cbu")).body("stale", equalTo(false));
        JsonPath nbk = source("nbk");
        assertThat(nbk.getString("expectedAsOf")).isEqualTo("2026-05-22");
        assertThat(nbk.getString("latestAsOf")).isEqualTo("2026-05-22");
        assertThat(nbk.getInt("publicationsMissed")).isZero();
        assertThat(metric("ticker_source_publications_missed", "source=\"nbk\"")).isZero();
        assertThat(metric("ticker_rate_stale", "currency=\"KZT\"")).isZero();

        try (SseClient client = SseClient.open(URI.create(stream + "?symbols=KZT,UZS"), Map.of())) {
            SseClient.Event snapshot = client.nextEvent(Duration.ofSeconds(10));
            assertThat(snapshot.name()).isEqualTo("snapshot");

            // Monday 17:00 in Almaty plus the 6 h grace: Monday's NBK publication is overdue. Nothing is written:
            // time alone turns the rate stale, and the stream hears of it (from the periodic check, or this read).
            clock.advance(Duration.between(TestClock.START, Instant.parse("2026-05-25T18:00:00Z")));
            when().get("/api/v1/rates/KZT").then().body("stale", equalTo(true)).body("asOf", equalTo("2026-05-22"));
            SseClient.Event turned = client.nextEvent(Duration.ofSeconds(15));
            assertThat(turned.name()).isEqualTo("rate");
            assertThat(turned.id()).as("no change in the store: no id").isNull();
            assertThat(JsonPath.from(turned.data()).getString("currency")).isEqualTo("KZT");
            assertThat(JsonPath.from(turned.data()).getBoolean("stale")).isTrue();

            // CBU does not publish on its holiday: UZS stays fresh
            when().get("/api/v1/rates/UZS").then().body("stale", equalTo(false));
            assertThat(source("cbu").getInt("publicationsMissed")).isZero();
            nbk = source("nbk");
            assertThat(nbk.getString("expectedAsOf")).isEqualTo("2026-05-25");
            assertThat(nbk.getInt("publicationsMissed")).isEqualTo(1);
            assertThat(metric("ticker_source_publications_missed", "source=\"nbk\"")).isEqualTo(1.0);
            assertThat(metric("ticker_rate_stale", "currency=\"KZT\"")).isEqualTo(1.0);
            assertThat(metric("ticker_rate_stale", "currency=\"UZS\"")).isZero();
            when().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name == 'rates-fresh' }.data.KZT", equalTo("2026-05-22 nbk (stale)"))
                    .body("checks.find { it.name == 'rates-fresh' }.data.UZS", equalTo("2026-05-22 cbu"));

            // A frozen feed: Friday's document again is received again (a new fetchedAt), and still stale.
            feed("nbk", nbk("22.05.2026", "475.50"));
            SseClient.Event again = client.nextEvent(Duration.ofSeconds(10));
            assertThat(JsonPath.from(again.data()).getString("asOf")).isEqualTo("2026-05-22");
            assertThat(JsonPath.from(again.data()).getBoolean("stale")).isTrue();

            // Monday's publication (of Tuesday's rate) arrives: fresh again, as a change with an id.
            feed("nbk", nbk("26.05.2026", "476.00"));
            SseClient.Event fresh = client.nextEvent(Duration.ofSeconds(10));
            assertThat(fresh.id()).isNotNull();
            assertThat(JsonPath.from(fresh.data()).getString("asOf")).isEqualTo("2026-05-26");
            assertThat(JsonPath.from(fresh.data()).getBoolean("stale")).isFalse();
            assertThat(JsonPath.from(fresh.data()).getString("previousAsOf")).isEqualTo("2026-05-22");
            assertThat(source("nbk").getInt("publicationsMissed")).isZero();
        }

        // A rate written by hand has no calendar: stale ticker.freshness.max-age (36 h) after it was received.
        Admin.write("TMT", "3.5");
        when().get("/api/v1/rates/TMT").then().body("stale", equalTo(false));
        clock.advance(Duration.ofHours(36));
        when().get("/api/v1/rates/TMT").then().body("stale", equalTo(true));
        // ... while Tuesday's NBK rate is fresh until Wednesday's is overdue (Wednesday 23:00 in Almaty)
        when().get("/api/v1/rates/KZT").then().body("stale", equalTo(false));
    }
}
