package io.rateticker.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.Admin;
import io.restassured.response.Response;

/**
 * {@code /api/v1/timeseries}: ten years in one call, grouped by day, week or month, in JSON, CSV and NDJSON that say
 * the same (CSV read back by {@link HistoryFormatsTest#rfc4180}), with validators of its own.
 */
@QuarkusTest
class TimeseriesTest {

    /** Ten years exactly, reaching back to UZS publications that only this test writes. */
    private static final String TEN_YEARS = "/api/v1/timeseries?symbols=UZS,KGS&from=2016-12-05&to=2026-12-05";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void uzsInJanuary2017() {
        Admin.post("{\"source\":\"manual\",\"rates\":["
                + "{\"currency\":\"UZS\",\"asOf\":\"2016-12-30\",\"perUsd\":3231.48},"
                + "{\"currency\":\"UZS\",\"asOf\":\"2017-01-02\",\"perUsd\":3240},"
                + "{\"currency\":\"UZS\",\"asOf\":\"2017-01-03\",\"perUsd\":3235.5},"
                + "{\"currency\":\"UZS\",\"asOf\":\"2017-01-05\",\"perUsd\":3250.25},"
                + "{\"currency\":\"UZS\",\"asOf\":\"2017-01-06\",\"perUsd\":3250.25},"
                + "{\"currency\":\"UZS\",\"asOf\":\"2017-01-31\",\"perUsd\":3300}]}").statusCode(200);
    }

    @Test
    void monthsOfTenYearsSayInEveryFormatWhatTheJsonSays() throws Exception {
        String url = TEN_YEARS + "&group=month";
        JsonNode series = JSON.readTree(given().get(url).then().statusCode(200).contentType("application/json")
                .extract().asString());
        assertThat(series.get("base").asText()).isEqualTo("USD");
        assertThat(series.get("group").asText()).isEqualTo("month");
        assertThat(series.get("from").asText()).isEqualTo("2016-12-05");
        assertThat(series.get("to").asText()).isEqualTo("2026-12-05");
        JsonNode rows = series.get("rows");

        JsonNode january = null;
        for (JsonNode row : rows) {
            if (row.get("currency").asText().equals("UZS") && row.get("period").asText().equals("2017-01")) {
                january = row;
            }
        }
        assertThat(january).as("UZS in 2017-01").isNotNull();
        assertThat(List.of(january.get("openAsOf"), january.get("highAsOf"), january.get("lowAsOf"),
                january.get("closeAsOf")).stream().map(JsonNode::asText).toList())
                .containsExactly("2017-01-02", "2017-01-03", "2017-01-31", "2017-01-31");
        assertThat(january.get("open").decimalValue()).isEqualByComparingTo("0.000308641975309"); // 1 / 3240
        assertThat(january.get("publications").asInt()).isEqualTo(5);
        assertThat(january.get("pair").asText()).isEqualTo("UZS/USD");

        sameInEveryFormat(url, rows);
        sameInEveryFormat(TEN_YEARS, JSON.readTree(given().get(TEN_YEARS).asString()).get("rows"));
    }

    private static void sameInEveryFormat(String url, JsonNode rows) throws IOException {
        List<String> columns = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(columns::add);

        Response csv = given().header("Accept", "text/csv").get(url);
        csv.then().statusCode(200).header("Content-Type", "text/csv;charset=utf-8;header=present");
        List<List<String>> table = HistoryFormatsTest.rfc4180(csv.asString());
        assertThat(table.get(0)).isEqualTo(columns);
        assertThat(table).hasSize(rows.size() + 1);

        Response ndjson = given().queryParam("format", "ndjson").get(url);
        ndjson.then().statusCode(200).header("Content-Type", "application/x-ndjson");
        String text = ndjson.asString();
        assertThat(text).endsWith("}\n").doesNotContain("\r");
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(rows.size()).allMatch(line -> line.startsWith("{\"") && line.endsWith("}"),
                "a JSON object and nothing else");

        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            JsonNode line = JSON.readTree(lines.get(i));
            assertThat(line).as("NDJSON line %d", i).isEqualTo(row);
            for (int c = 0; c < columns.size(); c++) {
                JsonNode expected = row.get(columns.get(c));
                String cell = table.get(i + 1).get(c);
                if (expected.isNull()) {
                    assertThat(cell).isEmpty();
                } else if (expected.isNumber()) {
                    assertThat(new BigDecimal(cell)).as("%s of %s", columns.get(c), row)
                            .isEqualByComparingTo(expected.decimalValue());
                } else {
                    assertThat(cell).as("%s of %s", columns.get(c), row).isEqualTo(expected.asText());
                }
            }
        }
    }

    @Test
    void tenYearsIsTheLongestSpanAndBadParametersAreNamed() {
        given().get("/api/v1/timeseries?from=2016-12-04&to=2026-12-05").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("from 2016-12-04 to 2026-12-05 spans more than 10 years; ask for several shorter spans"));
        given().get("/api/v1/timeseries?from=2026-12-05&to=2026-12-04").then().statusCode(400)
                .body("detail", equalTo("from (2026-12-05) is after to (2026-12-04)"));
        given().get("/api/v1/timeseries?group=year").then().statusCode(400)
                .body("detail", equalTo("group: 'year' is not one of day, week, month"));
        given().get("/api/v1/timeseries?base=EUR").then().statusCode(400)
                .body("detail", containsString("base: 'EUR' is not a base here"));
        given().get("/api/v1/timeseries?symbols=EUR").then().statusCode(400)
                .body("detail", containsString("'EUR' is not tracked"));
        given().get("/api/v1/timeseries?interval=day").then().statusCode(400)
                .body("detail", containsString("interval"));
        given().header("Accept", "text/html").get("/api/v1/timeseries").then().statusCode(406)
                .contentType("application/problem+json");
        given().get("/api/v1/timeseries?base=usd&symbols=UZS&from=2017-01-01&to=2017-01-31").then().statusCode(200)
                .body("base", equalTo("USD")).body("symbols", equalTo(List.of("UZS")))
                .body("rows.asOf", equalTo(List.of("2017-01-02", "2017-01-03", "2017-01-05", "2017-01-06", "2017-01-31")));
    }

    /** Gzip, HEAD and validators of each encoding are checked with every other read in HttpCachingTest. */
    @Test
    void theEtagHoldsUntilTheRatesChangeAndEachFormatHasItsOwn() {
        String url = "/api/v1/timeseries?symbols=UZS&from=2016-12-05&to=2017-02-28&group=week&format=csv";
        Response first = given().get(url);
        first.then().statusCode(200).header("Vary", "Accept, Accept-Encoding")
                .header("Cache-Control", "public, max-age=3600");
        String etag = first.header("ETag");
        assertThat(given().get(url.replace("format=csv", "format=json")).header("ETag")).isNotEqualTo(etag);
        given().header("If-None-Match", etag).get(url).then().statusCode(304).header("ETag", etag);

        Admin.post("{\"source\":\"manual\",\"rates\":[{\"currency\":\"UZS\",\"asOf\":\"2017-01-06\",\"perUsd\":3251}]}")
                .statusCode(200);
        Response changed = given().header("If-None-Match", etag).get(url);
        changed.then().statusCode(200);
        assertThat(changed.asString()).contains("2017-01-06").isNotEqualTo(first.asString());
    }
}
