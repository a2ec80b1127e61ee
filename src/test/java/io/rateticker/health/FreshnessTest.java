package io.rateticker.health;

import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.Metrics;
import io.rateticker.TestClock;

/** Moves the clock, so it runs in an application of its own. */
@QuarkusTest
@TestProfile(FreshnessTest.Profile.class)
class FreshnessTest {

    /** No overrides: a profile of its own only to get a fresh application whose clock nobody else relies on. */
    public static class Profile implements QuarkusTestProfile {
    }

    @Inject
    TestClock clock;

    @Test
    void staleRatesAreFlaggedEverywhereAndFreshWritesClearThem() {
        // At the start only the bundled KGS rate (30 h old) is fresh.
        when().get("/q/health/well").then()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks[0].name", equalTo("rates-fresh"))
                .body("checks[0].data.KGS", equalTo("PT30H"))
                .body("checks[0].data.KZT", containsString("(stale)"));
        when().get("/api/v1/rates/KGS").then().body("stale", equalTo(false));
        when().get("/api/v1/rates/KZT").then().body("stale", equalTo(true));
        String etag = when().get("/api/v1/rates").header("ETag");

        // Six hours and a second later KGS turns stale too, without any write: the snapshot is rebuilt by time alone.
        clock.advance(Duration.ofHours(6).plusSeconds(1));
        when().get("/api/v1/rates/KGS").then().body("stale", equalTo(true));
        assertThat(when().get("/api/v1/rates").header("ETag")).isNotEqualTo(etag);
        when().get("/q/health/well").then().body("checks[0].data.KGS", equalTo("PT36H1S (stale)"));

        for (String currency : new String[] { "KGS", "KZT", "TJS", "UZS", "TMT" }) {
            Admin.write(currency, "10");
        }
        when().get("/q/health/well").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].data.TMT", equalTo("PT0S"));
        String scrape = Metrics.scrape();
        assertThat(Metrics.value(scrape, "ticker_rate_updated_timestamp_seconds", "currency=\"TMT\""))
                .isEqualTo((double) clock.instant().getEpochSecond());
        assertThat(Metrics.value(scrape, "ticker_rate_as_of_timestamp_seconds", "currency=\"TMT\""))
                .isEqualTo(1779840000.0); // 2026-05-27T00:00:00Z
        assertThat(Metrics.value(scrape, "ticker_rate_per_usd", "currency=\"TMT\"")).isEqualTo(10.0);
        assertThat(Metrics.value(scrape, "ticker_rate", "currency=\"TMT\"")).isEqualTo(0.1);
        assertThat(Metrics.value(scrape, "ticker_rate_change_percent", "currency=\"TMT\"")).isEqualTo(-65.0);
    }
}
