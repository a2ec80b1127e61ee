package io.rateticker.rest;

import static io.rateticker.Numbers.number;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.Numbers;
import io.rateticker.SseClient;
import io.rateticker.source.Specimens;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * The guard that cannot wedge, and the admin API for corrections: held-back values listed and released, stored
 * values deleted, each seen on the stream. It deletes bundled values, so it runs in an application of its own.
 */
@QuarkusTest
@TestProfile(CorrectionsTest.Profile.class)
class CorrectionsTest {

    /** No overrides: a profile of its own only to get a store nobody else relies on. */
    public static class Profile implements QuarkusTestProfile {
    }

    @TestHTTPResource("/api/v1/stream")
    URI stream;

    @BeforeAll
    static void exactNumbers() {
        RestAssured.config = Numbers.exact();
    }

    private static JsonPath feedNbk(String date, String value) {
        return given().auth().oauth2(Admin.TOKEN).body(Specimens.nbk(date, value))
                .when().post("/api/v1/admin/sources/nbk/documents").then().statusCode(200).extract().jsonPath();
    }

    private static ValidatableResponse release(String path) {
        return given().auth().oauth2(Admin.TOKEN).when().post("/api/v1/admin/rejections/" + path + "/release").then();
    }

    private static ValidatableResponse delete(String path) {
        return given().auth().oauth2(Admin.TOKEN).when().delete("/api/v1/admin/observations/" + path).then();
    }

    @Test
    void heldBackValuesAreListedReleasedByAnOperatorOrByTheNextPublicationAndDeleted() throws Exception {
        // A fresh install: the bundled KZT is of April and no reference; a 17 % higher May rate is simply accepted.
        assertThat(feedNbk("20.05.2026", "560.00").getString("items[0].outcome")).isEqualTo("accepted");
        // A jump of 20 % from it two days later is held back...
        assertThat(feedNbk("22.05.2026", "672.00").getString("items[0].reason"))
                .isEqualTo("moves 20 % from 560 (nbk, 2026-05-20), more than 15 %");
        given().auth().oauth2(Admin.TOKEN).when().get("/api/v1/admin/rejections").then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].source", equalTo("nbk")).body("[0].currency", equalTo("KZT"))
                .body("[0].asOf", equalTo("2026-05-22")).body("[0].value", number("672"))
                .body("[0].reason", startsWith("moves 20 %")).body("[0].since", equalTo("2026-05-25T06:00:00Z"));
        when().get("/api/v1/rates/KZT").then().body("asOf", equalTo("2026-05-20"));

        try (SseClient client = SseClient.open(URI.create(stream + "?symbols=KZT,TJS"), Map.of())) {
            assertThat(client.nextEvent(Duration.ofSeconds(10)).name()).isEqualTo("snapshot");

            // ... until an operator releases it: served, and sent
            release("nbk/KZT/2026-05-22").statusCode(200).body("released", equalTo(1))
                    .body("items[0].outcome", equalTo("released"))
                    .body("items[0].reason", equalTo("released by an operator at 2026-05-25T06:00:00Z"));
            SseClient.Event released = client.nextEvent(Duration.ofSeconds(10));
            assertThat(released.id()).isNotNull();
            assertThat(JsonPath.from(released.data()).getString("asOf")).isEqualTo("2026-05-22");
            assertThat(JsonPath.from(released.data()).getString("previousAsOf")).isEqualTo("2026-05-20");
            given().auth().oauth2(Admin.TOKEN).when().get("/api/v1/admin/rejections").then().body("", empty());
            release("nbk/KZT/2026-05-22").statusCode(409).contentType(Problem.MEDIA_TYPE)
                    .body("detail", containsString("not held back"));
            release("nbk/KZT/2026-05-21").statusCode(404).contentType(Problem.MEDIA_TYPE);

            // A real devaluation published twice: the second publication releases the first.
            assertThat(feedNbk("25.05.2026", "800.00").getString("items[0].outcome")).isEqualTo("rejected");
            JsonPath confirmed = feedNbk("26.05.2026", "804.00");
            assertThat(confirmed.getList("items.outcome")).containsExactly("accepted", "released");
            assertThat(confirmed.getString("items[1].reason"))
                    .isEqualTo("confirmed by nbk's next publication (2026-05-26)");
            SseClient.Event devalued = client.nextEvent(Duration.ofSeconds(10));
            assertThat(JsonPath.from(devalued.data()).getString("asOf")).isEqualTo("2026-05-26");
            assertThat(JsonPath.from(devalued.data()).getString("previousAsOf")).isEqualTo("2026-05-25");

            // A wrong date, deleted: the previous value is served again, and sent
            delete("nbk/KZT/2026-05-26").statusCode(200).body("outcome", equalTo("deleted"))
                    .body("perUsd", number("804"));
            SseClient.Event back = client.nextEvent(Duration.ofSeconds(10));
            assertThat(back.id()).isNotNull();
            assertThat(JsonPath.from(back.data()).getString("asOf")).isEqualTo("2026-05-25");
            when().get("/api/v1/rates/KZT/history?from=2026-05-20&to=2026-05-27").then()
                    .body("points.asOf", contains("2026-05-20", "2026-05-22", "2026-05-25"));
            delete("nbk/KZT/2026-05-26").statusCode(404).contentType(Problem.MEDIA_TYPE)
                    .body("detail", equalTo("no nbk value of KZT for 2026-05-26 is stored"));

            // bundled values too: the bundled TJS of the day before is served again
            delete("bundled/TJS/2026-05-19").statusCode(200);
            SseClient.Event tjs = client.nextEvent(Duration.ofSeconds(10));
            assertThat(JsonPath.from(tjs.data()).getString("currency")).isEqualTo("TJS");
            assertThat(JsonPath.from(tjs.data()).getString("asOf")).isEqualTo("2026-05-18");
        }
    }

    @Test
    void correctionsNeedTheTokenAndSayWhatIsWrong() {
        given().when().get("/api/v1/admin/rejections").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().when().post("/api/v1/admin/rejections/nbk/KZT/2026-05-22/release").then().statusCode(401);
        given().when().delete("/api/v1/admin/observations/nbk/KZT/2026-05-22").then().statusCode(401);
        delete("nbk/KZT/22.05.2026").statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("asOf '22.05.2026' is not a date (YYYY-MM-DD)"));
        delete("nbk/EUR/2026-05-22").statusCode(404).body("detail", startsWith("EUR is not tracked"));
    }
}
