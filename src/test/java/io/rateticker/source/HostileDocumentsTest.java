package io.rateticker.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.Admin;
import io.restassured.response.Response;

/**
 * Hostile numbers and dates in every bank's format, fed by hand, while an operator writes: each document is refused
 * with its reason (nothing of it stored), and no write waits on one (a value of 1E+10000000 once held the write lock
 * for 56 s). The durations are printed; the bound asserted is a hang's, not a speed target.
 */
@QuarkusTest
class HostileDocumentsTest {

    /** A hang's bound, far below the 56 s it once took, far above any answer on a busy machine: not a speed. */
    private static final Duration HANG = Duration.ofSeconds(20);

    private record Answer(String what, int status, String detail, long millis) {
    }

    @Test
    void hostileDocumentsAreRefusedFastWhileAConcurrentWriteIsAnswered() {
        List<String[]> values = List.of(new String[] {"1E+10000000", "out of range"},
                new String[] {"1E-40", "out of range"}, new String[] {"9".repeat(400), "longer than"});
        AtomicBoolean feeding = new AtomicBoolean(true);
        // A thread of its own, not the common pool: with one core to spare that pool has one worker, which Groovy's
        // first class initialisation (RestAssured's, when this test runs first) waits on while this write holds it.
        ExecutorService writer = Executors.newSingleThreadExecutor();
        CompletableFuture<List<Answer>> writes = CompletableFuture.supplyAsync(() -> {
            List<Answer> answers = new ArrayList<>();
            for (int i = 0; feeding.get() || answers.isEmpty(); i++) {
                long start = System.nanoTime();
                Response response = Admin.post("{\"rates\":[" + Admin.item("KGS", "87." + (10 + i % 80)) + "]}")
                        .extract().response();
                answers.add(new Answer("write", response.statusCode(), "", (System.nanoTime() - start) / 1_000_000));
            }
            return answers;
        }, writer);
        List<Answer> refused = new ArrayList<>();
        try {
            for (Specimens.Document document : Specimens.DOCUMENTS) {
                for (String[] value : values) {
                    refused.add(feed(document.source() + " " + value[1], document.withUsdValue(value[0])));
                }
                refused.add(feed(document.source() + " 2062", document.withYear(2062)));
                refused.add(feed(document.source() + " 1900", document.withYear(1900)));
            }
        } finally {
            feeding.set(false);
        }
        List<Answer> written = writes.join();
        writer.shutdown();

        System.out.printf("Hostile documents: %d refused, the slowest in %d ms; %d concurrent writes, the slowest in"
                + " %d ms%n", refused.size(), refused.stream().mapToLong(Answer::millis).max().orElseThrow(),
                written.size(), written.stream().mapToLong(Answer::millis).max().orElseThrow());
        assertThat(refused).hasSize(30).allSatisfy(a -> {
            assertThat(a.status()).as(a.what()).isEqualTo(422);
            assertThat(a.detail()).as(a.what()).contains("nothing was stored");
            assertThat(a.millis()).as(a.what() + ", ms").isLessThan(HANG.toMillis());
        });
        assertThat(refused).filteredOn(a -> a.what().endsWith("2062"))
                .allSatisfy(a -> assertThat(a.detail()).contains("more than 2 days after today"));
        assertThat(refused).filteredOn(a -> a.what().endsWith("1900"))
                .allSatisfy(a -> assertThat(a.detail()).contains("before ticker.sources.earliest"));
        assertThat(refused).filteredOn(a -> a.what().endsWith("out of range"))
                .allSatisfy(a -> assertThat(a.detail()).contains("out of range (1e-12 to 1e12)"));
        assertThat(written).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.millis()).as("write, ms").isLessThan(HANG.toMillis());
        });
    }

    private static Answer feed(String what, byte[] document) {
        long start = System.nanoTime();
        Response response = given().auth().oauth2(Admin.TOKEN).body(document)
                .when().post("/api/v1/admin/sources/" + what.substring(0, what.indexOf(' ')) + "/documents");
        return new Answer(what, response.statusCode(), response.jsonPath().getString("detail"),
                (System.nanoTime() - start) / 1_000_000);
    }
}
