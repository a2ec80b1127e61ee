package io.rateticker.health;

import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.Metrics;

@QuarkusTest
class HealthTest {

    @Test
    void readyOnceTheRatesAreLoadedWhateverTheDatabaseDoes() {
        when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", containsInAnyOrder("rates-loaded", "Graceful Shutdown"))
                .body("checks.find { it.name == 'rates-loaded' }.data.currencies", equalTo(5));
        // the store is watched where it does not take replicas out of the Service
        when().get("/q/health/well").then()
                .body("checks.find { it.name == 'store' }.status", equalTo("UP"));
        assertThat(Metrics.value(Metrics.scrape(), "ticker_store_up")).isEqualTo(1.0);
    }

    @Test
    void livenessDependsOnNeitherTheDatabaseNorTheRates() {
        when().get("/q/health/live").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", not(hasItems("Database connections health check")))
                .body("checks.name", not(hasItems("rates-loaded")));
        when().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }
}
