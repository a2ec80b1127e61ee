package io.rateticker.health;

import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest {

    @Test
    void readyOnceTheRatesAreLoadedAndTheDatabaseAnswers() {
        when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("rates-loaded", "Database connections health check"))
                .body("checks.find { it.name == 'rates-loaded' }.data.currencies", equalTo(5));
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
