package io.rateticker.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The headers every answer carries, on each kind of route: raw Vert.x, Quarkus REST, static, widget, errors. */
@QuarkusTest
class SecurityHeadersTest {

    private static final List<String> PATHS = List.of("/api/v1/rates", "/api/v1/rates/KGS", "/api/v1/currencies",
            "/widget/rate-ticker.js", "/demo.css", "/", "/api/v1/rates/XXX", "/no/such/page", "/q/health/ready");

    @Test
    void everyAnswerForbidsSniffingAndReferrersNamesNoServerAndTakesNoCredentials() {
        for (String path : PATHS) {
            Response response = given().header("Origin", "https://news.example").get(path);
            assertThat(response.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(response.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
            assertThat(response.header("Server")).as(path).isNull();
            // Any origin may read, so no origin may send cookies or credentials along
            assertThat(response.header("Access-Control-Allow-Credentials")).as(path).isIn(null, "false");
        }
    }

    @Test
    void theDemoPageAllowsOnlyItself() {
        for (String path : List.of("/", "/index.html")) {
            assertThat(given().get(path).header("Content-Security-Policy")).as(path)
                    .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                            "frame-ancestors 'none'")
                    .doesNotContain("unsafe");
        }
        // The API and the widget are embedded elsewhere: a page policy on them would mean nothing.
        assertThat(given().get("/api/v1/rates").header("Content-Security-Policy")).isNull();
    }
}
