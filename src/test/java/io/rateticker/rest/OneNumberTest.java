package io.rateticker.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.Numbers;
import io.rateticker.source.Specimens;
import io.restassured.path.json.JsonPath;

/**
 * One publication, one number, on every door (issue 28's reproductions): the banks' real documents fed with their
 * dates moved around a weekend, the clock on Monday 2026-05-25 06:00 UTC. NBK 21, 22 and 25 May, NBKR and CBT 22 May,
 * and a Bank of Russia table dated Saturday 23 May, whose crosses a bank's Friday rate in force outranks.
 */
@QuarkusTest
@TestProfile(OneNumberTest.Profile.class)
class OneNumberTest {

    /** A store of its own. */
    public static class Profile implements QuarkusTestProfile {
    }

    @jakarta.inject.Inject
    io.rateticker.TestClock clock;

    private static final List<String> DAYS = List.of("2026-05-21", "2026-05-22", "2026-05-23", "2026-05-24",
            "2026-05-25");
    private static boolean fed;

    @BeforeEach
    void feedTheBanksOnce() {
        if (fed) {
            return;
        }
        feed("nbk", Specimens.nbk("21.05.2026", "479.00"));
        feed("nbk", Specimens.nbk("22.05.2026", "480.00"));
        feed("nbk", Specimens.nbk("25.05.2026", "482.40"));
        feed("nbkr", moved("nbkr-daily.xml", "24.05.2026", "22.05.2026"));
        feed("cbt", moved("cbt-21052026.xml", "21.05.2026", "22.05.2026"));
        feed("cbr", moved("cbr-xml-daily-2026-04-25.xml", "25.04.2026", "23.05.2026"));
        fed = true;
    }

    private static void feed(String source, byte[] document) {
        given().auth().oauth2(Admin.TOKEN).body(document).when().post("/api/v1/admin/sources/" + source + "/documents")
                .then().statusCode(200);
    }

    private static byte[] moved(String specimen, String date, String to) {
        String text = new String(Specimens.bytes(specimen), StandardCharsets.ISO_8859_1);
        assertThat(text).contains(date);
        return text.replace(date, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static JsonPath json(String path) {
        return given().config(Numbers.exact()).when().get(path).then().statusCode(200).extract().jsonPath();
    }

    /** A Saturday and a Sunday have Friday's rate of each bank, not the Bank of Russia's cross of Saturday. */
    @Test
    void aWeekendHasTheBanksFridayRate() {
        for (String day : List.of("2026-05-23", "2026-05-24")) {
            JsonPath rates = json("/api/v1/rates?symbols=KZT,KGS&date=" + day);
            assertThat(rates.getString("rates.find { it.currency == 'KZT' }.source")).as(day).isEqualTo("nbk");
            assertThat(rates.getString("rates.find { it.currency == 'KZT' }.asOf")).as(day).isEqualTo("2026-05-22");
            assertThat(rates.getString("rates.find { it.currency == 'KGS' }.source")).as(day).isEqualTo("nbkr");
            assertThat(rates.getString("rates.find { it.currency == 'KGS' }.asOf")).as(day).isEqualTo("2026-05-22");
        }
        JsonPath convert = json("/api/v1/convert?from=USD&to=KZT&amount=100&date=2026-05-24");
        assertThat(convert.getString("path")).isEqualTo("direct");
        assertThat(convert.getList("sources")).containsExactly("nbk");
        assertThat(convert.getString("asOf")).isEqualTo("2026-05-22");
        JsonPath history = json("/api/v1/rates/KZT/history?from=2026-05-21&to=2026-05-25");
        assertThat(history.getList("points.asOf")).containsExactly("2026-05-21", "2026-05-22", "2026-05-25");
        assertThat(history.getList("points.source")).containsOnly("nbk");
        JsonPath week = json("/api/v1/timeseries?symbols=KZT&from=2026-05-18&to=2026-05-24&group=week");
        assertThat(week.getList("rows.publications", Integer.class)).containsExactly(2);
        assertThat(List.of(week.getString("rows[0].highAsOf"), week.getString("rows[0].lowAsOf")))
                .containsOnly("2026-05-21", "2026-05-22");
    }

    /**
     * Now, on each date and in the series: the same value, date, source and change, against USD and against the
     * tenge (a cross of the manat and NBK's own dollar rate).
     */
    @Test
    void nowOnADateAndInTheSeriesAgree() {
        for (String[] pair : new String[][] { { "KGS", "USD" }, { "KZT", "USD" }, { "TJS", "USD" }, { "TMT", "KZT" },
                { "KGS", "KZT" }, { "USD", "KZT" }, { "KZT", "TMT" }, { "RUB", "KGS" } }) {
            String base = "&base=" + pair[1];
            List<Map<String, Object>> points = json("/api/v1/rates/" + pair[0] + "/history?from=2026-04-01&to=2026-05-27"
                    + base).getList("points");
            for (String day : DAYS) {
                String what = pair[0] + "/" + pair[1] + " on " + day;
                var answer = given().config(Numbers.exact()).when().get("/api/v1/rates/" + pair[0] + "?date=" + day + base);
                // the point in force on the day: the last one served from it or before
                var inForce = points.stream()
                        .filter(p -> !LocalDate.parse((String) p.get("servedFrom")).isAfter(LocalDate.parse(day)))
                        .reduce((a, b) -> b);
                if (answer.statusCode() == 404) {
                    assertThat(inForce).as(what + ": a point where there is no rate").isEmpty();
                    continue;
                }
                Map<String, Object> rate = answer.then().statusCode(200).extract().jsonPath().getMap("$");
                Map<String, Object> point = inForce.orElseThrow(() -> new AssertionError(what + ": no point of " + rate));
                assertThat(rate.get("asOf")).as(what + ": asOf").isEqualTo(point.get("asOf"));
                assertThat(rate.get("source")).as(what + ": source").isEqualTo(point.get("source"));
                assertThat(rate.get("rate")).as(what + ": rate").isEqualTo(point.get("rate"));
                assertThat(rate.get("changePercent")).as(what + ": change").isEqualTo(point.get("changePercent"));
            }
            Map<String, Object> now = json("/api/v1/rates/" + pair[0] + "?" + base.substring(1)).getMap("$");
            Map<String, Object> today = json("/api/v1/rates/" + pair[0] + "?date=2026-05-25" + base).getMap("$");
            assertThat(now).as(pair[0] + "/" + pair[1] + " now and today").isEqualTo(today);
        }
    }

    /** Convert gives exactly the rate that {@code /rates?base=} serves: NBK has no manat, so TMT/KZT is a cross. */
    @Test
    void convertGivesTheRateTheRatesServe() {
        JsonPath rate = json("/api/v1/rates/TMT?base=KZT");
        JsonPath convert = json("/api/v1/convert?from=TMT&to=KZT&amount=1");
        assertThat(rate.getBoolean("cross")).isTrue();
        assertThat(convert.getString("path")).isEqualTo("cross");
        assertThat((Object) convert.get("rate")).isEqualTo(rate.get("rate"));
        assertThat(convert.getList("sources")).isEqualTo(rate.getList("sources"));
        JsonPath back = json("/api/v1/convert?from=KZT&to=TMT&amount=1");
        assertThat((Object) back.get("rate")).isEqualTo(json("/api/v1/rates/KZT?base=TMT").get("rate"));
    }

    /**
     * A late (or backfilled) day meets the guard against its later neighbour: NBK's 19 May with a tenfold typo, fed
     * after the 21st, is held back and listed, and never served.
     */
    @Test
    void aLateDayWithATypoIsHeldBackAgainstItsLaterNeighbour() {
        given().auth().oauth2(Admin.TOKEN).body(Specimens.nbk("19.05.2026", "4800.00")).when()
                .post("/api/v1/admin/sources/nbk/documents").then().statusCode(200)
                .body("rejected", org.hamcrest.Matchers.equalTo(1));
        JsonPath rejections = given().auth().oauth2(Admin.TOKEN).when().get("/api/v1/admin/rejections").then()
                .statusCode(200).extract().jsonPath();
        assertThat(rejections.getList("findAll { it.source == 'nbk' && it.asOf == '2026-05-19' }.reason"))
                .singleElement().asString().contains("from 479 (nbk, 2026-05-21)");
        assertThat(json("/api/v1/rates/KZT/history?from=2026-05-18&to=2026-05-25").getList("points.asOf"))
                .doesNotContain("2026-05-19");
        assertThat(json("/api/v1/rates/KZT?date=2026-05-19").getString("source")).isNotEqualTo("nbk");
    }

    /**
     * Time alone moves the value in force: once NBKR's Monday rate is overdue (17:00 Bishkek and 6 hours' grace, 17:00
     * UTC), its Friday rate lapses, and the Bank of Russia's cross of Saturday, in force until Tuesday's is due, serves
     * the som from Monday, dated the 23rd, on every door; the pairs of other bases (a cross with NBK's tenge) follow.
     * The other tests of this class hold on either side of the lapse: they ask about past days, and about today as
     * it stands now.
     */
    @Test
    void whenABanksRateLapsesTheNextSourceInForceServesFromThatDay() {
        java.time.Instant mondayEvening = java.time.Instant.parse("2026-05-25T18:00:00Z");
        clock.advance(java.time.Duration.between(clock.instant(), mondayEvening));
        JsonPath now = json("/api/v1/rates/KGS");
        assertThat(now.getString("source")).isEqualTo("cbr");
        assertThat(now.getString("asOf")).isEqualTo("2026-05-23");
        assertThat(now.getBoolean("stale")).isFalse();
        assertThat(now.getString("previousSource")).isEqualTo("nbkr");
        assertThat(now.getMap("$")).isEqualTo(json("/api/v1/rates/KGS?date=2026-05-25").getMap("$"));
        List<Map<String, Object>> points = json("/api/v1/rates/KGS/history?from=2026-05-20&to=2026-05-25").getList("points");
        assertThat(points.get(points.size() - 1)).containsEntry("source", "cbr").containsEntry("asOf", "2026-05-23")
                .containsEntry("servedFrom", "2026-05-25").containsEntry("changePercent", now.get("changePercent"));
        // Sunday is still NBKR's Friday rate
        assertThat(json("/api/v1/rates/KGS?date=2026-05-24").getString("source")).isEqualTo("nbkr");
        assertThat(json("/api/v1/rates/KGS?base=KZT").getList("sources")).containsExactly("cbr", "nbk");
    }
}
