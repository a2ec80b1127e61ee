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
            // Three times the test profile's 1-s heartbeat: Quarkus's scheduler checks its triggers once a second, on
            // its own phase, so two heartbeats may come up to 2 s apart (measured: 2.0 s gaps in two starts of three),
            // which a 2-s idle timeout sometimes cut.
            return Map.of("quarkus.http.idle-timeout", "3S");
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
            // closed by the server after about the idle timeout (3 s), not at once for another reason, nor by this
            // socket's own 10 s read timeout (the bounds leave room for a busy machine's scheduling)
            assertThat(idle).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(9));

            // by the end the stream has lived more than twice the idle timeout
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < until) {
                // a heartbeat every 1 to 2 s; the bound is slack for a busy machine, the idle timeout would end it
                assertThat(client.next(Duration.ofSeconds(5))).as("the stream still delivers").isNotNull();
            }
            assertThat(client.ended()).isFalse();
        }
    }
}
