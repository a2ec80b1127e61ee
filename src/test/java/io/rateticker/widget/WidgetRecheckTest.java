package io.rateticker.widget;

import static io.rateticker.widget.Browser.await;
import static io.rateticker.widget.Browser.item;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.TestClock;

/**
 * A rate that turns stale with no new value sends no stream event; the widget's slow recheck of the JSON (every
 * ten poll periods while the stream is up) marks it anyway. Moves the clock, so it has an application of its own.
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
    void aRateTurningStaleByTimeAloneIsMarkedWhileTheStreamIsUp() throws Exception {
        // the bundled KGS rate is 30 h old at the start: fresh; the stream is up, the recheck runs every 2 s
        Browser.open(service, "symbols=\"KGS\" poll=\"0.2\"");
        await(Duration.ofSeconds(10), "KGS fresh", i -> item(i, "KGS").getOrDefault("classes", "").contains("flat"));
        assertThat(item(Browser.items(), "KGS").get("classes")).doesNotContain("stale");

        clock.advance(Duration.ofHours(7)); // 37 h: past ticker.freshness.max-age, and no write at all
        await(Duration.ofSeconds(10), "KGS marked stale by the recheck",
                i -> item(i, "KGS").getOrDefault("classes", "").contains("stale"));
        assertThat(Browser.shadow("return root.querySelector('.status').textContent;")).isEqualTo("");
    }
}
