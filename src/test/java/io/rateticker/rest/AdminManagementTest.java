package io.rateticker.rest;

import static io.rateticker.Numbers.number;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Built with the management interface, as the image is: the admin API, health and metrics answer there, with the
 * same token checks and problems, and the public port has no admin path at all.
 */
@QuarkusTest
@TestProfile(AdminManagementTest.WithManagementInterface.class)
class AdminManagementTest {

    static final int MANAGEMENT_PORT = freePort();

    public static class WithManagementInterface implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.management.enabled", "true", "quarkus.management.host", "127.0.0.1",
                    "quarkus.management.test-port", String.valueOf(MANAGEMENT_PORT));
        }
    }

    private static RequestSpecification management() {
        return given().config(io.rateticker.Numbers.exact()).port(MANAGEMENT_PORT);
    }

    /** As the image ships: the public port serves the public API, the widget and the demo page, and nothing else. */
    @Test
    void thePublicPortServesOnlyThePublicApi() throws Exception {
        for (String path : new String[] {"/api/v1/rates", "/api/v1/rates/KGS", "/widget/rate-ticker.js", "/"}) {
            when().get(path).then().statusCode(200);
        }
        for (String path : new String[] {"/q/health/ready", "/q/health/live", "/q/metrics"}) {
            when().get(path).then().statusCode(404);
            management().when().get(path).then().statusCode(200)
                    .header("Date", notNullValue()); // dated there too (HttpCaching)
        }
        // compressed there too, as a scrape asks (over a client that decodes nothing by itself)
        HttpResponse<byte[]> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + "/q/metrics")).header("Accept-Encoding", "gzip")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(metrics.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(metrics.headers().firstValue("Vary")).hasValueSatisfying(v -> assertThat(v).contains("Accept-Encoding"));
    }

    @Test
    void thePublicPortHasNoAdminPath() {
        for (String path : new String[] {"/api/v1/admin/rates", "/api/v1/admin/refresh", "/api/v1/admin/x"}) {
            given().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON).body("{}")
                    .when().post(path).then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("detail", containsString("management interface"));
        }
    }

    @Test
    void theManagementInterfaceServesTheAdminApi() {
        String body = "{\"source\":\"manual\",\"rates\":[" + Admin.item("TMT", "3.51") + "]}";
        management().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/admin/rates").then().statusCode(200);
        when().get("/api/v1/rates/TMT").then().statusCode(200).body("perUsd", number("3.51"))
                .body("source", equalTo("manual"));

        management().contentType(ContentType.JSON).body(body).when().post("/api/v1/admin/rates").then()
                .statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"));
        management().auth().oauth2("wrong").contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/admin/rates").then().statusCode(403).contentType("application/problem+json")
                .body("detail", equalTo("the admin token is not valid"));
        management().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON).body("{\"rates\":[{\"currency\":1}")
                .when().post("/api/v1/admin/rates").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("malformed JSON"));
        management().auth().oauth2(Admin.TOKEN).body(new byte[70_000]).when().post("/api/v1/admin/sources/nbkr/documents")
                .then().statusCode(413).contentType("application/problem+json");
        management().auth().oauth2(Admin.TOKEN).body("garbage").when().post("/api/v1/admin/sources/nope/documents")
                .then().statusCode(404).contentType("application/problem+json");
        management().auth().oauth2(Admin.TOKEN).when().post("/api/v1/admin/refresh").then().statusCode(200);
        management().auth().oauth2(Admin.TOKEN).when().post("/api/v1/admin/refresh?source=nbkr").then()
                .statusCode(409).contentType("application/problem+json").body("detail", containsString("disabled"));
        management().when().get("/q/health/live").then().statusCode(200);
    }

    /** Every endpoint of the admin API answers there as on a public port, and an unknown one names them all. */
    @Test
    void everyAdminEndpointAnswersThere() {
        management().auth().oauth2(Admin.TOKEN).when().get("/api/v1/admin/rejections").then().statusCode(200)
                .contentType("application/json");
        management().auth().oauth2(Admin.TOKEN).when().post("/api/v1/admin/rejections/nbk/KZT/2026-05-01/release")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no nbk value of KZT for 2026-05-01 is stored"));
        management().auth().oauth2(Admin.TOKEN).when().delete("/api/v1/admin/observations/manual/TJS/2026-05-01?quote=RUB")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no manual value of RUB/TJS for 2026-05-01 is stored"));
        management().auth().oauth2(Admin.TOKEN).when().get("/api/v1/admin/rejection").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("GET /api/v1/admin/rejections"))
                .body("detail", containsString("DELETE /api/v1/admin/observations/{source}/{currency}/{asOf}"))
                .body("detail", containsString("POST /api/v1/admin/sources/{id}/documents"));
        management().auth().oauth2(Admin.TOKEN).when().get("/api/v1/admin/rejections?quote=x").then().statusCode(400)
                .body("detail", equalTo("unknown query parameter 'quote'; /api/v1/admin/rejections takes none"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
