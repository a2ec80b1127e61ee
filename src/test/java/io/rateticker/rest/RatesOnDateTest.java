package io.rateticker.rest;

import static io.rateticker.Numbers.number;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.Admin;
import io.rateticker.TestClock;

/**
 * {@code ?date=}: the rates in force on a day, each currency's latest publication dated on or before it. TMT is
 * written here on Friday 3 and Monday 6 April 2026, long before the dates other tests write (the clock stands at
 * 25 May 2026).
 */
@QuarkusTest
class RatesOnDateTest {

    @BeforeEach
    void fridayAndMonday() {
        Admin.post("{\"source\":\"manual\",\"rates\":[{\"currency\":\"TMT\",\"asOf\":\"2026-04-03\",\"perUsd\":3.5},"
                + "{\"currency\":\"TMT\",\"asOf\":\"2026-04-06\",\"perUsd\":3.507}]}").statusCode(200);
    }

    @Test
    void aSaturdayHasFridaysRateAndAMondayItsOwnWithTheChange() {
        given().get("/api/v1/rates?symbols=TMT&date=2026-04-04").then().statusCode(200)
                .header("Cache-Control", "public, max-age=86400")
                .body("date", equalTo("2026-04-04"))
                .body("base", equalTo("USD"))
                .body("rates[0].pair", equalTo("TMT/USD"))
                .body("rates[0].asOf", equalTo("2026-04-03"))
                .body("rates[0].perUsd", number("3.5"))
                .body("rates[0].source", equalTo("manual"));
        String monday = given().get("/api/v1/rates/TMT?date=2026-04-06").then().statusCode(200)
                .header("Cache-Control", "public, max-age=86400")
                .body("asOf", equalTo("2026-04-06"))
                .body("perUsd", number("3.507"))
                .body("previousAsOf", equalTo("2026-04-03"))
                // TMT/USD fell: 1/3.507 against 1/3.5
                .body("changePercent", number("-0.1996"))
                .extract().asString();
        assertThat(monday).contains("\"previousRate\":0.285714285714,");
        // a conversion on Saturday uses Friday's rate: 350 TMT are 100 USD
        given().get("/api/v1/convert?from=TMT&to=USD&amount=350&date=2026-04-04").then().statusCode(200)
                .header("Cache-Control", "public, max-age=86400")
                .body("result", number("100"))
                .body("asOf", equalTo("2026-04-03"));
        // a day later, Monday's rate is still in force
        given().get("/api/v1/rates/TMT?date=2026-04-07").then().statusCode(200).body("asOf", equalTo("2026-04-06"));
    }

    /**
     * On a day no served rate is dated after (the latest any test may write: two days ahead of the clock, as a bank's
     * next-day rate may be), the rates in force are the current ones, as served, and cached as they are.
     */
    @Test
    void aDayNoRateIsDatedAfterGivesTheCurrentAnswer() {
        Map<String, Object> current = given().get("/api/v1/rates").then().extract().jsonPath().getMap("");
        given().get("/api/v1/rates?date=" + TestClock.LATEST_AS_OF).then().statusCode(200)
                .header("Cache-Control", "public, max-age=30")
                .body("rates", equalTo(current.get("rates")))
                .body("sequence", equalTo(current.get("sequence")));
    }

    @Test
    void beforeAnyDataIsA404NamingTheEarliestDateAndOtherDatesAre400() {
        List<String> dates = given().get("/api/v1/rates/TMT/history?from=2025-06-01&to=2026-05-31").then()
                .extract().jsonPath().getList("points.asOf");
        given().get("/api/v1/rates?symbols=TMT&date=2000-01-01").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("date: no rate of TMT is dated on or before 2000-01-01; the earliest is of "
                        + dates.get(0)));
        given().get("/api/v1/rates/TMT?date=2000-01-01").then().statusCode(404)
                .body("detail", containsString("the earliest is of " + dates.get(0)));
        given().get("/api/v1/rates?date=" + TestClock.LATEST_AS_OF).then().statusCode(200); // as far ahead as rates go
        given().get("/api/v1/rates?date=2026-05-28").then().statusCode(400)
                .body("detail", equalTo("date: 2026-05-28 is more than 2 days ahead; no rate is dated that far ahead"));
        given().get("/api/v1/rates?date=2026-4-1").then().statusCode(400)
                .body("detail", equalTo("date: '2026-4-1' is not a date of the form YYYY-MM-DD"));
        assertThat(dates).isNotEmpty();
    }

    @Test
    void eachDayIsItsOwnRepresentation() {
        String saturday = given().get("/api/v1/rates?date=2026-04-04").header("ETag");
        String monday = given().get("/api/v1/rates?date=2026-04-06").header("ETag");
        assertThat(saturday).isNotEqualTo(monday);
        given().header("If-None-Match", saturday).get("/api/v1/rates?date=2026-04-04").then().statusCode(304);
        given().get("/api/v1/rates").then().body("date", nullValue());
    }
}
