package io.rateticker.widget;

import static io.rateticker.widget.Browser.await;
import static io.rateticker.widget.Browser.item;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import io.rateticker.TcpProxy;
import io.rateticker.TestClock;

/**
 * The widget on data no other test touches (a rate that turns stale with no new value, which the stream sends as an
 * event without an id and the widget marks without waiting for its slow recheck of the JSON; a change from long ago;
 * an older JSON answer), and behind a connection that goes silent or drops ({@link TcpProxy} between the browser and
 * the service). Moves the clock, so it has an application of its own.
 */
@QuarkusTest
@TestProfile(WidgetRecheckTest.Profile.class)
class WidgetRecheckTest {

    /** A browser reconnects a dropped stream after 250 ms, not 5 s: five drops in a row take seconds. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ticker.stream.retry", "250");
        }
    }

    /**
     * Every EventSource the page makes counts itself and records what it hears (the widget's listeners see the
     * same): its URL, its events with their ids, and its errors.
     */
    private static final String RECORDER = "window.streams = []; window.heard = []; window.errors = 0;"
            + "const Real = window.EventSource; window.EventSource = class extends Real {"
            + " constructor(url, init) { super(url, init); window.streams.push(url);"
            + " for (const type of ['snapshot', 'rate', 'ping']) this.addEventListener(type,"
            + "  e => window.heard.push({type, id: e.lastEventId, data: e.data}));"
            + " this.addEventListener('error', () => window.errors++); } };";

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

    /**
     * A proxy that holds the stream open without passing a byte (a buffering proxy, an antivirus) after it had
     * worked: the widget hears no ping within the heartbeat (1 s here) and 5 s, gives the stream up although the
     * browser saw no error (before, only three errors did that: a silent stream was kept for ever), and when the
     * proxy is back it is live again: a write reaches it by the stream, since it polls only every 10 min.
     */
    @Test
    void aSilentStreamIsGivenUpAndTheWidgetIsLiveAgainOnceThePathIsBack() throws Exception {
        try (TcpProxy proxy = new TcpProxy(service.getPort())) {
            Browser.open(service, "src=\"http://localhost:" + proxy.port() + "\" symbols=\"KGS\" poll=\"600\"", RECORDER);
            await(Duration.ofSeconds(10), "KGS", i -> item(i, "KGS").get("value") != null);
            Browser.await(Duration.ofSeconds(10), "a ping", () -> heard("ping"), pings -> pings > 0);

            long streams = streams();
            Object errors = Browser.script("return window.errors;");
            proxy.blackhole();
            Browser.await(Duration.ofSeconds(20), "a new stream, the silent one given up", () -> streams(),
                    n -> n > streams);
            assertThat(Browser.script("return window.errors;")).as("errors the browser saw").isEqualTo(errors);
            // reopened by the widget itself, the stream resumes after the last change it shows
            assertThat((String) Browser.script("return window.streams[window.streams.length - 1];")).endsWith(
                    "lastEventId=" + Browser.script("return window.heard.find(e => e.type === 'snapshot').id;"));

            proxy.restore();
            long heardBefore = heard("ping");
            Browser.await(Duration.ofSeconds(20), "the stream back", () -> heard("ping"), n -> n > heardBefore);
            Admin.write("KGS", "86.5");
            await(Duration.ofSeconds(10), "KGS at 86.5 by the stream", i -> "0.01156".equals(item(i, "KGS").get("value")));
        }
    }

    /**
     * Five drops in a row (a proxy resetting the connection): each is resumed with Last-Event-ID (before, the third
     * drop in a page's life made the widget give the stream up, poll for 40 s, and reopen it without an id), and every
     * write is heard once, in order: no second snapshot, no event missed or repeated. A write made while the stream
     * is down comes as a replayed event, one made after as a live one: either way once. Whether the browser resumes
     * or (on a machine so busy that a ping comes late) the widget reopens, the stream resumes after what is shown.
     */
    @Test
    void fiveDropsInARowAreEachResumedWithoutALostOrRepeatedEvent() throws Exception {
        try (TcpProxy proxy = new TcpProxy(service.getPort())) {
            Browser.open(service, "src=\"http://localhost:" + proxy.port() + "\" symbols=\"TMT\" poll=\"600\"", RECORDER);
            await(Duration.ofSeconds(10), "TMT", i -> item(i, "TMT").get("value") != null);
            List<String> written = new ArrayList<>();
            for (int drop = 1; drop <= 5; drop++) {
                long pings = heard("ping");
                proxy.cut();
                int drops = drop;
                Browser.await(Duration.ofSeconds(10), "drop " + drop + " seen",
                        () -> ((Number) Browser.script("return window.errors;")).intValue(), n -> n >= drops);
                Admin.write("TMT", "3.5" + drop);
                written.add(given().get("/api/v1/rates?symbols=TMT").then().extract().path("sequence").toString());
                // a resumed stream opens with a ping: back before the next drop
                Browser.await(Duration.ofSeconds(10), "resumed after drop " + drop, () -> heard("ping"), n -> n > pings);
            }
            await(Duration.ofSeconds(10), "TMT at 3.55", i -> "0.2817".equals(item(i, "TMT").get("value")));
            @SuppressWarnings("unchecked")
            List<Map<String, String>> heard = (List<Map<String, String>>) Browser.script(
                    "return window.heard.filter(e => e.type !== 'ping');");
            assertThat(heard).extracting(e -> e.get("type")).as("one snapshot, then only events")
                    .containsExactly("snapshot", "rate", "rate", "rate", "rate", "rate");
            assertThat(heard.subList(1, 6)).extracting(e -> e.get("id")).containsExactlyElementsOf(written);
            assertThat(Browser.script("return window.streams.slice(1).filter(url => !url.includes('lastEventId='));"))
                    .as("streams the widget opened afresh after the first").asList().isEmpty();
        }
    }

    private static long streams() {
        return ((Number) Browser.script("return window.streams.length;")).longValue();
    }

    private static long heard(String type) {
        return ((Number) Browser.script("return window.heard.filter(e => e.type === arguments[0]).length;", type))
                .longValue();
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
        assertThat(tjs.get("title")).contains("official rate of May 27, 2026").contains("previous rate of May 10, 2026");

        // within a week, the change is shown
        Admin.post("{\"rates\":[{\"currency\":\"TJS\",\"asOf\":\"2026-05-20\",\"perUsd\":9.5}]}").statusCode(200);
        Map<String, String> within = item(await(Duration.ofSeconds(10), "TJS unchanged",
                i -> "= 0%".equals(item(i, "TJS").get("change"))), "TJS");
        assertThat(within.get("title")).doesNotContain("previous rate");
    }
}
