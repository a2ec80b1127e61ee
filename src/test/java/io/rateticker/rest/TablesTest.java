package io.rateticker.rest;

import static io.rateticker.Numbers.number;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.Numbers;
import io.rateticker.OpenApiContract;
import io.rateticker.SseClient;
import io.rateticker.source.Specimens;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * The banks' whole tables: every kept row of NBK's and the Bank of Russia's real documents, fed as an operator would,
 * served against their own currency as a base. Expected values are the specimens' own figures (÷ nominal), and what
 * follows from them by hand.
 */
@QuarkusTest
@TestProfile(TablesTest.Profile.class)
class TablesTest {

    /** An application of its own: the tables fed here would be history to other tests. */
    public static class Profile implements QuarkusTestProfile {
    }

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(700);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/api/v1/stream")
    URI stream;

    @TestHTTPResource("/")
    URL root;

    private static boolean fed;

    /** Every bank's specimens (NBK's of 1 and 2 April 2026, ...), once for the application. */
    @BeforeEach
    void feedTheTables() {
        if (fed) {
            return;
        }
        fed = true;
        Map.of("nbkr", List.of("nbkr-daily.xml"),
                "nbk", List.of("nbk-get-rates-2026-04-01.xml", "nbk-get-rates-2026-04-02.xml"),
                "cbu", List.of("cbu-all-2026-04-01.json", "cbu-all-2026-04-02.json"),
                "nbt", List.of("nbt-2026-05-18.xml", "nbt-2026-05-19.xml"),
                "cbt", List.of("cbt-20052026.xml", "cbt-21052026.xml"),
                "cbr", List.of("cbr-xml-daily-2026-04-25.xml"))
                .forEach((source, documents) -> documents.forEach(document -> feed(source, Specimens.bytes(document))
                        .statusCode(200)));
    }

    /**
     * Each bank a base: on the date of its latest specimen, every pair of its currency that its table has is its own
     * row, as {@code expected-rows.csv} (worked out apart from the service) has it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "KGS, nbkr, nbkr-daily.xml", "KZT, nbk, nbk-get-rates-2026-04-02.xml",
            "UZS, cbu, cbu-all-2026-04-02.json", "TJS, nbt, nbt-2026-05-19.xml", "TMT, cbt, cbt-21052026.xml",
            "RUB, cbr, cbr-xml-daily-2026-04-25.xml" })
    void everyBankIsABaseByItsOwnTable(String base, String bank, String specimen) {
        Map<String, String> expected = new HashMap<>();
        List<String> dates = new ArrayList<>();
        for (String line : new String(Specimens.bytes("expected-rows.csv"), StandardCharsets.UTF_8).lines().toList()) {
            String[] f = line.split(",");
            if (f[0].equals(specimen) && List.of("USD", "EUR", "RUB", "CNY", "KGS", "KZT", "TJS", "UZS", "TMT")
                    .contains(f[2])) {
                expected.put(f[2] + "/" + base, f[4]);
                dates.add(f[3]);
            }
        }
        assertThat(expected).as(specimen).containsKeys("USD/" + base, "EUR/" + base);
        String asOf = dates.get(0);
        JsonNode rates = json(given().config(Numbers.exact()).get("/api/v1/rates?base=" + base + "&date=" + asOf)
                .then().statusCode(200).extract().asString()).get("rates");
        Map<String, String> own = new HashMap<>();
        rates.forEach(rate -> {
            if (!rate.get("cross").asBoolean() && rate.get("asOf").asText().equals(asOf)) {
                assertThat(rate.get("source").asText()).as(rate.get("pair").asText()).isEqualTo(bank);
                own.put(rate.get("pair").asText(), rate.get("rate").decimalValue().toPlainString());
            }
        });
        expected.replaceAll((pair, value) -> new BigDecimal(value).stripTrailingZeros().toPlainString());
        own.replaceAll((pair, value) -> new BigDecimal(value).stripTrailingZeros().toPlainString());
        assertThat(own).as("%s's own rows on %s", bank, asOf).isEqualTo(expected);
    }

    /**
     * On 3 April, in force: NBK's table of the 2nd. Dated, so that the tables the other tests feed later on (6 and 10
     * April) leave it as it is.
     */
    @Test
    void theTengeTableIsNbksOwnAndWhatItLacksIsACross() {
        given().config(Numbers.exact()).get("/api/v1/rates?base=KZT&symbols=USD,EUR,KGS,RUB,CNY&date=2026-04-03").then()
                .statusCode(200)
                .body("rates.pair", contains("USD/KZT", "KGS/KZT", "EUR/KZT", "RUB/KZT", "CNY/KZT"))
                .body("rates.source", contains("nbk", "nbk", "nbk", "nbk", "nbk"))
                .body("rates.cross", contains(false, false, false, false, false))
                .body("rates[0].rate", number("475.09"))
                .body("rates[1].rate", number("5.43")) // NBK publishes the som: its value, not a cross
                .body("rates[1].previousRate", number("5.47"))
                .body("rates[1].changePercent", number("-0.7313"))
                .body("rates[2].currency", equalTo("EUR"))
                .body("rates[2].rate", number("551.06"))
                .body("rates[2].inverse", number("0.00181468442638")) // 1 / 551.06
                .body("rates[2].perUsd", equalTo(null)) // a row of EUR, not a dollar rate
                .body("rates[2].previousRate", number("548.62"))
                .body("rates[2].previousAsOf", equalTo("2026-04-01"))
                .body("rates[2].previousSource", equalTo("nbk"))
                .body("rates[2].changePercent", number("0.4448")) // 551.06 / 548.62 − 1
                .body("rates[2].asOf", equalTo("2026-04-02"))
                .body("rates[2]", not(hasKey("sources")))
                .body("rates[3].rate", number("5.87"))
                .body("rates[3].changePercent", number("0"))
                .body("rates[4].rate", number("69.12"));
        // NBK has no TMT: the dollar rates crossed, of the Bank of Russia's tenge (25 April) and CBT's manat
        given().config(Numbers.exact()).get("/api/v1/rates/TMT?base=KZT&date=2026-05-22").then().statusCode(200)
                .body("cross", equalTo(true)).body("source", equalTo("cross"))
                .body("rate", number("132.248354935")) // 462.869242271958… / 3.5
                .body("sources", contains("cbt", "cbr"));
        given().get("/api/v1/rates/EUR?base=KZT").then().statusCode(200).body("pair", equalTo("EUR/KZT"))
                .body("source", equalTo("nbk"));
        // against USD nothing of it: the quotes are the tracked currencies
        given().get("/api/v1/rates/EUR").then().statusCode(404).body("detail", containsString("EUR is not tracked"));
    }

    @Test
    void theRoubleIsABaseByTheBankOfRussiasTable() {
        given().config(Numbers.exact()).get("/api/v1/rates?base=RUB&symbols=USD,EUR,KZT,KGS").then().statusCode(200)
                .body("base", equalTo("RUB"))
                .body("rates.pair", contains("USD/RUB", "KGS/RUB", "KZT/RUB", "EUR/RUB"))
                .body("rates.source", contains("cbr", "cbr", "cbr", "cbr"))
                .body("rates[0].rate", number("75.5273"))
                .body("rates[0].inverse", number("0.0132402455801"))
                .body("rates[1].rate", number("0.864125")) // 86.4125 per 100
                .body("rates[2].rate", number("0.163172")) // 16.3172 per 100
                .body("rates[3].rate", number("88.2826"))
                .body("rates.cross", contains(false, false, false, false));
    }

    /**
     * A Saturday takes the Thursday's table; before the first table there is none, and the 404 says since when. The
     * ranges end before the tables other tests feed (6 and 10 April), whichever runs first.
     */
    @Test
    void datesHistorySeriesAndCsvOfATableRow() {
        given().config(Numbers.exact()).get("/api/v1/rates?base=KZT&symbols=EUR&date=2026-04-04").then()
                .statusCode(200).body("date", equalTo("2026-04-04"))
                .body("rates[0].asOf", equalTo("2026-04-02")).body("rates[0].rate", number("551.06"));
        given().get("/api/v1/rates?base=KZT&symbols=EUR&date=2026-03-01").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("date: no rate of EUR/KZT is dated on or before 2026-03-01; the earliest is"
                        + " of 2026-04-01"));
        given().config(Numbers.exact()).get("/api/v1/rates/EUR/history?base=KZT&from=2026-03-30&to=2026-04-05").then()
                .statusCode(200).body("pair", equalTo("EUR/KZT"))
                .body("points.asOf", contains("2026-04-01", "2026-04-02"))
                .body("points.rate", contains(number("548.62"), number("551.06")))
                .body("points.source", contains("nbk", "nbk"))
                .body("points.changePercent[1]", number("0.4448"));
        String csv = given().get("/api/v1/timeseries?base=KZT&symbols=EUR,RUB&from=2026-04-01&to=2026-04-05&format=csv")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertThat(csv.lines().skip(1).map(line -> String.join(",", List.of(line.split(",")).subList(0, 5))))
                .containsExactly("2026-04-01,EUR/KZT,EUR,KZT,548.62", "2026-04-02,EUR/KZT,EUR,KZT,551.06",
                        "2026-04-01,RUB/KZT,RUB,KZT,5.87", "2026-04-02,RUB/KZT,RUB,KZT,5.87");
        given().get("/api/v1/timeseries?base=KZT&symbols=EUR&from=2026-04-01&to=2026-04-05&group=month").then()
                .statusCode(200).body("rows[0].open", number("548.62")).body("rows[0].high", number("551.06"))
                .body("rows[0].highAsOf", equalTo("2026-04-02")).body("rows[0].publications", equalTo(2));
    }

    /** By the target currency's bank where it publishes the other; else its bank's value the other way. */
    @Test
    void convertTakesABanksOwnValueWhereThereIsOne() {
        given().config(Numbers.exact()).get("/api/v1/convert?from=EUR&to=KZT&amount=100&date=2026-04-03").then()
                .statusCode(200)
                .body("result", number("55106")).body("rate", number("551.06")).body("path", equalTo("direct"))
                .body("sources", contains("nbk")).body("asOf", equalTo("2026-04-02"));
        given().config(Numbers.exact()).get("/api/v1/convert?from=KZT&to=EUR&amount=1000&date=2026-04-03").then()
                .statusCode(200)
                .body("result", number("1.81468442638")).body("path", equalTo("direct")).body("sources", contains("nbk"));
        given().config(Numbers.exact()).get("/api/v1/convert?from=KZT&to=RUB&amount=1000&date=2026-04-26").then()
                .statusCode(200)
                .body("result", number("163.172")).body("path", equalTo("direct")).body("sources", contains("cbr"));
        // NBK has no manat: TMT/KZT is a cross, as /rates?base=KZT serves it, though CBT has the tenge (0.7426 manat per
        // 100 tenge); the other way, in manat, CBT's own row
        Object served = given().config(Numbers.exact()).get("/api/v1/rates/TMT?base=KZT&date=2026-05-22").then()
                .body("cross", equalTo(true)).extract().path("rate");
        given().config(Numbers.exact()).get("/api/v1/convert?from=TMT&to=KZT&amount=1&date=2026-05-22").then()
                .statusCode(200).body("rate", equalTo(served)).body("path", equalTo("cross"));
        given().config(Numbers.exact()).get("/api/v1/convert?from=KZT&to=TMT&amount=100&date=2026-05-22").then()
                .statusCode(200).body("result", number("0.7426")).body("rate", number("0.007426"))
                .body("path", equalTo("direct")).body("sources", contains("cbt")).body("asOf", equalTo("2026-05-21"));
        // before NBT's first table and without the som's in NBKR's, the two dollar rates (the Bank of Russia's) crossed
        given().config(Numbers.exact()).get("/api/v1/convert?from=KGS&to=TJS&amount=1&date=2026-04-26").then()
                .statusCode(200).body("result", number("0.107898824522")).body("path", equalTo("cross"))
                .body("sources", contains("cbr", "cbr"));
        given().get("/api/v1/convert?from=EUR&to=CNY&amount=1").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("no rate of EUR in CNY yet"));
        given().get("/api/v1/convert?from=EUR&to=KZT&amount=1&date=2026-03-01").then().statusCode(404)
                .body("detail", containsString("no rate of EUR in KZT is dated on or before 2026-03-01"));
    }

    @Test
    void theQuotesAreListedWithTheBanksThatPublishThem() {
        given().get("/api/v1/currencies").then().statusCode(200)
                .body("code", contains("KGS", "KZT", "TJS", "UZS", "TMT", "USD", "EUR", "RUB", "CNY"))
                .body("find { it.code == 'EUR' }.name", equalTo("Euro"))
                .body("find { it.code == 'EUR' }.sources", hasItems("nbk", "cbr"))
                // its own bank's dollar rate, then each bank whose table has it, base by base
                .body("find { it.code == 'RUB' }.sources", contains("cbr", "nbkr", "nbk", "nbt", "cbu", "cbt"));
    }

    /**
     * A stream in tenge hears NBK's new table: each row that moved, and USD/KZT, whose value is still the Bank of
     * Russia's of 25 April (with NBK's lapsed, the latest there is) but whose change is now from NBK's dollar rate of
     * the 10th, the value served before it.
     */
    @Test
    void aStreamInTengeHearsTheRowsOfANewTable() throws Exception {
        try (SseClient client = SseClient.open(URI.create(stream + "?base=KZT&symbols=USD,EUR,RUB"), Map.of())) {
            JsonNode snapshot = JSON.readTree(client.next(WAIT).data());
            assertThat(snapshot.get("rates").findValuesAsText("pair")).containsExactly("USD/KZT", "EUR/KZT", "RUB/KZT");
            assertThat(snapshot.get("rates").get(0).get("source").asText()).isEqualTo("cbr");
            // within 15 % of 551.06 and of 700 (aTableRowIsGuardedAndCorrectedByItsQuote's), whichever runs first
            feed("nbk", nbkTable("10.04.2026", "620")).statusCode(200);
            Map<String, String> moved = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                JsonNode rate = JSON.readTree(client.nextEvent(WAIT).data());
                moved.put(rate.get("pair").asText(), rate.get("rate").asText() + " " + rate.get("asOf").asText()
                        + (rate.get("currency").asText().equals("USD") ? " from " + rate.get("previousSource").asText()
                                + " " + rate.get("previousAsOf").asText() : ""));
            }
            assertThat(moved).containsOnly(Map.entry("EUR/KZT", "620 2026-04-10"), Map.entry("RUB/KZT", "5.87 2026-04-10"),
                    Map.entry("USD/KZT", "462.869242272 2026-04-25 from nbk 2026-04-10"));
            assertThat(client.nextEvent(QUIET)).isNull();
        }
    }

    /**
     * A table row is guarded like a dollar rate: a jump of over 15 % from the bank's last EUR is held back while the
     * rest of the table is taken, listed with its quote, and released, corrected or deleted by an operator naming it.
     */
    @Test
    void aTableRowIsGuardedAndCorrectedByItsQuote() {
        ValidatableResponse fed = feed("nbk", nbkTable("06.04.2026", "700")).statusCode(200);
        assertThat(fed.extract().jsonPath().getString("items.find { it.quote == 'EUR' }.outcome")).isEqualTo("rejected");
        assertThat(fed.extract().jsonPath().getString("items.find { it.quote == 'EUR' }.reason"))
                .startsWith("moves 27.0279 % from 551.06 (nbk, 2026-04-02)");
        assertThat(fed.extract().jsonPath().getString("items.find { it.quote == 'USD' }.outcome")).isEqualTo("accepted");
        given().get("/api/v1/rates/EUR?base=KZT&date=2026-04-06").then().body("rate", number("551.06"));
        admin().get("/api/v1/admin/rejections").then().statusCode(200)
                .body("find { it.quote == 'EUR' }.currency", equalTo("KZT"))
                .body("find { it.quote == 'EUR' }.asOf", equalTo("2026-04-06"));

        admin().post("/api/v1/admin/rejections/nbk/KZT/2026-04-06/release").then().statusCode(409); // the USD row
        admin().post("/api/v1/admin/rejections/nbk/KZT/2026-04-06/release?quote=EUR").then().statusCode(200)
                .body("items[0].outcome", equalTo("released"));
        given().get("/api/v1/rates/EUR?base=KZT&date=2026-04-06").then().body("rate", number("700"));

        // a correction by hand outranks the bank; deleting it brings the bank's value back
        Admin.post("{\"rates\":[{\"currency\":\"KZT\",\"quote\":\"EUR\",\"asOf\":\"2026-04-06\",\"perUsd\":553}]}")
                .statusCode(200).body("items[0].quote", equalTo("EUR"));
        given().get("/api/v1/rates/EUR?base=KZT&date=2026-04-06").then().body("rate", number("553"))
                .body("source", equalTo("manual"));
        admin().delete("/api/v1/admin/observations/manual/KZT/2026-04-06?quote=EUR").then().statusCode(200);
        given().get("/api/v1/rates/EUR?base=KZT&date=2026-04-06").then().body("rate", number("700"));
        Admin.post("{\"rates\":[{\"currency\":\"KZT\",\"quote\":\"CHF\",\"asOf\":\"2026-04-06\",\"perUsd\":1}]}")
                .statusCode(400).body("detail", containsString("no CHF/KZT is kept"));
    }

    /** What a table's rows look like in each answer (a pair that is no dollar rate: perUsd null) is documented. */
    @Test
    void theAnswersOfTablesAreAsTheDocumentSays() throws Exception {
        OpenApiContract api = OpenApiContract.of(root.toURI());
        Map<String, String> reads = Map.of("/api/v1/rates", "/api/v1/rates?base=KZT&symbols=EUR,USD,TMT",
                "/api/v1/rates/{currency}", "/api/v1/rates/EUR?base=RUB&date=2026-04-26",
                "/api/v1/rates/{currency}/history", "/api/v1/rates/EUR/history?base=KZT&from=2026-04-01&to=2026-04-30",
                "/api/v1/timeseries", "/api/v1/timeseries?base=KZT&symbols=EUR,KGS&from=2026-04-01&to=2026-04-30",
                "/api/v1/convert", "/api/v1/convert?from=EUR&to=KZT&amount=1",
                "/api/v1/currencies", "/api/v1/currencies");
        reads.forEach((template, path) -> api.check("GET", template, send(path, Map.of())));
        api.check("GET", "/api/v1/timeseries", send(reads.get("/api/v1/timeseries") + "&format=ndjson", Map.of()));
        api.check("GET", "/api/v1/convert", send("/api/v1/convert?from=EUR&to=CNY&amount=1", Map.of()));
        api.check("GET", "/api/v1/admin/rejections", send("/api/v1/admin/rejections",
                Map.of("Authorization", "Bearer " + Admin.TOKEN)));
        api.check("GET", "/api/v1/sources", send("/api/v1/sources", Map.of()));
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    private HttpResponse<String> send(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + path.substring(1)))
                .timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(path, e);
        }
    }

    private static ValidatableResponse feed(String source, byte[] document) {
        return admin().body(document).post("/api/v1/admin/sources/" + source + "/documents").then();
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(Admin.TOKEN);
    }

    /** NBK's table of 2 April, dated {@code dotted} instead, with {@code eur} for its EUR. */
    private static byte[] nbkTable(String dotted, String eur) {
        String table = new String(Specimens.bytes("nbk-get-rates-2026-04-02.xml"), StandardCharsets.UTF_8);
        assertThat(table).contains("<date>02.04.2026</date>", "<description>551.06</description>");
        return table.replace("<date>02.04.2026</date>", "<date>" + dotted + "</date>")
                .replace("<description>551.06</description>", "<description>" + eur + "</description>")
                .getBytes(StandardCharsets.UTF_8);
    }
}
