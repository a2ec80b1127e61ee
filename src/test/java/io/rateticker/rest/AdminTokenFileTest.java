package io.rateticker.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.TestClock;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Rotating the admin token without a restart: old and new both valid while the file holds both, then only the new. */
@QuarkusTest
@TestProfile(AdminTokenFileTest.WithTokenFile.class)
class AdminTokenFileTest {

    static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("rate-ticker-tokens", ".txt");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class WithTokenFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ticker.admin.token-file", FILE.toString());
        }
    }

    @Test
    void tokensInTheFileAreValidFromTheNextRequestAndStopBeingValidWhenRemoved() throws IOException {
        Files.writeString(FILE, "old-token\n");
        post("old-token").statusCode(200);
        post("new-token").statusCode(403);

        Files.writeString(FILE, "old-token\n  new-token  \n\n");
        post("old-token").statusCode(200);
        post("new-token").statusCode(200);
        post("test-token").statusCode(200).body("accepted", equalTo(0)); // ticker.admin.token stays valid

        Files.writeString(FILE, "new-token\n");
        post("old-token").statusCode(403);
        post("new-token").statusCode(200);

        Files.delete(FILE);
        post("new-token").statusCode(403);
        post("test-token").statusCode(200);
    }

    private static ValidatableResponse post(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"rates\":[{\"currency\":\"TJS\",\"asOf\":\"" + TestClock.LATEST_AS_OF + "\",\"perUsd\":9.4}]}")
                .post("/api/v1/admin/rates").then();
    }
}
