package io.rateticker.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.Metrics;
import io.rateticker.SseClient;

/**
 * Two streams per client address, behind a trusted proxy (this test's own address, 127.0.0.1): the address is the
 * one X-Forwarded-For names, so clients behind the proxy are capped one by one.
 */
@QuarkusTest
@TestProfile(PerAddressTest.BehindTrustedProxy.class)
class PerAddressTest {

    public static class BehindTrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ticker.stream.max-clients-per-address", "2",
                    "ticker.stream.max-rebuilds-per-minute", "3", "ticker.stream.resume-cache-bytes", "300",
                    "ticker.http.trusted-proxies", "127.0.0.1,10.0.0.0/8");
        }
    }

    @TestHTTPResource("/api/v1/stream")
    URI stream;

    @Test
    void oneAddressGetsTwoStreamsAndA429ThenItsSlotBackWhenOneCloses() throws Exception {
        Map<String, String> reader = Map.of("X-Forwarded-For", "203.0.113.5");
        SseClient first = SseClient.open(stream, reader);
        try (SseClient second = SseClient.open(stream, reader);
                SseClient neighbour = SseClient.open(stream, Map.of("X-Forwarded-For", "203.0.113.6"))) {
            assertThat(first.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            assertThat(second.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            assertThat(neighbour.next(Duration.ofSeconds(5)).name()).as("another address").isEqualTo("snapshot");

            HttpResponse<String> refused = get(reader);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.body()).contains("\"status\":429").contains("203.0.113.5 already has 2 open streams");
            assertThat(Metrics.value(Metrics.scrape(), "ticker_stream_rejected_total",
                    "reason=\"max-clients-per-address\"")).isGreaterThanOrEqualTo(1.0);

            first.close();
            Awaitility.await("a closed stream gives its address's slot back").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        try (SseClient again = SseClient.open(stream, reader)) {
                            return again.response().statusCode();
                        }
                    }, status -> status == 200);
        }
    }

    /**
     * Behind proxies that append to X-Forwarded-For, the client is the right-most untrusted hop, never the left-most
     * (which the client writes); an IPv6 client counts by its /64.
     */
    @Test
    void theClientIsTheRightMostUntrustedHopAndIpv6CountsByItsSlash64() throws Exception {
        // the client claims to be 198.51.100.1 and to have come through 10.1.2.3; the last real hop is 203.0.113.20
        oneClient("203.0.113.20", Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.20, 10.1.2.3"),
                Map.of("X-Forwarded-For", "203.0.113.20"), Map.of("X-Forwarded-For", "192.0.2.99, 203.0.113.20"));
        // three addresses of one /64, through Forwarded (with a port) and X-Forwarded-For
        oneClient("2001:db8:1:2::/64", Map.of("Forwarded", "for=\"[2001:db8:1:2::a]:4711\""),
                Map.of("Forwarded", "for=\"[2001:db8:1:2::b]\""), Map.of("X-Forwarded-For", "2001:db8:1:2:ffff::1"));
        try (SseClient other = SseClient.open(stream, Map.of("X-Forwarded-For", "2001:db8:1:3::1"))) {
            assertThat(other.response().statusCode()).as("another /64").isEqualTo(200);
        }
    }

    /** Streams opened with these headers are one client's: two are open, the third is refused naming it. */
    private void oneClient(String client, Map<String, String> first, Map<String, String> second,
            Map<String, String> third) throws Exception {
        try (SseClient one = SseClient.open(stream, first); SseClient two = SseClient.open(stream, second)) {
            assertThat(one.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            assertThat(two.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
            HttpResponse<String> refused = get(third);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains(client + " already has 2 open streams");
        }
    }

    /**
     * Ids older than the replay buffer (20 events in tests) are rebuilt from the change log, at most 3 a minute per
     * address here; the rebuilt ones are kept in at most 300 bytes (two entries without events).
     */
    @Test
    void rebuildsOfOldIdsAreLimitedPerAddressAndKeptInBoundedBytes() throws Exception {
        for (int i = 0; i < 25; i++) {
            Admin.write("KGS", "87." + (10 + i));
        }
        Map<String, String> reader = Map.of("X-Forwarded-For", "203.0.113.9");
        for (String id : new String[] {"1", "2", "3"}) {
            assertThat(resume(reader, id).statusCode()).as("rebuild from " + id).isEqualTo(200);
        }
        HttpResponse<String> refused = get(with(reader, "4"));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("203.0.113.9 has resumed from 3 ids older than the replay buffer");
        // a resume still kept costs nothing; the oldest was dropped from the 300 bytes, so it would be a fourth rebuild
        assertThat(resume(reader, "3").statusCode()).isEqualTo(200);
        assertThat(get(with(reader, "1")).statusCode()).isEqualTo(429);
        assertThat(resume(Map.of("X-Forwarded-For", "203.0.113.10"), "4").statusCode()).as("another address")
                .isEqualTo(200);
        assertThat(Metrics.value(Metrics.scrape(), "ticker_stream_resume_cache_bytes")).isPositive()
                .isLessThanOrEqualTo(300.0);
    }

    private static Map<String, String> with(Map<String, String> headers, String lastEventId) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Last-Event-ID", lastEventId);
        return all;
    }

    /** Opens a stream resuming from {@code id}, reads its first event, and closes it. */
    private HttpResponse<?> resume(Map<String, String> headers, String id) throws Exception {
        try (SseClient client = SseClient.open(stream, with(headers, id))) {
            if (client.response().statusCode() == 200) {
                assertThat(client.nextEvent(Duration.ofSeconds(5))).isNotNull();
            }
            return client.response();
        }
    }

    private HttpResponse<String> get(Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(stream);
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
