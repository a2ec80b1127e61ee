package io.rateticker.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.SseClient;

/** A silent connection is closed after the idle timeout; a stream, kept busy by its heartbeat, is not. */
@QuarkusTest
@TestProfile(IdleTimeoutTest.ShortIdleTimeout.class)
class IdleTimeoutTest {

    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", "2S"); // the test profile's heartbeat is 1 s
        }
    }

    @TestHTTPResource("/api/v1/stream")
    URI stream;

    @Test
    void aSilentConnectionIsClosedWhileAStreamLivesOn() throws Exception {
        try (SseClient client = SseClient.open(stream, Map.of());
                Socket silent = new Socket(stream.getHost(), stream.getPort())) {
            silent.setSoTimeout(10_000);
            long opened = System.nanoTime();
            InputStream in = silent.getInputStream();
            assertThat(in.read()).as("end of stream: the server closed it").isEqualTo(-1);
            Duration idle = Duration.ofNanos(System.nanoTime() - opened);
            // closed by the server after about the idle timeout (2 s), not by this socket's own 10 s read timeout
            assertThat(idle).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(9));

            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                // a heartbeat a second; the bound is slack for a busy machine, the idle timeout would end the stream
                assertThat(client.next(Duration.ofSeconds(5))).as("the stream still delivers").isNotNull();
            }
            assertThat(client.ended()).isFalse();
        }
    }
}
