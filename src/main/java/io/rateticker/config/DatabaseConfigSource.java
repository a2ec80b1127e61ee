package io.rateticker.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns the one operator-facing switch, {@code TICKER_DATABASE=h2|postgresql} (or the system property
 * {@code ticker.database}), into which of the two datasources built into the application is active. Quarkus fixes
 * datasource kinds at build time, so the image carries both and this picks one at start.
 */
public class DatabaseConfigSource implements ConfigSource {

    static final String H2 = "h2";
    static final String POSTGRESQL = "postgresql";

    private final Map<String, String> properties;

    public DatabaseConfigSource() {
        String database = System.getProperty("ticker.database", System.getenv().getOrDefault("TICKER_DATABASE", H2))
                .trim().toLowerCase(Locale.ROOT);
        if (!database.equals(H2) && !database.equals(POSTGRESQL)) {
            throw new IllegalArgumentException("TICKER_DATABASE must be h2 or postgresql, not '" + database + "'");
        }
        boolean postgresql = database.equals(POSTGRESQL);
        properties = Map.of(
                "quarkus.datasource.active", String.valueOf(!postgresql),
                "quarkus.datasource.postgresql.active", String.valueOf(postgresql));
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String name) {
        return properties.get(name);
    }

    @Override
    public String getName() {
        return "rate-ticker database switch (TICKER_DATABASE)";
    }

    /** Below application.properties (250) and the environment (300): an explicit setting still wins. */
    @Override
    public int getOrdinal() {
        return 200;
    }
}
