package io.rateticker.source;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.rateticker.Numbers.number;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.LogCapture;
import io.rateticker.Metrics;
import io.rateticker.Numbers;
import io.rateticker.TestClock;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * CBU announces the next day's rate in the afternoon, at its dated address only: it is fetched once its calendar says
 * it is out, and served with its own {@code asOf}. On the next weekday with a weekday after it, from wherever the
 * clock stands ({@link UpstreamProfile.MovingClock}).
 */
@QuarkusTest
@TestProfile(UpstreamProfile.MovingClock.class)
class NextDayRateTest {

    private static final ZoneId TASHKENT = ZoneId.of("Asia/Tashkent");
    private static final DateTimeFormatter CBU_DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    @UpstreamStub.Inject
    WireMockServer upstream;

    @Inject
    TestClock clock;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeAll
    static void exactNumbers() {
        RestAssured.config = Numbers.exact();
    }

    /** Whatever another test of this application made of them (every bank down, its breaker open). */
    @BeforeEach
    void wellBehavedBanks() {
        UpstreamStub.reset(upstream);
        breakers.resetAll();
    }

    private static JsonPath refreshCbu() {
        return Admin.refresh("cbu");
    }

    private static String cbu(LocalDate date, String rate) {
        return "[{\"Ccy\":\"USD\",\"Nominal\":\"1\",\"Rate\":\"" + rate + "\",\"Date\":\"" + CBU_DATE.format(date) + "\"}]";
    }

    private static double notPublished() {
        Double value = Metrics.value(Metrics.scrape(), "ticker_source_fetch_total", "source=\"cbu\"",
                "outcome=\"not_published\"");
        return value == null ? 0 : value;
    }

    /** Moves the clock to the given time in Tashkent. */
    private void at(ZonedDateTime time) {
        clock.advance(Duration.between(clock.instant(), time.toInstant()));
    }

    @Test
    void theNextDayRateIsFetchedOnceAnnouncedAndServedWithItsDate() {
        // 11:00 in Tashkent, Monday to Thursday (so that tomorrow is a working day too): the clock's own day if it is
        // not past that yet (at the start, Monday 25 May), else the next such day
        ZonedDateTime morning = clock.instant().atZone(TASHKENT).withHour(11).withMinute(0).withSecond(0).withNano(0);
        while (morning.toInstant().isBefore(clock.instant()) || morning.getDayOfWeek().getValue() > DayOfWeek.THURSDAY.getValue()) {
            morning = morning.plusDays(1);
        }
        LocalDate today = morning.toLocalDate();
        String tomorrow = "/cbu/json/all/" + today.plusDays(1) + "/";
        at(morning);
        String uzsBefore = when().get("/api/v1/rates/UZS").then().extract().path("asOf");

        // before 13:00 nothing is asked for tomorrow
        assertThat(refreshCbu().getString("[0].outcome")).isIn("success", "not_modified");
        upstream.verify(0, getRequestedFor(urlEqualTo(tomorrow)));

        // 14:00: tomorrow's is asked for; CBU answers with the rate in force today (not announced yet)
        at(morning.withHour(14));
        upstream.stubFor(get(urlEqualTo(tomorrow)).willReturn(aResponse().withStatus(200)
                .withBody(cbu(today, "12090.10"))));
        double before = notPublished();
        try (LogCapture log = LogCapture.start(r -> r.getLoggerName().equals("io.rateticker.service.FetchScheduler"))) {
            refreshCbu();
            assertThat(log.lines()).as("not announced yet is no failure").noneMatch(line -> line.contains("WARN"));
        }
        // at least once: the fetch at start (with its backfill) may still be under way and ask too
        upstream.verify(moreThanOrExactly(1), getRequestedFor(urlEqualTo(tomorrow)));
        assertThat(notPublished()).isGreaterThanOrEqualTo(before + 1);
        when().get("/api/v1/rates/UZS").then().body("asOf", equalTo(uzsBefore)); // nothing new served

        // announced: stored and served as the official rate of tomorrow
        upstream.stubFor(get(urlEqualTo(tomorrow)).willReturn(aResponse().withStatus(200)
                .withBody(cbu(today.plusDays(1), "12080.50"))));
        refreshCbu();
        when().get("/api/v1/rates/UZS").then().body("source", equalTo("cbu")).body("asOf", equalTo(today.plusDays(1).toString()))
                .body("perUsd", number("12080.5")).body("stale", equalTo(false));

        // once had, it is not asked for again
        upstream.resetRequests();
        refreshCbu();
        upstream.verify(0, getRequestedFor(urlEqualTo(tomorrow)));
    }
}
