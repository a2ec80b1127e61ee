package io.rateticker.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.SseClient;

/**
 * The heartbeat: it keeps a stream open past the idle timeout that closes a silent connection, and it stops with the
 * application. Stopping the application is for good, so that check comes after every test of the class
 * ({@link AfterAll}), in an application no other class shares.
 */
@QuarkusTest
@TestProfile(HeartbeatTest.ShortIdleTimeout.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeartbeatTest {

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

    @Inject
    Event<ShutdownEvent> shutdown;

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

    /**
     * Once the application stops, no scheduled job runs. Quarkus's scheduler lives on until the singletons go, after
     * the application-scoped beans: a job run in between brought its bean back to life (a second broadcaster, whose
     * gauge Micrometer warned of, seen in CI). The stopping is this test's own {@link ShutdownEvent}; the job seen is
     * the heartbeat.
     */
    @AfterAll
    void noHeartbeatAfterTheApplicationStops() throws Exception {
        try (SseClient client = SseClient.open(stream, Map.of())) {
            // the snapshot's frame ends in a ping; the next ping is the scheduler's
            assertThat(client.nextEvent(Duration.ofSeconds(10))).isNotNull();
            assertThat(client.next(Duration.ofSeconds(10))).extracting(SseClient.Event::name).isEqualTo("ping");
            assertThat(client.next(Duration.ofSeconds(10))).as("a heartbeat").extracting(SseClient.Event::name)
                    .isEqualTo("ping");

            shutdown.fire(new ShutdownEvent());
            // a heartbeat the scheduler began just before the event may still land; after that, silence where
            // heartbeats came 1 to 2 s apart
            client.next(Duration.ofSeconds(1));
            assertThat(client.next(Duration.ofSeconds(4))).as("an event after the application stopped").isNull();
            assertThat(client.ended()).isFalse();
        }
    }
}
