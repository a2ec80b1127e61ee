package io.rateticker.rest;

import static io.rateticker.Numbers.number;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.Numbers;
import io.restassured.path.json.JsonPath;

/**
 * {@code ?base=}: the rates in another currency than USD. USD/KZT is the tenge's own dollar rate; KGS/KZT a cross of
 * two dollar rates, marked so. Expected values are worked out by hand from the values written here.
 */
@QuarkusTest
@TestProfile(BaseTest.Profile.class)
class BaseTest {

    /** An application of its own: the dollar rates written here would be earlier history to other tests. */
    public static class Profile implements QuarkusTestProfile {
    }

    /** A Friday and a Monday. */
    @BeforeEach
    void kztAndKgsInAugust2025() {
        Admin.post("{\"source\":\"manual\",\"rates\":["
                + "{\"currency\":\"KZT\",\"asOf\":\"2025-08-01\",\"perUsd\":538},"
                + "{\"currency\":\"KZT\",\"asOf\":\"2025-08-04\",\"perUsd\":540.5},"
                + "{\"currency\":\"KGS\",\"asOf\":\"2025-08-01\",\"perUsd\":87.3},"
                + "{\"currency\":\"KGS\",\"asOf\":\"2025-08-04\",\"perUsd\":87.4},"
                + "{\"currency\":\"KGS\",\"asOf\":\"2025-08-05\",\"perUsd\":87.5}]}").statusCode(200);
    }

    /**
     * On the 5th only the som moved: the cross is of that day, and its change is that day's move, from the cross of
     * the 4th, as the series shows it.
     */
    @Test
    void aCrossIsOfTheDayItLastMovedAndItsChangeIsThatMove() {
        given().config(Numbers.exact()).get("/api/v1/rates/KGS?base=KZT&date=2025-08-06").then().statusCode(200)
                .body("rate", number("6.17714285714")) // 540.5 / 87.5
                .body("asOf", equalTo("2025-08-05"))
                .body("previousRate", number("6.18421052632")) // 540.5 / 87.4
                .body("previousAsOf", equalTo("2025-08-04"))
                .body("changePercent", number("-0.1143")); // 87.4 / 87.5 − 1
        given().config(Numbers.exact()).get("/api/v1/rates/KGS/history?base=KZT&from=2025-08-01&to=2025-08-06").then()
                .body("points.asOf", contains("2025-08-01", "2025-08-04", "2025-08-05"))
                .body("points.changePercent[2]", number("-0.1143"));
    }

    /**
     * No bank here publishes the euro in tenge, and the manat has no rate as early as August 2025: the answer names
     * them rather than leave them out without a word.
     */
    @Test
    void aRequestedSymbolWithNoValueIsNamedAsMissing() {
        given().get("/api/v1/rates?base=KZT&symbols=USD,KGS,TMT,EUR").then().statusCode(200)
                .body("rates.currency", contains("USD", "KGS", "TMT"))
                .body("missing", contains("EUR"));
        given().get("/api/v1/rates?base=KZT&symbols=USD,KGS,TMT,EUR&date=2025-08-04").then().statusCode(200)
                .body("rates.currency", contains("USD", "KGS"))
                .body("missing", contains("TMT", "EUR"));
        for (String date : new String[] { "", "&date=2025-08-04" }) {
            given().get("/api/v1/rates?base=KZT&symbols=USD,KGS" + date).then().statusCode(200)
                    .body("$", not(hasKey("missing")));
        }
    }

    @Test
    void theDollarInTengeIsTheBanksOwnValueAndOtherPairsAreMarkedCrosses() {
        given().config(Numbers.exact()).get("/api/v1/rates?base=kzt&symbols=KGS,USD&date=2025-08-04").then()
                .statusCode(200)
                .body("base", equalTo("KZT"))
                .body("rates.pair", contains("USD/KZT", "KGS/KZT")) // USD first, as the base quotes them
                .body("rates[0].currency", equalTo("USD"))
                .body("rates[0].rate", number("540.5"))
                .body("rates[0].perUsd", number("1"))
                .body("rates[0].inverse", number("0.00185013876041")) // 1 / 540.5
                .body("rates[0].previousRate", number("538"))
                .body("rates[0].changePercent", number("0.4647")) // the dollar rose against the tenge
                .body("rates[0].previousAsOf", equalTo("2025-08-01"))
                .body("rates[0].source", equalTo("manual"))
                .body("rates[0].cross", equalTo(false))
                .body("rates[0]", not(hasKey("sources")))
                .body("rates[1].rate", number("6.18421052632")) // 540.5 / 87.4
                .body("rates[1].inverse", number("0.16170212766")) // 87.4 / 540.5
                .body("rates[1].perUsd", number("87.4"))
                .body("rates[1].previousRate", number("6.16265750286")) // 538 / 87.3
                .body("rates[1].changePercent", number("0.3497"))
                .body("rates[1].asOf", equalTo("2025-08-04"))
                .body("rates[1].cross", equalTo(true))
                .body("rates[1].source", equalTo("cross"))
                .body("rates[1].sources", contains("manual", "manual"));
        given().config(Numbers.exact()).get("/api/v1/rates/USD?base=KZT&date=2025-08-02").then().statusCode(200)
                .body("pair", equalTo("USD/KZT")).body("rate", number("538")).body("asOf", equalTo("2025-08-01"));
    }

    /** The history and the series of a pair against the tenge, in the same values as the rates on each date. */
    @Test
    void historyAndSeriesAgainstTheTenge() {
        given().config(Numbers.exact()).get("/api/v1/rates/KGS/history?base=KZT&from=2025-08-01&to=2025-08-04").then()
                .statusCode(200)
                .body("pair", equalTo("KGS/KZT")).body("base", equalTo("KZT"))
                .body("points.asOf", contains("2025-08-01", "2025-08-04"))
                .body("points.rate", contains(number("6.16265750286"), number("6.18421052632")))
                .body("points.changePercent[1]", number("0.3497"))
                .body("points.source", contains("cross", "cross"));
        given().config(Numbers.exact()).get("/api/v1/timeseries?base=KZT&symbols=USD&from=2025-08-01&to=2025-08-04"
                + "&group=month").then().statusCode(200)
                .body("base", equalTo("KZT")).body("symbols", contains("USD"))
                .body("rows[0].pair", equalTo("USD/KZT")).body("rows[0].open", number("538"))
                .body("rows[0].high", number("540.5")).body("rows[0].highAsOf", equalTo("2025-08-04"));
    }

    @Test
    void nowThePairsAgreeWithTheDollarRates() {
        JsonPath dollar = JsonPath.from(given().get("/api/v1/rates").asString());
        JsonPath tenge = JsonPath.from(given().get("/api/v1/rates?base=KZT").then().statusCode(200).extract().asString());
        assertThat(tenge.getList("rates.pair")).containsExactly("USD/KZT", "KGS/KZT", "TJS/KZT", "UZS/KZT", "TMT/KZT");
        Map<String, Object> kzt = dollar.getMap("rates.find { it.currency == 'KZT' }");
        assertThat(tenge.getString("rates[0].rate")).isEqualTo(String.valueOf(kzt.get("perUsd")));
        assertThat(tenge.getString("rates[0].inverse")).isEqualTo(String.valueOf(kzt.get("rate")));
        assertThat(tenge.getString("rates[0].asOf")).isEqualTo(kzt.get("asOf"));
        assertThat(tenge.getBoolean("rates[0].stale")).isEqualTo(kzt.get("stale"));
        given().get("/api/v1/rates/KGS?base=KZT").then().statusCode(200)
                .body("pair", equalTo("KGS/KZT")).body("cross", equalTo(true));
        // against USD nothing changes: the same bytes, with or without the parameter
        assertThat(given().get("/api/v1/rates?base=USD").header("ETag")).isEqualTo(given().get("/api/v1/rates").header("ETag"));
        given().get("/api/v1/rates/KGS").then().body("$", not(hasKey("inverse"))).body("$", not(hasKey("cross")));
    }

    @Test
    void aBaseWithoutItsBankAndTheBaseAgainstItselfAreRefused() {
        given().get("/api/v1/rates?base=EUR").then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("base: 'EUR' is not a base here; bases are USD,KGS,KZT,TJS,UZS,TMT,RUB (USD, and each"
                        + " currency whose central bank is a source)"));
        given().get("/api/v1/rates?base=KZT&symbols=KZT").then().statusCode(400).body("detail", containsString("'KZT'"));
        given().get("/api/v1/rates/USD").then().statusCode(404);
        given().get("/api/v1/rates?base=KZT&date=2000-01-01").then().statusCode(404)
                .body("detail", containsString("no rate of USD/KZT,KGS/KZT,TJS/KZT,UZS/KZT,TMT/KZT,EUR/KZT,RUB/KZT,CNY/KZT is dated on or"
                        + " before 2000-01-01; the earliest is of"));
    }
}
