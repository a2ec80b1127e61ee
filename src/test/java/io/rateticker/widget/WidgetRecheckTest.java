package io.rateticker.widget;

import static io.rateticker.widget.Browser.await;
import static io.rateticker.widget.Browser.item;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.TestClock;

/**
 * The widget on data no other test touches: a rate that turns stale with no new value (the stream sends it as an
 * event without an id, and the widget marks it without waiting for its slow recheck of the JSON), and a change from
 * long ago. Moves the clock, so it has an application of its own.
 */
@QuarkusTest
@TestProfile(WidgetRecheckTest.Profile.class)
class WidgetRecheckTest {

    /** No overrides: a profile of its own only to get an application whose clock nobody else relies on. */
    public static class Profile implements QuarkusTestProfile {
    }

    @TestHTTPResource("/")
    URL service;

    @Inject
    TestClock clock;

    @BeforeEach
    void startBrowser() {
        Browser.driver();
    }

    @AfterEach
    void noConsoleErrors() {
        assertThat(Browser.consoleErrorsAndReset()).as("console errors").isEmpty();
    }

    @Test
    void aRateTurningStaleByTimeAloneIsMarkedThroughTheStream() throws Exception {
        Admin.write("KGS", "87.5"); // by hand: stale 36 h after it was received
        // poll every 10 min: the recheck of the JSON would come after 100 min, so only the stream can mark it
        Browser.open(service, "symbols=\"KGS\" poll=\"600\"");
        await(Duration.ofSeconds(10), "KGS fresh", i -> item(i, "KGS").get("value") != null);
        assertThat(item(Browser.items(), "KGS").get("classes")).doesNotContain("stale");

        clock.advance(Duration.ofHours(37)); // no write at all; the service checks for such rates every 10 s
        await(Duration.ofSeconds(30), "KGS marked stale by the stream",
                i -> item(i, "KGS").getOrDefault("classes", "").contains("stale"));
        assertThat(Browser.shadow("return root.querySelector('.status').textContent;")).isEqualTo("");
    }

    /**
     * A cache or a replica that is behind answers the widget's recheck of the JSON with an older answer than the
     * events it has shown: the display stays where the events brought it.
     */
    @Test
    void anOlderJsonAnswerNeverRollsTheDisplayBack() throws Exception {
        Admin.write("UZS", "12150.4");
        String older = given().get("/api/v1/rates?symbols=UZS").then().statusCode(200).extract().asString();
        // once window.olderRates is set, every fetch of the rates JSON gets it, as from a cache; a recheck every 2 s
        Browser.open(service, "symbols=\"UZS\" mode=\"per-usd\" poll=\"0.2\"", "const fetched = window.fetch; window.olderServed = 0;"
                + "window.fetch = (url, init) => window.olderRates && String(url).includes('/api/v1/rates')"
                + " ? (window.olderServed++, Promise.resolve(new Response(window.olderRates, {status: 200,"
                + " headers: {'Content-Type': 'application/json', 'ETag': '\"older\"'}})))"
                + " : fetched(url, init);");
        await(Duration.ofSeconds(10), "UZS", i -> "12,150".equals(item(i, "UZS").get("value")));
        Browser.script("window.olderRates = arguments[0];", older);
        Admin.write("UZS", "12190.4");
        await(Duration.ofSeconds(10), "UZS from the stream", i -> "12,190".equals(item(i, "UZS").get("value")));
        Browser.await(Duration.ofSeconds(15), "three rechecks answered with the older JSON",
                () -> ((Number) Browser.script("return window.olderServed;")).intValue(), served -> served >= 3);
        assertThat(item(Browser.items(), "UZS").get("value")).isEqualTo("12,190");
    }

    @Test
    void aChangeFromMoreThanAWeekEarlierIsADashWithBothDates() throws Exception {
        Admin.post("{\"rates\":[{\"currency\":\"TJS\",\"asOf\":\"2026-05-10\",\"perUsd\":9.3}]}").statusCode(200);
        Admin.write("TJS", "9.5");
        given().get("/api/v1/rates/TJS").then().body("previousAsOf", equalTo("2026-05-10"))
                .body("changePercent", notNullValue());
        Browser.open(service, "symbols=\"TJS\"");
        Map<String, String> tjs = item(await(Duration.ofSeconds(10), "TJS", i -> i.size() == 1), "TJS");
        assertThat(tjs.get("change")).isEqualTo("—");
        assertThat(tjs.get("classes")).contains("flat");
        assertThat(tjs.get("title")).contains("the previous rate is of 2026-05-10, more than 7 days before 2026-05-27");

        // within a week, the change is shown
        Admin.post("{\"rates\":[{\"currency\":\"TJS\",\"asOf\":\"2026-05-20\",\"perUsd\":9.5}]}").statusCode(200);
        Map<String, String> within = item(await(Duration.ofSeconds(10), "TJS unchanged",
                i -> "= 0%".equals(item(i, "TJS").get("change"))), "TJS");
        assertThat(within.get("title")).doesNotContain("change not shown");
    }
}
