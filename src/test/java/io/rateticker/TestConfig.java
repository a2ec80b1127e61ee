package io.rateticker;

import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.rateticker.config.TickerConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The real {@code ticker.*} mapping, built by SmallRye Config from its defaults and these properties, for plain tests. */
public final class TestConfig {

    private TestConfig() {
    }

    public static TickerConfig of(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(TickerConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // "30s", as Quarkus reads it
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(TickerConfig.class);
    }
}
