package io.rateticker.rest;

import static io.rateticker.Numbers.number;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;


import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.Admin;
import io.rateticker.Numbers;
import io.rateticker.TestClock;
import io.restassured.RestAssured;
import io.restassured.response.Response;

@QuarkusTest
class RatesResourceTest {

    @BeforeAll
    static void exactNumbers() {
        RestAssured.config = Numbers.exact();
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    /** Errors are problems whatever the client accepts; a client that accepts no JSON gets a 406 problem. */
    @Test
    void contentNegotiationAnswersProblems() {
        for (String path : new String[] { "/api/v1/rates", "/api/v1/rates/KGS", "/api/v1/currencies" }) {
            given().accept("text/html").when().get(path).then().statusCode(406)
                    .contentType("application/problem+json")
                    .body("detail", containsString("application/json"));
        }
        given().accept("application/json").when().get("/api/v1/rates/EUR").then().statusCode(404)
                .contentType("application/problem+json");
        given().accept("application/json").when().get("/api/v1/rates?symbols=EUR").then().statusCode(400)
                .contentType("application/problem+json");
        given().accept("application/json").when().get("/api/v1/rates/KG").then().statusCode(400)
                .contentType("application/problem+json");
        // what browsers and curl send
        given().accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").when().get("/api/v1/rates")
                .then().statusCode(200);
        given().accept("application/*").when().get("/api/v1/rates/KGS").then().statusCode(200);
    }

    /** A typo or a feature the service lacks must not answer with the default data. */
    @Test
    void anUnknownQueryParameterIsA400NamingItAndTheAcceptedOnes() {
        Object[][] cases = {
                { "/api/v1/rates?bsae=KZT", "unknown query parameter 'bsae'; /api/v1/rates takes symbols, date, base" },
                { "/api/v1/rates?symbols=KGS&day=2026-04-02", "unknown query parameter 'day'" },
                { "/api/v1/rates/KGS/history?form=2026-01-01", "unknown query parameter 'form'; "
                        + "/api/v1/rates/KGS/history takes from, to, base, format" },
                { "/api/v1/rates/KGS?symbols=KGS", "/api/v1/rates/KGS takes date, base" },
                { "/api/v1/currencies/KGS?date=2026-04-02", "/api/v1/currencies/KGS takes none" },
                { "/api/v1/convert?from=KZT&to=UZS&amount=1&ammount=2", "takes from, to, amount" },
                { "/api/v1/currencies?language=ru", "/api/v1/currencies takes lang" },
                { "/api/v1/sources?x", "unknown query parameter 'x'" },
                { "/api/v1/stream?symbol=KGS", "/api/v1/stream takes symbols, lastEventId" } };
        for (Object[] c : cases) {
            when().get((String) c[0]).then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString((String) c[1]));
        }
        given().auth().oauth2(Admin.TOKEN).when().post("/api/v1/admin/refresh?sources=nbkr").then().statusCode(400)
                .body("detail", equalTo("unknown query parameter 'sources'; /api/v1/admin/refresh takes source"));
        // the parameters each takes still work
        when().get("/api/v1/rates?symbols=KGS").then().statusCode(200);
        when().get("/api/v1/rates/KGS/history?from=2026-05-01&to=2026-05-20").then().statusCode(200);
    }

    @Test
    void listsEveryTrackedCurrencyInConfiguredOrder() {
        when().get("/api/v1/rates").then()
                .statusCode(200)
                .contentType("application/json")
                .body("base", equalTo("USD"))
                .body("updatedAt", notNullValue())
                .body("rates.currency", contains("KGS", "KZT", "TJS", "UZS", "TMT"))
                .body("rates.pair", contains("KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD"))
                .body("rates.source", not(hasItems((String) null)));
    }

    @Test
    void numbersAreExactAndInPlainNotation() {
        Admin.post("{\"source\":\"manual\",\"rates\":[{\"currency\":\"UZS\",\"asOf\":\"" + TestClock.LATEST_AS_OF
                + "\",\"rate\":0.0000820061}]}").statusCode(200);
        String body = when().get("/api/v1/rates?symbols=UZS").then().statusCode(200).extract().asString();
        assertThat(body).contains("\"rate\":0.0000820061,").doesNotContain("E-");
        // stored exactly (1 / rate, 34 digits), served like rate: 12 significant digits
        assertThat(body).contains("\"perUsd\":12194.2148206,");
        when().get("/api/v1/rates/UZS/history").then()
                .body("points.find { it.asOf == '" + TestClock.LATEST_AS_OF + "' }.perUsd", number("12194.2148206"));
    }

    @Test
    void symbolsFilterIsCaseInsensitiveAndKeepsConfiguredOrder() {
        given().queryParam("symbols", "tmt, kgs,KGS").when().get("/api/v1/rates").then()
                .statusCode(200)
                .body("rates.currency", contains("KGS", "TMT"));
    }

    @Test
    void unknownOrUntrackedSymbolIsAProblemNamingItAndTheTrackedCodes() {
        given().queryParam("symbols", "KGS,EUR").when().get("/api/v1/rates").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Bad Request"))
                .body("detail", containsString("'EUR'"))
                .body("detail", containsString("KGS,KZT,TJS,UZS,TMT"));
        given().queryParam("symbols", "K$S").when().get("/api/v1/rates").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("K$S"));
    }

    @Test
    void strongEtagGivesNotModifiedAndChangesWithTheData() {
        Response first = when().get("/api/v1/rates");
        String etag = first.header("ETag");
        // RestAssured takes gzip: the compressed representation's tag (HttpCachingTest has both)
        assertThat(etag).matches("\"[0-9a-f]{24}-gzip\"");
        assertThat(first.header("Cache-Control")).isEqualTo("public, max-age=30");

        given().header("If-None-Match", etag).when().get("/api/v1/rates").then()
                .statusCode(304)
                .header("ETag", etag)
                .body(equalTo(""));
        given().header("If-None-Match", "\"other\", W/" + etag).when().get("/api/v1/rates").then().statusCode(304);
        given().header("If-None-Match", "\"other\"").when().get("/api/v1/rates").then().statusCode(200);

        String selection = when().get("/api/v1/rates?symbols=KGS").header("ETag");
        assertThat(selection).isNotEqualTo(etag);

        Admin.write("TMT", "3.5" + System.nanoTime() % 1000);
        given().header("If-None-Match", etag).when().get("/api/v1/rates").then()
                .statusCode(200)
                .header("ETag", not(etag));
    }

    @Test
    void headAnswersLikeGetWithoutABody() throws java.io.IOException {
        Response get = when().get("/api/v1/rates");
        given().when().head("/api/v1/rates").then()
                .statusCode(200)
                .header("ETag", get.header("ETag"))
                .header("Content-Length", get.header("Content-Length"));
        // on the wire, where a client that knows HEAD would not read a body that follows
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("HEAD /api/v1/rates HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n").containsOnlyOnce("\r\n\r\n");
        }
    }

    @Test
    void corsLetsAnyOriginReadWithOneAnswerForAllAndLeavesTheAdminApiToItsToken() {
        // the same answer for every site: a CDN may cache it once
        for (String origin : new String[] { "https://news.example", "https://other.example" }) {
            given().header("Origin", origin).when().get("/api/v1/rates").then()
                    .statusCode(200)
                    .header("Access-Control-Allow-Origin", "*")
                    .header("Access-Control-Expose-Headers", containsString("ETag"));
        }
        // browsers may read, and revalidate with If-None-Match (the widget's polling), but never write
        given().header("Origin", "https://news.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "if-none-match")
                .when().options("/api/v1/rates").then()
                .statusCode(204)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
                .header("Access-Control-Allow-Headers", containsString("if-none-match"));
        given().header("Origin", "https://news.example")
                .header("Access-Control-Request-Method", "POST")
                .when().options("/api/v1/admin/rates").then()
                .header("Access-Control-Allow-Origin", nullValue());
        // a browser POST (Swagger UI's "Try it out") carries an Origin: it reaches the token check
        given().header("Origin", "http://localhost:8080").contentType("application/json").body("{}")
                .when().post("/api/v1/admin/rates").then()
                .statusCode(401).contentType("application/problem+json");
        given().header("Origin", "http://localhost:8080").auth().oauth2(Admin.TOKEN).contentType("application/json")
                .body("{\"rates\":[" + Admin.item("KGS", "87.77") + "]}")
                .when().post("/api/v1/admin/rates").then().statusCode(200);
    }

    @Test
    void wrongMethodIsAProblem() {
        when().post("/api/v1/rates").then()
                .statusCode(405)
                .contentType("application/problem+json")
                .header("Allow", "GET, HEAD");
        when().get("/api/v1/nothing-here").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", notNullValue());
    }

    @Test
    void oneRateByCode() {
        Admin.write("TMT", "3.5");
        when().get("/api/v1/rates/tmt").then()
                .statusCode(200)
                .body("pair", equalTo("TMT/USD"))
                .body("perUsd", number("3.5"))
                .body("rate", number("0.285714285714"))
                .body("asOf", equalTo(TestClock.LATEST_AS_OF))
                .body("source", equalTo("manual"))
                .body("stale", equalTo(false))
                .body("fetchedAt", equalTo("2026-05-25T06:00:00Z"));
    }

    @Test
    void malformedCodeIs400AndUntrackedIs404() {
        when().get("/api/v1/rates/KG").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("three-letter"));
        when().get("/api/v1/rates/EUR").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("EUR is not tracked"));
    }

    @Test
    void historyServesTheBundledOfficialRatesWithChanges() {
        given().queryParam("from", "2026-03-25").queryParam("to", "2026-04-10")
                .when().get("/api/v1/rates/KZT/history").then()
                .statusCode(200)
                .body("pair", equalTo("KZT/USD"))
                .body("base", equalTo("USD"))
                .body("points.asOf", contains("2026-04-01", "2026-04-02"))
                .body("points.perUsd", contains(number("478.77"), number("475.09")))
                .body("points[0].changePercent", nullValue())
                .body("points[1].changePercent", number("0.7746"))
                .body("points[1].rate", number("0.00210486434149"))
                .body("points.source", contains("bundled", "bundled"));
    }

    @Test
    void historyDefaultsToTheLast30DaysAndPrefersManualOverBundled() {
        // 2026-05-19 has a bundled NBT value; a manual one for the same date must be served instead.
        Admin.post("{\"source\":\"manual\",\"rates\":[{\"currency\":\"TJS\",\"asOf\":\"2026-05-19\",\"perUsd\":9.4}]}")
                .statusCode(200);
        when().get("/api/v1/rates/TJS/history").then()
                .statusCode(200)
                .body("points.find { it.asOf == '2026-05-19' }.source", equalTo("manual"))
                .body("points.find { it.asOf == '2026-05-19' }.perUsd", number("9.4"))
                .body("points.find { it.asOf == '2026-05-18' }.source", equalTo("bundled"));
        given().queryParam("from", "2026-01-01").queryParam("to", "2026-01-31")
                .when().get("/api/v1/rates/TJS/history").then().statusCode(200).body("points", empty());
    }

    /** NBKR, NBK and CBR publish the next day's rate: the served rate may take effect after today. */
    @Test
    void theDefaultHistoryEndsWithARateEffectiveAfterToday() {
        Admin.write("KZT", "476.5"); // effective two days after the clock's today (2026-05-25)
        when().get("/api/v1/rates/KZT").then().body("asOf", equalTo(TestClock.LATEST_AS_OF));
        when().get("/api/v1/rates/KZT/history").then().statusCode(200)
                .body("points.asOf", hasItems(TestClock.LATEST_AS_OF))
                .body("points.find { it.asOf == '" + TestClock.LATEST_AS_OF + "' }.perUsd", number("476.5"));
    }

    @Test
    void historyRejectsBadRanges() {
        given().queryParam("from", "2026-05-02").queryParam("to", "2026-05-01")
                .when().get("/api/v1/rates/KGS/history").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("after"));
        given().queryParam("from", "2024-01-01").queryParam("to", "2026-01-01")
                .when().get("/api/v1/rates/KGS/history").then().statusCode(400)
                .body("detail", containsString("366"));
        given().queryParam("from", "2026-02-30")
                .when().get("/api/v1/rates/KGS/history").then().statusCode(400)
                .body("detail", containsString("YYYY-MM-DD"));
        when().get("/api/v1/rates/XYZ/history").then().statusCode(404);
    }

    @Test
    void convertGoesThroughUsd() {
        Admin.write("KZT", "475.09");
        Admin.write("UZS", "12142.10");
        given().queryParam("from", "kzt").queryParam("to", "UZS").queryParam("amount", "1000")
                .when().get("/api/v1/convert").then()
                .statusCode(200)
                .body("from", equalTo("KZT"))
                .body("to", equalTo("UZS"))
                .body("amount", number("1000"))
                .body("result", number("25557.4733208"))
                .body("rate", number("25.5574733208"))
                .body("asOf", equalTo(TestClock.LATEST_AS_OF))
                .body("stale", equalTo(false))
                // no bank here publishes KZT in UZS: the two dollar rates, crossed
                .body("path", equalTo("cross"))
                .body("sources", contains("manual", "manual"));
        given().queryParam("from", "USD").queryParam("to", "KZT").queryParam("amount", "2.5")
                .when().get("/api/v1/convert").then()
                .statusCode(200)
                .body("result", number("1187.725"))
                .body("path", equalTo("direct"))
                .body("sources", contains("manual"));
        given().queryParam("from", "USD").queryParam("to", "USD").queryParam("amount", "2.5")
                .when().get("/api/v1/convert").then()
                .statusCode(200)
                .body("result", number("2.5"))
                .body("path", equalTo("direct"))
                .body("sources", empty());
    }

    @Test
    void convertRejectsBadInput() {
        for (String[] bad : new String[][] {
                { "KZT", "XAU", "1", "XAU" }, { "KZT", "UZS", "-5", "-5" }, { "KZT", "UZS", "0", "greater than 0" },
                { "KZT", "UZS", "1e3", "1e3" }, { "KZT", "UZS", "10000000000000000", "1e15" },
                { "KZT", "UZS", "abc", "abc" }, { "KZT", "UZS", "NaN", "NaN" }, { "", "UZS", "1", "from" } }) {
            given().queryParam("from", bad[0]).queryParam("to", bad[1]).queryParam("amount", bad[2])
                    .when().get("/api/v1/convert").then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString(bad[3]));
        }
    }

    @Test
    void currenciesNameTheTrackedOnesAndTheirSources() {
        when().get("/api/v1/currencies").then()
                .statusCode(200)
                .body("code", contains("KGS", "KZT", "TJS", "UZS", "TMT", "USD", "EUR", "RUB", "CNY"))
                .body("find { it.code == 'USD' }.name", equalTo("US Dollar"))
                .body("find { it.code == 'USD' }.sources", hasItems("bundled", "manual"))
                .body("find { it.code == 'KZT' }.name", equalTo("Kazakhstan Tenge"))
                .body("find { it.code == 'KZT' }.sources", hasItems("bundled"));
    }
}
