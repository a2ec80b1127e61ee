package io.rateticker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rateticker.TestConfig;

/** The start-up checks of the ticker.* values, on the real mapping built by SmallRye Config. */
class ConfigChecksTest {

    private static TickerConfig config(Map<String, String> properties) {
        return TestConfig.of(properties);
    }

    @Test
    void theDefaultsPass() {
        assertThat(ConfigChecks.problems(config(Map.of()))).isEmpty();
    }

    @Test
    void everyValueOutOfRangeIsNamed() {
        assertThat(ConfigChecks.problems(config(Map.of(
                "ticker.currencies", "KGS,usd,EURO",
                "ticker.sources.backfill-days", "3651",
                "ticker.sources.cbu.backfill-days", "-1",
                "ticker.sources.backfill-rate", "0",
                "ticker.sources.retries", "-1",
                "ticker.stream.replay-size", "-5",
                "ticker.stream.max-clients", "0",
                "ticker.stream.queue-bytes", "512")))).containsExactly(
                        "ticker.currencies: 'usd' is not a three-letter upper-case ISO 4217 code",
                        "ticker.currencies: 'EURO' is not a three-letter upper-case ISO 4217 code",
                        "ticker.sources.backfill-days is 3651; it must be from 0 to 3650",
                        "ticker.sources.cbu.backfill-days is -1; it must be from 0 to 3650",
                        "ticker.sources.backfill-rate is 0.0; it must be above 0 and at most 1000",
                        "ticker.sources.retries is -1; it must be at least 0",
                        "ticker.stream.replay-size is -5; it must be at least 0",
                        "ticker.stream.max-clients is 0; it must be at least 1",
                        "ticker.stream.queue-bytes is 512; it must be from 1024 to 16777216");
    }
}
