package io.rateticker.rest;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Limits small enough to reach, behind a trusted proxy on loopback, so that X-Forwarded-For gives each request the
 * client address it needs (a full stream cap, a locked-out address) without touching the others: two streams in all,
 * one per address, three wrong admin tokens an address a minute ({@link OpenApiTest}, {@link AdminLockoutTest}).
 */
public class TightLimits implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ticker.http.trusted-proxies", "127.0.0.1/32,::1/128", "ticker.stream.max-clients", "2",
                "ticker.stream.max-clients-per-address", "1", "ticker.admin.max-failures-per-minute", "3");
    }
}
