package io.rateticker.stream;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Two streams at most, and no admin token (the admin API is switched off). */
public class LockedDownProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ticker.stream.max-clients", "2", "%test.ticker.admin.token", "");
    }
}
