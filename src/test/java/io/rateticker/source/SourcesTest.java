package io.rateticker.source;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.rateticker.Admin.refresh;
import static io.rateticker.Numbers.number;
import static io.rateticker.source.SourceViews.awaitTheStart;
import static io.rateticker.source.SourceViews.fetches;
import static io.rateticker.source.SourceViews.source;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.LogCapture;
import io.rateticker.Metrics;
import io.rateticker.Numbers;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The sources over real HTTP against {@link UpstreamStub}: the start, every failure mode, the breaker. Nothing here
 * changes what is served or moves the clock, so each test meets the start as it was, in any order; what does is in
 * {@link FedDocumentsTest}.
 */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class SourcesTest {

    private static final String NBKR = "/nbkr/daily.xml";

    @UpstreamStub.Inject
    WireMockServer upstream;

    @UpstreamStub.Inject
    UpstreamConnections connections;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeAll
    static void exactNumbers() {
        RestAssured.config = Numbers.exact();
    }

    @BeforeEach
    void wellBehavedBanks() {
        awaitTheStart();
        UpstreamStub.reset(upstream);
        breakers.resetAll();
    }

    @Test
    void aFreshStartFillsAllFiveFromTheirBanksWithBackfilledChanges() {
        assertThat(source("nbkr").getMap("backfill")).isNull();
        // CBU publishes Monday to Friday: 42 of the 60 days from 2026-03-27 to 2026-05-25, Tashkent's today
        assertThat(source("cbu").getMap("backfill")).containsEntry("from", "2026-03-27").containsEntry("to", "2026-05-25")
                .containsEntry("total", 42).containsEntry("done", 42);
        when().get("/api/v1/rates/KGS").then().body("source", equalTo("nbkr"))
                .body("perUsd", number("87.45")).body("asOf", equalTo("2026-05-24"))
                // the change is from the value served before: the Bank of Russia's cross of 25.04, NBKR's having none
                .body("changePercent", number("-0.0535")).body("previousAsOf", equalTo("2026-04-25"))
                .body("previousSource", equalTo("cbr"));
        when().get("/api/v1/rates/TJS").then().body("perUsd", number("9.3371"))
                .body("asOf", equalTo("2026-05-19")).body("changePercent", number("0.0846"))
                .body("previousAsOf", equalTo("2026-05-18")).body("previousSource", equalTo("nbt"));
        // UZS: with CBU's lapsed, the Bank of Russia's cross of 25.04 is the latest; its change is from CBU's rate of
        // 02.04, served before it, as the history shows
        when().get("/api/v1/rates/UZS").then().body("source", equalTo("cbr")).body("asOf", equalTo("2026-04-25"))
                .body("changePercent", number("1.0118")).body("previousSource", equalTo("cbu"))
                .body("previousAsOf", equalTo("2026-04-02"));
        when().get("/api/v1/rates/TMT").then().body("perUsd", number("3.5"))
                .body("asOf", equalTo("2026-05-21")).body("changePercent", number("0"));
        // NBK and CBU have nothing for 25.04: there, and only there, the Bank of Russia's cross is served
        when().get("/api/v1/rates/KZT/history?from=2026-03-30&to=2026-04-30").then()
                .body("points.source", contains("nbk", "nbk", "cbr"))
                .body("points.perUsd", contains(number("478.77"), number("475.09"),
                        number("462.869242272"))) // a cross rate: stored with 30 decimals, served with 12 digits
                .body("points.changePercent[1]", number("0.7746"))
                .body("points.changePercent[2]", number("2.6402"));
        when().get("/api/v1/rates/UZS/history?from=2026-03-30&to=2026-04-30").then()
                .body("points.source", contains("cbu", "cbu", "cbr"))
                .body("points.perUsd[1]", number("12142.1"))
                .body("points.changePercent[2]", number("1.0118"));
        assertThat(source("nbkr").getString("lastSuccessAt")).isNotNull();
        assertThat(source("nbk").getString("circuit")).isEqualTo("closed");

        // each bank's own latest rates, in its own currency, as its specimen publishes them (÷ nominal): one series
        // per bank and quote, the configured quotes only (USD, EUR, RUB, CNY and the five, less its own currency)
        String scrape = Metrics.scrape();
        Map<String, Double> dollar = Map.of("nbkr", 87.45, "nbk", 475.09, "cbu", 12142.1, "nbt", 9.3371, "cbt", 3.5,
                "cbr", 75.5273);
        dollar.forEach((bank, value) -> assertThat(Metrics.value(scrape, "ticker_official_rate",
                "bank=\"" + bank + "\"", "currency=\"USD\"")).as(bank).isEqualTo(value));
        Map<String, Double> table = Map.of("nbk EUR", 551.06, "nbkr KZT", 0.1859, "cbr EUR", 88.2826,
                "cbr KGS", 0.864125, "cbu CNY", 1766.2, "cbt RUB", 0.049192, "nbt KGS", 0.10677);
        table.forEach((row, value) -> assertThat(Metrics.value(scrape, "ticker_official_rate",
                "bank=\"" + row.split(" ")[0] + "\"", "currency=\"" + row.split(" ")[1] + "\"")).as(row)
                .isEqualTo(value));
        assertThat(scrape.lines().filter(line -> line.startsWith("ticker_official_rate{"))).hasSize(6 * 8);
        assertThat(scrape).doesNotContain("currency=\"CHF\"");
    }

    @Test
    void everyFailureIsRecordedCountedAndKeepsTheLastGoodRates() {
        byte[] truncated = Arrays.copyOf(Specimens.bytes("nbkr-daily.xml"), 200);
        // A bank's failure is a WARN line of FetchScheduler's: nothing may log it again at ERROR (the HTTP client
        // did, for every answer it reset)
        LogCapture errors = LogCapture.start(record -> record.getLevel().intValue() >= Level.SEVERE.intValue());
        try (errors) {
            failEveryWay(truncated);
        }
        assertThat(errors.lines()).as("ERROR lines while a bank failed").isEmpty();
    }

    private void failEveryWay(byte[] truncated) {
        record Case(String name, ResponseDefinitionBuilder response, String error) {
        }
        for (Case c : new Case[] {
                new Case("500", aResponse().withStatus(500), "HTTP 500"),
                new Case("HTML page with 200", aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody("<html><body><h1>Service temporarily unavailable</h1></body></html>"),
                        "expected a <CurrencyRates> document, but the answer is an HTML page, beginning "
                                + "'<html><body><h1>Service temporarily unavailable</h1></body></html>'"),
                new Case("truncated XML", aResponse().withStatus(200).withBody(truncated), "not well-formed"),
                new Case("timeout", aResponse().withStatus(200).withFixedDelay(3000).withBody("<x/>"), "in time"),
                new Case("404", aResponse().withStatus(404), "HTTP 404") }) {
            breakers.resetAll();
            upstream.stubFor(get(urlEqualTo(NBKR)).willReturn(c.response()));
            double errors = fetches("nbkr", "error");
            int failures = source("nbkr").getInt("consecutiveFailures");

            JsonPath outcome = refresh("nbkr");
            assertThat(outcome.getString("[0].outcome")).as(c.name()).isEqualTo("error");
            assertThat(outcome.getString("[0].error")).as(c.name()).contains(c.error());
            assertThat(source("nbkr").getString("lastError")).as(c.name()).contains(c.error());
            assertThat(source("nbkr").getInt("consecutiveFailures")).as(c.name()).isEqualTo(failures + 1);
            assertThat(fetches("nbkr", "error")).as(c.name()).isEqualTo(errors + 1);
            when().get("/api/v1/rates/KGS").then().body("source", equalTo("nbkr"))
                    .body("perUsd", number("87.45"));
        }
        // 5xx is retried (2 retries in tests), 404 is not
        upstream.resetRequests();
        breakers.resetAll();
        upstream.stubFor(get(urlEqualTo(NBKR)).willReturn(aResponse().withStatus(503)));
        refresh("nbkr");
        upstream.verify(3, getRequestedFor(urlEqualTo(NBKR)));
    }

    /**
     * A bank's firewall that answers a request without {@code Accept} with a "Request Rejected" page and status 200
     * (a peer's feed went stale on it for days): every request names the bank's document type first, so the bank
     * answers, and such a page, when it comes anyway, is an error that quotes it, never a document.
     */
    @Test
    void everyRequestNamesTheDocumentTypeAndAFirewallsPageIsAnErrorQuotingIt() {
        String rejected = "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. "
                + "Please consult with your administrator.</body></html>";
        upstream.stubFor(get(urlEqualTo(NBKR)).withHeader("Accept", absent()).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody(rejected)));
        assertThat(refresh("nbkr").getString("[0].outcome")).isIn("success", "not_modified");
        upstream.verify(getRequestedFor(urlEqualTo(NBKR)).withHeader("Accept", WireMock.equalTo("application/xml, */*;q=0.1")));
        assertThat(refresh("cbu").getString("[0].outcome")).isIn("success", "not_modified");
        upstream.verify(getRequestedFor(urlEqualTo("/cbu/json/"))
                .withHeader("Accept", WireMock.equalTo("application/json, */*;q=0.1")));

        upstream.stubFor(get(urlEqualTo(NBKR)).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody(rejected)));
        String quoted = "expected a <CurrencyRates> document, but the answer is an HTML page, beginning "
                + "'<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. Please consu…'";
        assertThat(refresh("nbkr").getString("[0].error")).isEqualTo(quoted);
        assertThat(source("nbkr").getString("lastError")).isEqualTo(quoted);
        when().get("/api/v1/rates/KGS").then().body("source", equalTo("nbkr")).body("perUsd", number("87.45"));
    }

    /**
     * NBKR drops clients after some twenty fresh TLS sessions: every request of a bank goes through one kept-alive
     * connection, and one the bank has dropped is retried on a new one.
     */
    @Test
    void aBanksRequestsShareOneKeptAliveConnectionAndADroppedOneIsRetriedOnANewOne() {
        assertThat(refresh("nbkr").getString("[0].outcome")).isIn("success", "not_modified");
        long open = connections.count("nbkr");
        for (int i = 0; i < 3; i++) {
            assertThat(refresh("nbkr").getString("[0].outcome")).isIn("success", "not_modified");
        }
        assertThat(connections.count("nbkr")).as("connections for three more requests").isEqualTo(open);

        upstream.stubFor(get(urlEqualTo(NBKR)).atPriority(1).inScenario("dropped").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)).willSetStateTo("reset"));
        upstream.stubFor(get(urlEqualTo(NBKR)).atPriority(1).inScenario("dropped").whenScenarioStateIs("reset")
                .willReturn(aResponse().withStatus(200).withBody(Specimens.bytes("nbkr-daily.xml"))));
        upstream.resetRequests();
        assertThat(refresh("nbkr").getString("[0].outcome")).isEqualTo("success");
        upstream.verify(2, getRequestedFor(urlEqualTo(NBKR)));
        assertThat(connections.count("nbkr")).as("connections after one was dropped").isEqualTo(open + 1);
    }

    /** A redirect within the bank's host is followed once; one to another host (a captive portal) never. */
    @Test
    void redirectsAreFollowedOnceWithinTheBanksHostAndNeverToAnother() {
        String base = "http://127.0.0.1:" + upstream.port();
        upstream.stubFor(get(urlEqualTo(NBKR)).atPriority(1).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://portal.example.invalid/login?to=nbkr")));
        assertThat(refresh("nbkr").getString("[0].error")).isEqualTo("HTTP 302 from " + base + NBKR
                + ": redirected to http://portal.example.invalid/login?to=nbkr, another host: not followed");
        upstream.verify(1, getRequestedFor(urlEqualTo(NBKR))); // and not retried: it would be the same

        upstream.stubFor(get(urlEqualTo(NBKR)).atPriority(1).willReturn(aResponse().withStatus(301)
                .withHeader("Location", "/nbkr/moved/daily.xml")));
        upstream.stubFor(get(urlEqualTo("/nbkr/moved/daily.xml")).willReturn(aResponse().withStatus(200)
                .withBody(Specimens.bytes("nbkr-daily.xml"))));
        assertThat(refresh("nbkr").getString("[0].outcome")).isEqualTo("success");

        upstream.stubFor(get(urlEqualTo("/nbkr/moved/daily.xml")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", base + "/nbkr/elsewhere.xml")));
        assertThat(refresh("nbkr").getString("[0].error")).isEqualTo("HTTP 302 from " + base
                + "/nbkr/moved/daily.xml: redirected to " + base + "/nbkr/elsewhere.xml after " + base + NBKR
                + " was redirected there: a redirect is followed once");
        upstream.verify(0, getRequestedFor(urlEqualTo("/nbkr/elsewhere.xml")));
        when().get("/api/v1/rates/KGS").then().body("source", equalTo("nbkr")).body("perUsd", number("87.45"));
    }

    @Test
    void connectionRefused() {
        upstream.stop();
        try {
            JsonPath outcome = refresh("cbr");
            assertThat(outcome.getString("[0].outcome")).isEqualTo("error");
            assertThat(outcome.getString("[0].error")).contains("cannot connect");
            assertThat(source("cbr").getString("lastError")).contains("cannot connect");
        } finally {
            upstream.start();
        }
        when().get("/api/v1/rates/KZT").then().body("source", equalTo("cbr"));
    }

    @Test
    void emptyJsonArrayAndWrongDateInBody() {
        upstream.stubFor(get(urlEqualTo("/cbu/json/")).willReturn(aResponse().withStatus(200).withBody("[]")));
        assertThat(refresh("cbu").getString("[0].error")).contains("empty array");
        // NBT is asked for today (25.05 in Dushanbe) and answers with 19.05: not today's document
        upstream.stubFor(get(urlEqualTo("/nbt/export_xml.php?date=2026-05-25&export=xmlout"))
                .willReturn(aResponse().withStatus(200).withBody(Specimens.bytes("nbt-2026-05-19.xml"))));
        assertThat(refresh("nbt").getString("[0].error"))
                .contains("the document is for 2026-05-19, not the requested 2026-05-25");
        when().get("/api/v1/rates/TJS").then().body("perUsd", number("9.3371"));
    }

    @Test
    void conditionalGetGives304AndNotModified() {
        upstream.stubFor(get(urlEqualTo(NBKR)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"v1\"")
                .withBody(Specimens.bytes("nbkr-daily.xml"))));
        upstream.stubFor(get(urlEqualTo(NBKR)).withHeader("If-None-Match", WireMock.equalTo("\"v1\""))
                .willReturn(aResponse().withStatus(304)));
        assertThat(refresh("nbkr").getString("[0].outcome")).isEqualTo("success");
        double before = fetches("nbkr", "not_modified");
        JsonPath outcome = refresh("nbkr");
        assertThat(outcome.getString("[0].outcome")).isEqualTo("not_modified");
        assertThat(outcome.getInt("[0].result.unchanged")).isEqualTo(5); // every row of NBKR's table
        assertThat(fetches("nbkr", "not_modified")).isEqualTo(before + 1);
        upstream.verify(getRequestedFor(urlEqualTo(NBKR)).withHeader("If-None-Match", WireMock.equalTo("\"v1\"")));
    }

    @Test
    void theBreakerOpensAfterRepeatedFailuresAndRecovers() throws Exception {
        upstream.stubFor(get(urlEqualTo(NBKR)).willReturn(aResponse().withStatus(500)));
        refresh("nbkr");
        refresh("nbkr");
        assertThat(source("nbkr").getString("circuit")).isEqualTo("open");
        assertThat(Metrics.value(Metrics.scrape(), "ticker_source_circuit_open", "source=\"nbkr\"")).isEqualTo(1.0);
        upstream.resetRequests();
        assertThat(refresh("nbkr").getString("[0].error")).contains("circuit breaker open").contains("HTTP 500");
        upstream.verify(0, getRequestedFor(urlEqualTo(NBKR)));
        assertThat(source("nbkr").getString("lastError")).as("the real cause while open").contains("HTTP 500");

        UpstreamStub.reset(upstream);
        upstream.stubFor(get(urlEqualTo(NBKR)).willReturn(aResponse().withStatus(200)
                .withBody(Specimens.bytes("nbkr-daily.xml"))));
        // the delay is 5 s (UpstreamStub)
        Awaitility.await("the breaker half-opens after its delay").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> source("nbkr").getString("circuit"), "half-open"::equals);
        assertThat(refresh("nbkr").getString("[0].outcome")).isEqualTo("success");
        assertThat(source("nbkr").getString("circuit")).isEqualTo("closed");
        assertThat(source("nbkr").getInt("consecutiveFailures")).isZero();
        assertThat(Metrics.value(Metrics.scrape(), "ticker_source_circuit_open", "source=\"nbkr\"")).isEqualTo(0.0);
    }





    @Test
    void sourcesAndTheirMetricsAreListed() {
        when().get("/api/v1/sources").then().statusCode(200)
                .body("id", contains("nbkr", "nbk", "cbu", "nbt", "cbt", "cbr"))
                .body("find { it.id == 'nbt' }.terms", containsString("www.nbt.tj"))
                .body("find { it.id == 'cbr' }.currencies", contains("KGS", "KZT", "TJS", "UZS", "TMT"))
                .body("timeZone", hasItem("Asia/Bishkek"))
                .body("find { it.id == 'cbr' }.schedule", equalTo("0 0 12 ? * MON-FRI"))
                .body("find { it.id == 'cbr' }.timeZone", equalTo("Europe/Moscow"))
                .body("find { it.id == 'cbr' }.nextRunAt", notNullValue())
                .body("find { it.id == 'nbkr' }.schedule", equalTo("off"))
                .body("find { it.id == 'nbkr' }.nextRunAt", nullValue());
        String scrape = Metrics.scrape();
        assertThat(Metrics.value(scrape, "ticker_source_fetch_duration_seconds_count", "source=\"nbk\""))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(Metrics.value(scrape, "ticker_source_last_success_timestamp_seconds", "source=\"nbk\"")).isPositive();
    }
}
