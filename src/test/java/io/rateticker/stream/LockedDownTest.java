package io.rateticker.stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.Metrics;
import io.rateticker.SseClient;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(LockedDownProfile.class)
class LockedDownTest {

    @TestHTTPResource("/api/v1/stream")
    URI stream;

    @Test
    void streamsOverTheLimitAre503WithRetryAfterAndAClosedStreamFreesItsSlot() throws Exception {
        SseClient first = SseClient.open(stream, Map.of());
        try (SseClient second = SseClient.open(stream, Map.of())) {
            assertThat(first.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            assertThat(second.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");

            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stream).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.body()).contains("\"status\":503").contains("limit of 2");
            assertThat(Metrics.value(Metrics.scrape(), "ticker_stream_rejected_total", "reason=\"max-clients\""))
                    .isGreaterThanOrEqualTo(1.0);

            first.close();
            Awaitility.await("a slot free again").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        try (SseClient third = SseClient.open(stream, Map.of())) {
                            return third.response().statusCode();
                        }
                    }, status -> status == 200);
        }
    }

    @Test
    void withoutATokenTheAdminApiIsDisabled() {
        given().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON)
                .body("{\"rates\":[" + Admin.item("KGS", "90") + "]}")
                .when().post("/api/v1/admin/rates").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("disabled"));
    }
}
