package io.rateticker.source;

import static io.restassured.RestAssured.when;

import java.time.Duration;

import org.awaitility.Awaitility;

import io.rateticker.Metrics;
import io.restassured.path.json.JsonPath;

/** What the service says of its sources, read as a client reads it: /api/v1/sources and the metrics. */
final class SourceViews {

    private SourceViews() {
    }

    static JsonPath source(String id) {
        return JsonPath.from(when().get("/api/v1/sources").then().statusCode(200).extract().asString())
                .setRootPath("find { it.id == '" + id + "' }");
    }

    static double fetches(String source, String outcome) {
        Double value = Metrics.value(Metrics.scrape(), "ticker_source_fetch_total", "source=\"" + source + "\"",
                "outcome=\"" + outcome + "\"");
        return value == null ? 0 : value;
    }

    /**
     * Until the start's fetches and backfills are done: they run in the background, and a test that stops the stub
     * or counts its requests meanwhile would see them. Every bank but NBKR (no archive by date) has a backfill.
     */
    static void awaitTheStart() {
        Awaitility.await("startup fetch and backfill finish").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).until(() -> when().get("/api/v1/sources").jsonPath()
                        .getList("findAll { it.id != 'nbkr' && it.enabled }.findAll { it.backfill == null"
                                + " || it.backfill.done < it.backfill.total }").isEmpty());
    }
}
