package io.rateticker;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Writes through the real admin API, as an operator would. */
public final class Admin {

    public static final String TOKEN = "test-token";

    private Admin() {
    }

    public static ValidatableResponse post(String json) {
        return given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(json)
                .when().post("/api/v1/admin/rates").then();
    }

    /** Stores one perUsd value for the currency at {@link TestClock#LATEST_AS_OF} and expects it accepted. */
    public static void write(String currency, String perUsd) {
        post("{\"source\":\"manual\",\"rates\":[" + item(currency, perUsd) + "]}").statusCode(200);
    }

    public static String item(String currency, String perUsd) {
        return "{\"currency\":\"" + currency + "\",\"asOf\":\"" + TestClock.LATEST_AS_OF + "\",\"perUsd\":" + perUsd + "}";
    }

    /** Fetches one source now; the outcomes of {@code POST /api/v1/admin/refresh}. */
    public static JsonPath refresh(String source) {
        return given().auth().oauth2(TOKEN).queryParam("source", source)
                .when().post("/api/v1/admin/refresh").then().statusCode(200).extract().jsonPath();
    }

    /** Feeds a bank's document by hand and expects it taken; what became of each of its rows. */
    public static JsonPath feed(String source, byte[] document) {
        return given().auth().oauth2(TOKEN).contentType("application/xml").body(document)
                .when().post("/api/v1/admin/sources/" + source + "/documents").then().statusCode(200)
                .extract().jsonPath();
    }
}
