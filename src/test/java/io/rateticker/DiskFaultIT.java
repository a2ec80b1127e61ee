package io.rateticker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The H2 file on a small tmpfs volume that fills up, then is read-only when the service starts: writes answer 503
 * with a problem, reads and streams go on from memory, readiness reports the store DOWN, and once the disk takes
 * writes again the service comes back by itself (readiness UP, writes 200). Every write answered 200 survives a {@code kill -9}.
 * Mounting needs root (CAP_SYS_ADMIN): skipped without it here, failed without it in CI.
 */
class DiskFaultIT {

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @Test
    void aFullThenReadOnlyDiskRefusesWritesKeepsReadsAndRecoversByItself() throws Exception {
        Path dir = Files.createTempDirectory("rate-ticker-disk");
        Path volume = Files.createDirectory(dir.resolve("volume"));
        mountOrSkip("-t", "tmpfs", "-o", "size=16m", "tmpfs", volume.toString());
        try {
            List<Integer> answered = new ArrayList<>();
            try (PackagedApp app = new PackagedApp(dir, "jdbc:h2:file:" + volume.resolve("ticker") + ";WRITE_DELAY=0")) {
                app.start(PackagedApp.PROBE_EACH_SECOND);
                int i = 1;
                assertThat(write(app, i).statusCode()).isEqualTo(200);
                answered.add(i++);

                // Full: H2 may still fit a few writes into free pages of its file, then it cannot grow it
                Path filler = volume.resolve("filler");
                fill(filler);
                Response refused = null;
                for (; i < 300 && refused == null; i++) {
                    Response response = write(app, i);
                    if (response.statusCode() == 200) {
                        answered.add(i);
                    } else {
                        refused = response;
                    }
                }
                assertThat(refused).as("a write refused once the disk is full").isNotNull();
                refused.then().statusCode(503).contentType("application/problem+json").header("Retry-After", "30")
                        .body("detail", containsString("writes are not possible"));
                readsAndStreamsGoOn(app);
                app.awaitStore("DOWN");
                app.api().get("/q/health/well").then()
                        .body("checks.find { it.name == 'store' }.data.writes", containsString("No space left"));

                Files.delete(filler);
                app.awaitStore("UP");
                assertThat(write(app, i).statusCode()).as("a write once space is back").isEqualTo(200);
                answered.add(i++);

                app.kill();
            }
            // Read-only: a mount cannot turn read-only under a file open for writing (the kernel refuses), so the service
            // starts on a read-only view of the volume (a bind mount), which is made writable while it runs
            Path view = Files.createDirectory(dir.resolve("view"));
            mount("--bind", volume.toString(), view.toString());
            mount("-o", "remount,bind,ro", view.toString());
            try (PackagedApp app = new PackagedApp(dir, "jdbc:h2:file:" + view.resolve("ticker") + ";WRITE_DELAY=0")) {
                int i = answered.get(answered.size() - 1) + 1;
                app.start(PackagedApp.PROBE_EACH_SECOND);
                write(app, i++).then().statusCode(503).contentType("application/problem+json");
                readsAndStreamsGoOn(app);
                app.awaitStore("DOWN");
                mount("-o", "remount,bind,rw", view.toString());
                app.awaitStore("UP");
                assertThat(write(app, i).statusCode()).as("a write once the disk is writable").isEqualTo(200);
                answered.add(i);

                // Nothing answered 200 was lost
                app.kill();
                app.start();
                for (int a : answered) {
                    String asOf = TODAY.minusDays(a).toString();
                    app.api().get("/api/v1/rates/KGS/history?from=" + asOf + "&to=" + asOf).then().statusCode(200)
                            .body("points[0].asOf", equalTo(asOf))
                            .body("points[0].perUsd", Numbers.number(value(a).toPlainString()));
                }
            }
        } finally {
            for (Path mounted : List.of(dir.resolve("view"), volume)) {
                new ProcessBuilder("umount", "-l", mounted.toString()).start().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void readsAndStreamsGoOn(PackagedApp app) throws Exception {
        app.api().get("/api/v1/rates").then().statusCode(200).body("rates.size()", equalTo(5));
        try (SseClient stream = SseClient.open(URI.create(app.base() + "/api/v1/stream"), Map.of())) {
            assertThat(stream.nextEvent(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
        }
    }

    /** Write i: KGS for i days ago, a value of its own. */
    private static Response write(PackagedApp app, int i) {
        return app.api().auth().oauth2(PackagedApp.TOKEN).contentType(ContentType.JSON)
                .body("{\"source\":\"manual\",\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"" + TODAY.minusDays(i)
                        + "\",\"perUsd\":" + value(i) + "}]}")
                .post("/api/v1/admin/rates");
    }

    private static BigDecimal value(int i) {
        return new BigDecimal("87").add(BigDecimal.valueOf(i, 3));
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left");
        }
    }

    private static void mountOrSkip(String... arguments) throws Exception {
        if (run(arguments) != 0) {
            String cannot = "cannot mount a tmpfs volume here: mount " + String.join(" ", arguments) + " failed (needs root)";
            if (Boolean.parseBoolean(System.getenv("CI"))) {
                throw new AssertionError("CI=true: " + cannot + "; .ci/run runs as root");
            }
            System.err.println("SKIPPED DiskFaultIT: " + cannot);
            Assumptions.abort(cannot);
        }
    }

    private static void mount(String... arguments) throws Exception {
        assertThat(run(arguments)).as("mount " + String.join(" ", arguments)).isZero();
    }

    private static int run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("mount"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(System.err);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
