package io.rateticker.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
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
@TestProfile(SimulatedSourceTest.Profile.class)
class SimulatedSourceTest {

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
            assertThat(client.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            SseClient.Event event = client.nextEvent(Duration.ofSeconds(5));
            assertThat(event).isNotNull();
            JsonNode rate = new ObjectMapper().readTree(event.data());
            assertThat(rate.get("source").asText()).isEqualTo("simulated");
            assertThat(rate.get("asOf").asText()).isEqualTo(TestClock.START.toString().substring(0, 10));
            // within 0.2 % of the bundled 87.45 it moved from
            BigDecimal perUsd = rate.get("perUsd").decimalValue();
            assertThat(perUsd).isBetween(new BigDecimal("87.27"), new BigDecimal("87.63"));
            assertThat(rate.get("changePercent").decimalValue().abs()).isLessThanOrEqualTo(new BigDecimal("0.21"));
        }
    }
}
