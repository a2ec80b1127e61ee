package io.rateticker.source;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.LogCapture;
import io.restassured.path.json.JsonPath;

/**
 * A start with every bank unreachable (a closed loopback port, as when the machine is offline): one WARN line per
 * bank with the real cause and nothing else of ours, however many days the backfill would want; the sources keep
 * that cause, also once the circuit breaker has opened and the bank is no longer called.
 */
@QuarkusTest
@TestProfile(OfflineStartTest.Offline.class)
class OfflineStartTest {

    /** Every bank at a port nothing listens on; every record of ours kept from before the start. */
    public static class Offline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            for (String source : UpstreamStub.SOURCES) {
                config.put("ticker.sources." + source + ".enabled", "true");
                config.put("ticker.sources." + source + ".schedule", "off");
                config.put("ticker.sources." + source + ".url", "http://127.0.0.1:9/" + source + "/");
            }
            config.put("quarkus.log.category.\"io.rateticker\".level", "DEBUG");
            // once open, the breaker stays open for the rest of the test, however slow the machine
            config.put("ticker.sources.breaker-delay", "1h");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OurLog.class));
        }
    }

    /** Installed before the application starts, so that its start is recorded too. */
    public static class OurLog implements QuarkusTestResourceLifecycleManager {
        static LogCapture lines;

        @Override
        public Map<String, String> start() {
            lines = LogCapture.start(record -> String.valueOf(record.getLoggerName()).startsWith("io.rateticker"));
            return Map.of();
        }

        @Override
        public void stop() {
            lines.close();
        }
    }

    @Test
    void oneLinePerBankWithTheRealCauseWhichTheSourcesKeep() throws Exception {
        // The failure is recorded before it is logged: wait for the lines themselves, one per bank
        Awaitility.await("every bank tried at start").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> fetchLines().size(), n -> n >= UpstreamStub.SOURCES.length);
        // and nothing more for half a second: no backfill of the banks that could not be reached
        Awaitility.await("nothing more logged").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> fetchLines().size(), n -> n == UpstreamStub.SOURCES.length);

        List<String> fetchLines = fetchLines();
        assertThat(fetchLines).as("what the start logged about the banks").hasSize(UpstreamStub.SOURCES.length)
                .allMatch(line -> line.contains("WARN") && line.contains("Connection refused"), "WARN with the cause");
        for (String source : UpstreamStub.SOURCES) {
            assertThat(fetchLines).as(source).anyMatch(line -> line.contains("Fetching " + source + " failed"));
        }

        // a second failure opens nbkr's breaker (3 of the last 4 calls failed); then it is no longer called
        refresh("nbkr");
        assertThat(sources().getString("find { it.id == 'nbkr' }.circuit")).isEqualTo("open");
        int failures = sources().getInt("find { it.id == 'nbkr' }.consecutiveFailures");
        String skipped = refresh("nbkr");
        assertThat(skipped).contains("circuit breaker open").contains("Connection refused");
        JsonPath nbkr = sources().setRootPath("find { it.id == 'nbkr' }");
        assertThat(nbkr.getString("lastError")).as("the real cause, kept while the breaker is open")
                .contains("Connection refused").doesNotContain("circuit breaker");
        assertThat(nbkr.getInt("consecutiveFailures")).as("a call not made is no failure of the bank").isEqualTo(failures);
    }

    /**
     * Every bank owes the backfill of its last 10 days (2026-05-16 to 25): an answer about those days may still change
     * once a bank is reached, so it is cached as briefly as the current rates; an answer about earlier days only by a
     * correction.
     */
    @Test
    void aDayABackfillStillOwesIsNotCachedLong() {
        when().get("/api/v1/rates?symbols=KZT&date=2026-05-18").then().statusCode(200)
                .header("Cache-Control", "public, max-age=30");
        when().get("/api/v1/rates?symbols=KZT&date=2026-05-15").then().statusCode(200)
                .header("Cache-Control", "public, max-age=86400");
        when().get("/api/v1/rates/KZT/history?from=2026-05-01&to=2026-05-18").then().statusCode(200)
                .header("Cache-Control", "public, max-age=30");
        when().get("/api/v1/rates/KZT/history?from=2026-05-01&to=2026-05-15").then().statusCode(200)
                .header("Cache-Control", "public, max-age=3600");
        when().get("/api/v1/timeseries?symbols=KZT&from=2026-05-01&to=2026-05-18").then().statusCode(200)
                .header("Cache-Control", "public, max-age=30");
    }

    private static List<String> fetchLines() {
        return OurLog.lines.lines().stream().filter(line -> line.contains("FetchScheduler")).toList();
    }

    private static String refresh(String source) {
        return given().auth().oauth2(Admin.TOKEN).queryParam("source", source).when().post("/api/v1/admin/refresh")
                .then().statusCode(200).extract().jsonPath().getString("[0].error");
    }

    private static JsonPath sources() {
        return when().get("/api/v1/sources").then().statusCode(200).extract().jsonPath();
    }
}
