package io.rateticker.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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
 * {@code /history} as CSV and NDJSON besides JSON, by {@code format=} or {@code Accept}: each parsed back (CSV by an
 * RFC 4180 reader written here, not the service's writer) and compared with the JSON, field by field.
 */
@QuarkusTest
class HistoryFormatsTest {

    /** A range of KGS that only this test writes (long before the dates the other tests use). */
    private static final String HISTORY = "/api/v1/rates/KGS/history?from=2026-03-31&to=2026-04-04";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COLUMNS = List.of("asOf", "pair", "currency", "base", "rate", "perUsd",
            "changePercent", "source", "servedFrom");

    @BeforeEach
    void threeDatesOfKgs() {
        Admin.post("{\"source\":\"manual\",\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"2026-04-01\",\"perUsd\":87.1},"
                + "{\"currency\":\"KGS\",\"asOf\":\"2026-04-02\",\"perUsd\":87.123456789},"
                + "{\"currency\":\"KGS\",\"asOf\":\"2026-04-03\",\"perUsd\":87.2}]}").statusCode(200);
    }

    @Test
    void csvAndNdjsonSayWhatTheJsonSays() throws Exception {
        JsonNode history = JSON.readTree(given().get(HISTORY).then().statusCode(200).extract().asString());
        JsonNode points = history.get("points");
        assertThat(points.size()).as("points in the range").isEqualTo(3);

        Response csv = given().queryParam("format", "csv").get(HISTORY);
        csv.then().statusCode(200).header("Content-Type", "text/csv;charset=utf-8;header=present");
        String text = csv.asString();
        assertThat(text).endsWith("\r\n").doesNotContainPattern("[^\r]\n").doesNotContain("E-").doesNotContain("E+");
        List<List<String>> table = rfc4180(text);
        assertThat(table.get(0)).isEqualTo(COLUMNS);
        assertThat(table).hasSize(points.size() + 1);

        Response ndjson = given().header("Accept", "application/x-ndjson").get(HISTORY);
        ndjson.then().statusCode(200).header("Content-Type", "application/x-ndjson");
        List<String> lines = ndjson.asString().lines().toList();
        assertThat(lines).hasSize(points.size());

        for (int i = 0; i < points.size(); i++) {
            JsonNode point = points.get(i);
            List<String> row = table.get(i + 1);
            JsonNode line = JSON.readTree(lines.get(i));
            List<String> names = new ArrayList<>();
            line.fieldNames().forEachRemaining(names::add);
            assertThat(names).isEqualTo(COLUMNS);
            assertThat(row.get(0)).isEqualTo(point.get("asOf").asText()).isEqualTo(line.get("asOf").asText());
            assertThat(row.subList(1, 4)).containsExactly(history.get("pair").asText(), history.get("currency").asText(),
                    history.get("base").asText());
            assertThat(line.get("pair").asText()).isEqualTo(history.get("pair").asText());
            for (String number : List.of("rate", "perUsd", "changePercent")) {
                JsonNode expected = point.get(number);
                String cell = row.get(COLUMNS.indexOf(number));
                if (expected.isNull()) {
                    assertThat(cell).as("%s of %s, empty", number, point).isEmpty();
                    assertThat(line.get(number).isNull()).isTrue();
                } else {
                    assertThat(new BigDecimal(cell)).as("%s of %s", number, point).isEqualTo(expected.decimalValue());
                    assertThat(line.get(number).decimalValue()).isEqualTo(expected.decimalValue());
                }
            }
            assertThat(row.get(7)).isEqualTo(point.get("source").asText()).isEqualTo(line.get("source").asText());
            assertThat(row.get(8)).isEqualTo(point.get("servedFrom").asText()).isEqualTo(line.get("servedFrom").asText());
        }
    }

    @Test
    void theFormatIsNegotiatedAndEachHasItsOwnEtag() {
        given().header("Accept", "text/csv").get(HISTORY).then().statusCode(200).contentType(containsString("text/csv"))
                .header("Vary", containsString("Accept"));
        given().header("Accept", "text/csv;q=0.5, application/json").get(HISTORY).then().statusCode(200)
                .contentType("application/json");
        given().header("Accept", "text/*").get(HISTORY).then().statusCode(200).contentType(containsString("text/csv"));
        given().header("Accept", "application/json").queryParam("format", "ndjson").get(HISTORY).then().statusCode(200)
                .contentType("application/x-ndjson");
        given().queryParam("format", "xml").get(HISTORY).then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("format: 'xml' is not one of json, csv, ndjson"));
        given().header("Accept", "text/html").get(HISTORY).then().statusCode(406)
                .body("detail", containsString("answers application/json, text/csv, application/x-ndjson"));

        String json = given().get(HISTORY).header("ETag");
        String csv = given().queryParam("format", "csv").get(HISTORY).header("ETag");
        assertThat(csv).isNotEqualTo(json);
        given().queryParam("format", "csv").header("If-None-Match", csv).get(HISTORY).then().statusCode(304);
        given().header("If-None-Match", csv).get(HISTORY).then().statusCode(200);
        // a gzipped CSV is the same table
        assertThat(given().queryParam("format", "csv").header("Accept-Encoding", "gzip").get(HISTORY).asString())
                .isEqualTo(given().queryParam("format", "csv").get(HISTORY).asString());
    }

    /** RFC 4180: fields split by commas, records by CRLF; a quoted field may hold commas, CRLF and doubled quotes. */
    static List<List<String>> rfc4180(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertThat(field).as("text after the last CRLF").isEmpty();
        return records;
    }
}
