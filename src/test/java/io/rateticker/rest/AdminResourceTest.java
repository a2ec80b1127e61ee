package io.rateticker.rest;

import static io.rateticker.Numbers.number;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.Admin;
import io.rateticker.Numbers;
import io.rateticker.Metrics;
import io.rateticker.TestClock;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
class AdminResourceTest {

    private static final String PATH = "/api/v1/admin/rates";

    @TestHTTPResource(PATH)
    URI admin;
    private static final String GOOD = "{\"source\":\"manual\",\"rates\":[" + Admin.item("KZT", "470.5") + "]}";

    @BeforeAll
    static void exactNumbers() {
        RestAssured.config = Numbers.exact();
    }

    @Test
    void storesAndReportsAcceptedThenUnchanged() {
        String body = "{\"source\":\"manual\",\"rates\":[" + Admin.item("KZT", "471.25") + ","
                + "{\"currency\":\"UZS\",\"asOf\":\"" + TestClock.LATEST_AS_OF + "\",\"rate\":0.0000812}]}";
        Admin.post(body).statusCode(200).body("accepted", equalTo(2)).body("unchanged", equalTo(0));
        Admin.post(body).statusCode(200).body("accepted", equalTo(0)).body("unchanged", equalTo(2));
        when().get("/api/v1/rates/KZT").then().body("perUsd", number("471.25"));
        when().get("/api/v1/rates/UZS").then().body("rate", number("0.0000812"));
    }

    @Test
    void sameValueWithTrailingZerosIsUnchanged() {
        Admin.write("KZT", "472.1");
        Admin.post("{\"rates\":[" + Admin.item("KZT", "472.1000") + "]}").statusCode(200).body("unchanged", equalTo(1));
    }

    @Test
    void missingOrMalformedAuthorizationIs401WithChallenge() {
        given().contentType(ContentType.JSON).body(GOOD).when().post(PATH).then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("detail", containsString("Bearer"));
        given().header("Authorization", "Basic dXNlcjpwYXNz").contentType(ContentType.JSON).body(GOOD)
                .when().post(PATH).then().statusCode(401);
        given().header("Authorization", "Bearer ").contentType(ContentType.JSON).body(GOOD)
                .when().post(PATH).then().statusCode(401);
    }

    @Test
    void wrongTokenIs403() {
        given().auth().oauth2("not-the-token").contentType(ContentType.JSON).body(GOOD).when().post(PATH).then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", not(containsString(Admin.TOKEN)));
    }

    @Test
    void everyBadItemIsNamedAndNothingIsStored() {
        Admin.write("KZT", "473.33");
        String future = "2026-05-28";
        String[][] cases = {
                { "{\"currency\":\"EUR\",\"asOf\":\"2026-05-25\",\"perUsd\":1}", "not tracked" },
                { "{\"currency\":\"KZT\",\"asOf\":\"2026-05-25\",\"perUsd\":1,\"rate\":1}", "exactly one" },
                { "{\"currency\":\"KZT\",\"asOf\":\"2026-05-25\"}", "exactly one" },
                { "{\"currency\":\"KZT\",\"asOf\":\"2026-05-25\",\"perUsd\":-1}", "positive" },
                { "{\"currency\":\"KZT\",\"asOf\":\"2026-05-25\",\"perUsd\":0}", "positive" },
                { "{\"currency\":\"KZT\",\"asOf\":\"2026-05-25\",\"perUsd\":1e13}", "at most" },
                { "{\"currency\":\"KZT\",\"asOf\":\"2026-05-25\",\"rate\":1e-13}", "at least" },
                { "{\"currency\":\"KZT\",\"asOf\":\"" + future + "\",\"perUsd\":1}", "future" },
                { "{\"currency\":\"KZT\",\"perUsd\":1}", "asOf" },
                { "{\"asOf\":\"2026-05-25\",\"perUsd\":1}", "currency" },
                { "{\"currency\":\"KZT\",\"asOf\":\"2026-05-25\",\"perUsd\":\"NaN\"}", "perUsd" },
                { "{\"currency\":\"KZT\",\"asOf\":\"25.05.2026\",\"perUsd\":1}", "asOf" },
                { "{\"currency\":\"KZT\",\"asOf\":\"2026-05-25\",\"perusd\":1}", "perusd" },
                { Admin.item("KZT", "401"), "repeats the currency, quote and asOf of rates[0]" },
        };
        for (String[] c : cases) {
            Admin.post("{\"source\":\"manual\",\"rates\":[" + Admin.item("KZT", "400") + "," + c[0] + "]}")
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString(c[1]));
        }
        // the good first item of each request was not stored either
        when().get("/api/v1/rates/KZT").then().body("perUsd", number("473.33"));
    }

    /** A write by hand is a manual value, never a bank's or the bundled one: bank values go through the guard. */
    @Test
    void onlyManualSourcesMayWrite() {
        for (String source : List.of("nbk", "cbr", "bundled", "simulated", "manualx", "manual-", "manual-a b")) {
            Admin.post("{\"source\":\"" + source + "\",\"rates\":[" + Admin.item("KZT", "1") + "]}").statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("manual-<name>"));
        }
        Admin.post("{\"source\":\"manual-Desk-2\",\"rates\":[" + Admin.item("TJS", "9.55") + "]}").statusCode(200);
        when().get("/api/v1/rates/TJS").then().body("source", equalTo("manual-Desk-2")).body("perUsd", number("9.55"));
    }

    @Test
    void badBodiesAreProblems() {
        Admin.post("{\"source\":\"manual\",\"rates\":[").statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("malformed JSON"));
        Admin.post("{\"source\":\"manual\",\"rates\":[]}").statusCode(400).body("detail", containsString("at least one"));
        Admin.post("{\"source\":\"Manual Entry!\",\"rates\":[" + Admin.item("KZT", "1") + "]}").statusCode(400)
                .body("detail", containsString("source"));
        Admin.post("[]").statusCode(400).contentType("application/problem+json");
        Admin.post("null").statusCode(400).contentType("application/problem+json").body("detail", containsString("null"));
        Admin.post("{\"rates\":[" + Admin.item("KZT", "1") + "]} trailing").statusCode(400)
                .contentType("application/problem+json");
        Admin.post("").statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(Admin.TOKEN).contentType(ContentType.TEXT).body(GOOD).when().post(PATH).then()
                .statusCode(415).contentType("application/problem+json");
    }

    @Test
    void bodyOver64KiBIs413WhetherDeclaredOrChunked() throws Exception {
        Admin.post(body(64 * 1024)).statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("65536"));
        // far above Quarkus's own limit too: still a problem, not an empty 413
        Admin.post(body(2 * 1024 * 1024)).statusCode(413).contentType("application/problem+json");

        byte[] chunked = body(100 * 1024).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(admin)
                .header("Authorization", "Bearer " + Admin.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("65536");
    }

    /** A valid request body of a little more than {@code size} bytes. */
    private static String body(int size) {
        StringBuilder big = new StringBuilder("{\"source\":\"manual\",\"rates\":[");
        while (big.length() <= size) {
            big.append(Admin.item("KZT", "470.5")).append(',');
        }
        return big.append(Admin.item("KZT", "470.5")).append("]}").toString();
    }

    @Test
    void rejectedItemsAreCounted() {
        Admin.post("{\"source\":\"manual\",\"rates\":[{\"currency\":\"EUR\",\"asOf\":\"2026-05-25\",\"perUsd\":1}]}")
                .statusCode(400);
        Double before = Metrics.value(Metrics.scrape(), "ticker_ingest_total", "outcome=\"rejected\"", "source=\"manual\"");
        Admin.post("{\"source\":\"manual\",\"rates\":[{\"currency\":\"EUR\",\"asOf\":\"2026-05-25\",\"perUsd\":1},"
                + "{\"currency\":\"KZT\",\"asOf\":\"2026-05-25\",\"perUsd\":0}]}").statusCode(400);
        Double after = Metrics.value(Metrics.scrape(), "ticker_ingest_total", "outcome=\"rejected\"", "source=\"manual\"");
        assertThat(after).isEqualTo(before + 2);
    }
}
