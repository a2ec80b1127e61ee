package io.rateticker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.rateticker.source.Specimens;

/**
 * A long backfill of CBU's archive by date, against WireMock, in the packaged application: in the background (ready
 * at once), at the configured pace, with its progress in /api/v1/sources and the log, and after a crash resumed
 * with only the dates still missing.
 */
class BackfillIT {

    private static final Pattern DATED = Pattern.compile("/cbu/json/all/(\\d{4}-\\d{2}-\\d{2})/");
    private static final DateTimeFormatter CBU_DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");
    private static final int DAYS = 200;
    /** Requests per second: 50 ms apart at least. */
    private static final int RATE = 20;

    @Test
    void aLongBackfillRunsBesideTheServiceAtItsPaceAndResumesAfterACrash() throws Exception {
        WireMockServer bank = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().jettyAcceptors(1));
        bank.start();
        Path dir = Files.createTempDirectory("rate-ticker-backfill");
        try (PackagedApp app = new PackagedApp(dir, "jdbc:h2:file:" + dir.resolve("ticker") + ";WRITE_DELAY=0")) {
            String specimen = new String(Specimens.bytes("cbu-all-2026-04-02.json"), StandardCharsets.UTF_8);
            bank.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(404)));
            // every day of the window and a little more, each its own dated document (CBU answers weekends too: the
            // service must not ask for them)
            LocalDate today = LocalDate.now(ZoneId.of("Asia/Tashkent"));
            for (LocalDate date = today.minusDays(DAYS + 2); !date.isAfter(today.plusDays(1)); date = date.plusDays(1)) {
                bank.stubFor(get(urlEqualTo("/cbu/json/all/" + date + "/")).willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(specimen.replace("02.04.2026", date.format(CBU_DATE)))));
            }
            LocalDate latest = today;
            while (latest.getDayOfWeek().getValue() > 5) {
                latest = latest.minusDays(1);
            }
            bank.stubFor(get(urlEqualTo("/cbu/json/")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                    .withBody(specimen.replace("02.04.2026", latest.format(CBU_DATE)))));
            String[] config = { "ticker.sources.cbu.enabled=true", "ticker.sources.cbu.schedule=off",
                    "ticker.sources.cbu.url=http://127.0.0.1:" + bank.port() + "/cbu/json/",
                    "ticker.sources.cbu.backfill-days=" + DAYS, "ticker.sources.backfill-rate=" + RATE,
                    "ticker.sources.cbr.backfill-days=3650" }; // a disabled source asks for nothing

            app.start(config); // ready: it returned
            Map<String, Integer> before = awaitBackfill(app, done -> done >= 40);
            LocalDate from = LocalDate.parse(String.valueOf(source(app).get("from")));
            LocalDate to = LocalDate.parse(String.valueOf(source(app).get("to")));
            assertThat(app.api().get("/q/health/ready").statusCode()).as("ready while the backfill goes on").isEqualTo(200);
            assertThat(before.get("done")).isLessThan(before.get("total"));
            app.kill();
            List<LoggedRequest> first = dated(bank, from, to);
            bank.resetRequests();

            app.start(config);
            Map<String, Integer> after = awaitBackfill(app, done -> false);
            assertThat(after.get("done")).isEqualTo(after.get("total"));
            List<LoggedRequest> second = dated(bank, from, to);

            // the window: its publication days (Monday to Friday), each asked for once, but for what the crash cut
            // short (asked, not yet counted as done), and for the latest, which the dateless address gave first
            Set<LocalDate> weekdays = new TreeSet<>();
            for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
                if (date.getDayOfWeek().getValue() <= 5) {
                    weekdays.add(date);
                }
            }
            assertThat(after.get("total")).isEqualTo(weekdays.size());
            Set<LocalDate> asked = new TreeSet<>(dates(first));
            asked.addAll(dates(second));
            weekdays.remove(latest);
            assertThat(asked).as("every publication day of the window, and nothing else").isEqualTo(weekdays);
            assertThat(dates(second)).as("after the restart, only what was not done before it")
                    .hasSizeLessThanOrEqualTo(after.get("total") - before.get("done") + 1)
                    .doesNotHaveDuplicates();
            // newest first: the recent past is there soonest
            assertThat(dates(first)).isSortedAccordingTo(Comparator.reverseOrder());

            // the pace: each request is sent at least 1/RATE after the one before, and the first arrived before the
            // second was sent (its answer came first), so from the first arrival to the last are at least n - 2
            // intervals, however late any of them arrived (less a millisecond each end: WireMock logs milliseconds)
            long span = second.get(second.size() - 1).getLoggedDate().getTime() - second.get(0).getLoggedDate().getTime();
            assertThat(span).as("%d requests at %d a second", second.size(), RATE)
                    .isGreaterThanOrEqualTo((second.size() - 2) * 1000L / RATE - 2);

            String log = Files.readString(dir.resolve("app.log"));
            // a line per tenth while the first run went on (some 140 days to ask), one at the end of the second
            assertThat(log).contains("Backfill of cbu: 10% (").contains("Backfill of cbu: 20% (")
                    .contains("missing publication days since " + from + " fetched");
        } finally {
            bank.stop();
        }
    }

    /**
     * The requests for dates of the window, in the order they came: not the next day's rate, which the service asks
     * for beside the backfill once CBU announces it in the afternoon.
     */
    private static List<LoggedRequest> dated(WireMockServer bank, LocalDate from, LocalDate to) {
        List<LoggedRequest> requests = new ArrayList<>(bank.findAll(getRequestedFor(urlMatching("/cbu/json/all/.*"))));
        requests.removeIf(request -> {
            LocalDate date = dates(List.of(request)).get(0);
            return date.isBefore(from) || date.isAfter(to);
        });
        requests.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return requests;
    }

    private static List<LocalDate> dates(List<LoggedRequest> requests) {
        List<LocalDate> dates = new ArrayList<>();
        for (LoggedRequest request : requests) {
            Matcher m = DATED.matcher(request.getUrl());
            assertThat(m.matches()).as(request.getUrl()).isTrue();
            dates.add(LocalDate.parse(m.group(1)));
        }
        return dates;
    }

    private static Map<String, Object> source(PackagedApp app) {
        return app.api().get("/api/v1/sources").jsonPath().getMap("find { it.id == 'cbu' }.backfill");
    }

    /** Waits (up to 60 s) for the backfill to be done, or for {@code enough} of it. */
    private static Map<String, Integer> awaitBackfill(PackagedApp app, IntPredicate enough) {
        Map<String, Object> backfill = Awaitility.await("the backfill's progress").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20)).until(() -> source(app), b -> b != null
                        && (b.get("done").equals(b.get("total")) || enough.test(((Number) b.get("done")).intValue())));
        return Map.of("done", ((Number) backfill.get("done")).intValue(), "total",
                ((Number) backfill.get("total")).intValue());
    }
}
