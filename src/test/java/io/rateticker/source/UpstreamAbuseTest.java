package io.rateticker.source;

import static io.rateticker.Numbers.number;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.restassured.path.json.JsonPath;

/**
 * A bank that sends without end, 2 GB, one byte a second or a gzip bomb is cut off by the document size limit
 * (1 MiB) or the whole-request timeout (2 s in tests): the fetch fails with a clear error in bounded time, the
 * connection is closed, no thread is left behind, and the last good rates stay served.
 */
@QuarkusTest
@TestProfile(UpstreamAbuseTest.Abused.class)
class UpstreamAbuseTest {

    public static class Abused implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AbusiveBank.class));
        }
    }

    @Test
    void endlessHugeDrippingAndInflatingDocumentsAreCutOff() throws InterruptedException {
        given().auth().oauth2(Admin.TOKEN).contentType("application/xml").body(Specimens.bytes("nbkr-daily.xml"))
                .when().post("/api/v1/admin/sources/nbkr/documents").then().statusCode(200);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        record Case(AbusiveBank.Mode mode, String error) {
        }
        for (Case c : List.of(new Case(AbusiveBank.Mode.ENDLESS, "larger than 1048576 bytes"),
                new Case(AbusiveBank.Mode.HUGE, "larger than 1048576 bytes"),
                new Case(AbusiveBank.Mode.BOMB, "larger than 1048576 bytes"),
                new Case(AbusiveBank.Mode.DRIP, "in time"))) {
            AbusiveBank.mode = c.mode();
            long start = System.nanoTime();
            JsonPath outcome = given().auth().oauth2(Admin.TOKEN).queryParam("source", "nbkr")
                    .when().post("/api/v1/admin/refresh").then().statusCode(200).extract().jsonPath();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(outcome.getString("[0].outcome")).as(c.mode().name()).isEqualTo("error");
            assertThat(outcome.getString("[0].error")).as(c.mode().name()).contains(c.error());
            // Bounded, not hung: each abuse would run for minutes to hours unless cut (the test profile's read
            // timeout is 2 s; the slack is for a loaded machine). The figure is printed, not judged.
            System.out.printf("UpstreamAbuseTest: %s cut after %d ms%n", c.mode(), took.toMillis());
            assertThat(took).as(c.mode() + " took").isLessThan(Duration.ofSeconds(15));
            Awaitility.await(c.mode() + ": connection closed").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20)).until(() -> AbusiveBank.closedAt.get() != 0);
            // what the bank got onto the wire before the cut: the limit plus socket buffers, never the document
            assertThat(AbusiveBank.sent.get()).as(c.mode() + " bytes sent").isLessThan(64L << 20);
            when().get("/api/v1/rates/KGS").then().statusCode(200).body("source", equalTo("nbkr"))
                    .body("perUsd", number("87.45"));
        }
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).as("threads")
                .isLessThanOrEqualTo(threadsBefore + 2);
    }
}
