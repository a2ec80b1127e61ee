package io.rateticker.source;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.rateticker.Numbers.number;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.LogCapture;
import io.rateticker.Metrics;
import io.rateticker.Numbers;
import io.rateticker.TestClock;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * CBU announces the next day's rate in the afternoon, at its dated address only: it is fetched once its calendar says
 * it is out, and served with its own {@code asOf}. Moves the clock, so it has an application of its own.
 */
@QuarkusTest
@TestProfile(NextDayRateTest.Profile.class)
class NextDayRateTest {

    /** The banks of {@link UpstreamStub}, in an application of its own. */
    public static class Profile extends UpstreamProfile {
    }

    private static final String TOMORROW = "/cbu/json/all/2026-05-26/";

    @UpstreamStub.Inject
    WireMockServer upstream;

    @Inject
    TestClock clock;

    @BeforeAll
    static void exactNumbers() {
        RestAssured.config = Numbers.exact();
    }

    private static JsonPath refreshCbu() {
        return given().auth().oauth2(Admin.TOKEN).queryParam("source", "cbu")
                .when().post("/api/v1/admin/refresh").then().statusCode(200).extract().jsonPath();
    }

    private static String cbu(String date, String rate) {
        return "[{\"Ccy\":\"USD\",\"Nominal\":\"1\",\"Rate\":\"" + rate + "\",\"Date\":\"" + date + "\"}]";
    }

    private static double notPublished() {
        Double value = Metrics.value(Metrics.scrape(), "ticker_source_fetch_total", "source=\"cbu\"",
                "outcome=\"not_published\"");
        return value == null ? 0 : value;
    }

    @Test
    void theNextDayRateIsFetchedOnceAnnouncedAndServedWithItsDate() {
        // Monday 11:00 in Tashkent: before 13:00 nothing is asked for tomorrow
        assertThat(refreshCbu().getString("[0].outcome")).isIn("success", "not_modified");
        upstream.verify(0, getRequestedFor(urlEqualTo(TOMORROW)));

        // 14:00: tomorrow's is asked for; CBU answers with the rate in force today (not announced yet)
        clock.advance(Duration.between(TestClock.START, Instant.parse("2026-05-25T09:00:00Z")));
        upstream.stubFor(get(urlEqualTo(TOMORROW)).willReturn(aResponse().withStatus(200)
                .withBody(cbu("25.05.2026", "12090.10"))));
        double before = notPublished();
        try (LogCapture log = LogCapture.start(r -> r.getLoggerName().equals("io.rateticker.service.FetchScheduler"))) {
            refreshCbu();
            assertThat(log.lines()).as("not announced yet is no failure").noneMatch(line -> line.contains("WARN"));
        }
        // at least once: the fetch at start (with its backfill) may still be under way and ask too
        upstream.verify(moreThanOrExactly(1), getRequestedFor(urlEqualTo(TOMORROW)));
        assertThat(notPublished()).isGreaterThanOrEqualTo(before + 1);
        when().get("/api/v1/rates/UZS").then().body("asOf", equalTo("2026-04-25")); // the Bank of Russia's, still

        // announced: stored and served as the official rate of tomorrow
        upstream.stubFor(get(urlEqualTo(TOMORROW)).willReturn(aResponse().withStatus(200)
                .withBody(cbu("26.05.2026", "12080.50"))));
        refreshCbu();
        when().get("/api/v1/rates/UZS").then().body("source", equalTo("cbu")).body("asOf", equalTo("2026-05-26"))
                .body("perUsd", number("12080.5")).body("stale", equalTo(false));

        // once had, it is not asked for again
        upstream.resetRequests();
        refreshCbu();
        upstream.verify(0, getRequestedFor(urlEqualTo(TOMORROW)));
    }
}
