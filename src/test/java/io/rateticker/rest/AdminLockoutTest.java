package io.rateticker.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.TestClock;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Wrong admin tokens from one address (loopback, which names no other): after the allowed number in a minute, 429 until
 * that minute is over.
 */
@QuarkusTest
@TestProfile(TightLimits.class)
class AdminLockoutTest {

    private static final String BODY = "{\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"" + TestClock.LATEST_AS_OF
            + "\",\"perUsd\":88.9}]}";

    @Inject
    TestClock clock;

    @Test
    void wrongTokensLockTheAddressOutForTheRestOfTheMinuteEvenWithTheRightToken() {
        for (int i = 0; i < 3; i++) {
            post("guess-" + i).statusCode(403).body("detail", equalTo("the admin token is not valid"));
        }
        post("guess-3").statusCode(429).contentType("application/problem+json")
                .header("Retry-After", equalTo("60")).body("detail", containsString("too many wrong admin tokens"));
        post("test-token").statusCode(429);
        // While locked out, the address gets nothing else either, not even the 401 for a missing token
        given().contentType(ContentType.JSON).body(BODY).post("/api/v1/admin/rates").then().statusCode(429);

        clock.advance(Duration.ofSeconds(30));
        post("test-token").statusCode(429).header("Retry-After", equalTo("30"));
        clock.advance(Duration.ofSeconds(31));
        post("test-token").statusCode(200).body("accepted", equalTo(1));
        post("guess-4").statusCode(403);
    }

    private static ValidatableResponse post(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(BODY).post("/api/v1/admin/rates").then();
    }
}
