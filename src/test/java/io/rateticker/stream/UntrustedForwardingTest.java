package io.rateticker.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.SseClient;

/** X-Forwarded-For from a peer that is not a trusted proxy is ignored: a client cannot dodge its cap by lying. */
@QuarkusTest
@TestProfile(UntrustedForwardingTest.OtherProxyTrusted.class)
class UntrustedForwardingTest {

    /** The same, except that the trusted proxy is some other host. */
    public static class OtherProxyTrusted extends PerAddressTest.BehindTrustedProxy {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("ticker.http.trusted-proxies", "10.0.0.1");
            return overrides;
        }
    }

    @TestHTTPResource("/api/v1/stream")
    URI stream;

    @Test
    void forwardedForFromAnUntrustedPeerCountsAsThePeer() throws Exception {
        try (SseClient first = SseClient.open(stream, Map.of("X-Forwarded-For", "203.0.113.7"));
                SseClient second = SseClient.open(stream, Map.of("X-Forwarded-For", "203.0.113.8"))) {
            assertThat(first.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            assertThat(second.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stream)
                    .header("X-Forwarded-For", "203.0.113.9").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("127.0.0.1 already has 2 open streams");
        }
    }
}
