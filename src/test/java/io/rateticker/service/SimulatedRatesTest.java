package io.rateticker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.SseClient;
import io.rateticker.TestClock;

@QuarkusTest
@TestProfile(SimulatedRatesTest.Profile.class)
class SimulatedRatesTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ticker.sources.simulated.enabled", "true", "ticker.sources.simulated.schedule", "* * * * * ?");
        }
    }

    @TestHTTPResource("/api/v1/stream")
    URI stream;

    @Test
    void movesEveryServedRateSlightlyAndSaysSo() throws Exception {
        try (SseClient client = SseClient.open(URI.create(stream + "?symbols=KGS"), Map.of())) {
            SseClient.Event snapshot = client.next(Duration.ofSeconds(5));
            assertThat(snapshot.name()).isEqualTo("snapshot");
            double from = new ObjectMapper().readTree(snapshot.data()).at("/rates/0/perUsd").asDouble();
            SseClient.Event event = client.nextEvent(Duration.ofSeconds(5));
            assertThat(event).isNotNull();
            JsonNode rate = new ObjectMapper().readTree(event.data());
            assertThat(rate.get("source").asText()).isEqualTo("simulated");
            assertThat(rate.get("asOf").asText()).isEqualTo(TestClock.START.toString().substring(0, 10));
            // at most 0.2 % from the value it moved from (the one in the snapshot: one move per event)
            double perUsd = rate.get("perUsd").asDouble();
            assertThat(Math.abs(perUsd / from - 1)).isLessThanOrEqualTo(0.002 + 1e-9);
            // and the change is still against the bundled official rate of the previous date, 87.45
            assertThat(rate.get("changePercent").asDouble()).isCloseTo((87.45 / perUsd - 1) * 100, within(0.0001));
        }
    }
}
