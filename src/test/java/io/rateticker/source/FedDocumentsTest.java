package io.rateticker.source;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static io.rateticker.Admin.feed;
import static io.rateticker.Numbers.number;
import static io.rateticker.source.SourceViews.awaitTheStart;
import static io.rateticker.source.SourceViews.fetches;
import static io.rateticker.source.SourceViews.source;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.Metrics;
import io.rateticker.Numbers;
import io.rateticker.TestClock;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * What changes the served rates or moves the clock, against {@link UpstreamStub}: the guard, documents fed by hand,
 * every bank down. In an application of its own ({@link UpstreamProfile.MovingClock}), so that {@link SourcesTest} meets
 * the start as it was.
 */
@QuarkusTest
@TestProfile(UpstreamProfile.MovingClock.class)
class FedDocumentsTest {

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

    @BeforeEach
    void wellBehavedBanks() {
        awaitTheStart();
        UpstreamStub.reset(upstream);
        breakers.resetAll();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theGuardHoldsBackAnImplausibleTmtAndATenfoldJump() {
        // a minute on, so that the success below is this test's own whatever ran before it
        clock.advance(Duration.ofMinutes(1));
        assertThat(source("cbt").getString("lastSuccessAt")).isNotEqualTo(clock.instant().toString());
        String kgsBefore = when().get("/api/v1/rates/KGS").then().extract().asString();
        JsonPath tmt = feed("cbt", utf8("<cbt_currency_rate><date>22.05.2026</date><rate code=\"USD\"><rate_usd>1</rate_usd>"
                + "<multiplier>1</multiplier><rate_tmt>3.02</rate_tmt></rate></cbt_currency_rate>"));
        assertThat(tmt.getString("items[0].outcome")).isEqualTo("rejected");
        assertThat(tmt.getString("items[0].reason")).contains("outside the plausible range 3.3–3.7");
        // a document fed by hand is the bank's latest as much as a fetched one (cbt.tm refuses many addresses)
        assertThat(source("cbt").getString("lastSuccessAt")).isEqualTo(clock.instant().toString());
        assertThat(Metrics.value(Metrics.scrape(), "ticker_source_last_success_timestamp_seconds", "source=\"cbt\""))
                .isEqualTo(clock.instant().getEpochSecond());
        when().get("/api/v1/rates/TMT").then().body("perUsd", number("3.5"));

        JsonPath kgs = feed("nbkr", utf8("<CurrencyRates Date=\"25.05.2026\"><Currency ISOCode=\"USD\"><Nominal>1</Nominal>"
                + "<Value>874,5000</Value></Currency></CurrencyRates>"));
        assertThat(kgs.getString("items[0].outcome")).isEqualTo("rejected");
        assertThat(kgs.getString("items[0].reason")).contains("moves 900 %");
        assertThat(when().get("/api/v1/rates/KGS").then().extract().asString()).isEqualTo(kgsBefore);

        assertThat(source("cbt").getList("rejections.perUsd").toString()).contains("3.02");
        assertThat(source("nbkr").getString("rejections[0].reason")).contains("moves 900 %");
        assertThat(Metrics.value(Metrics.scrape(), "ticker_ingest_total", "source=\"cbt\"", "outcome=\"rejected\""))
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aSecondSourceWithinOnePercentConfirmsALargeMove() {
        JsonPath first = feed("nbkr", utf8("<CurrencyRates Date=\"26.05.2026\"><Currency ISOCode=\"USD\"><Nominal>1</Nominal>"
                + "<Value>105</Value></Currency></CurrencyRates>"));
        assertThat(first.getString("items[0].outcome")).isEqualTo("rejected");
        when().get("/api/v1/rates/KGS").then().body("perUsd", number("87.45"));

        JsonPath second = feed("cbr", utf8("<ValCurs Date=\"26.05.2026\"><Valute><CharCode>USD</CharCode><Nominal>1</Nominal>"
                + "<Value>100</Value></Valute><Valute><CharCode>KGS</CharCode><Nominal>100</Nominal>"
                + "<Value>94,9668</Value></Valute></ValCurs>"));
        // the KGS dollar rows of the write; the rouble's own rows (of USD and KGS) are accepted besides
        assertThat(second.getList("items.findAll { it.currency == 'KGS' }.outcome")).containsExactly("accepted", "released");
        assertThat(second.getList("items.findAll { it.currency == 'KGS' }.source")).containsExactly("cbr", "nbkr");
        assertThat(second.getString("items.find { it.outcome == 'released' }.reason"))
                .isEqualTo("confirmed by cbr for the same date");
        assertThat(second.getList("items.findAll { it.currency == 'RUB' }.quote")).containsExactly("USD", "KGS");
        when().get("/api/v1/rates/KGS").then().body("source", equalTo("nbkr"))
                .body("perUsd", number("105")).body("asOf", equalTo("2026-05-26"));
        // the two sources now differ by 0.2857 % for that date: reported, not flagged (limit 2 %)
        assertThat(source("cbr").getString("divergence.find { it.currency == 'KGS' }.percent")).isEqualTo("0.2857");
        assertThat(source("cbr").getBoolean("divergence.find { it.currency == 'KGS' }.flagged")).isFalse();
        assertThat(Metrics.value(Metrics.scrape(), "ticker_source_divergence_percent", "currency=\"KGS\"",
                "source=\"cbr\"")).isEqualTo(0.2857);

        // a plausible cross (within 15 % of the previous date) that is 4.76 % off the bank's value: flagged
        JsonPath far = feed("cbr", utf8("<ValCurs Date=\"26.05.2026\"><Valute><CharCode>USD</CharCode><Nominal>1</Nominal>"
                + "<Value>100</Value></Valute><Valute><CharCode>KGS</CharCode><Nominal>100</Nominal>"
                + "<Value>100</Value></Valute></ValCurs>"));
        assertThat(far.getString("items[0].outcome")).isEqualTo("accepted");
        assertThat(source("cbr").getString("divergence.find { it.currency == 'KGS' }.percent")).isEqualTo("-4.7619");
        assertThat(source("cbr").getBoolean("divergence.find { it.currency == 'KGS' }.flagged")).isTrue();
        when().get("/api/v1/rates/KGS").then().body("source", equalTo("nbkr")).body("perUsd", number("105"));
    }

    @Test
    void documentsFedByHandGoThroughTheSameParserAndChecks() {
        Map<String, String> specimens = Map.of("nbkr", "nbkr-daily.xml", "nbk", "nbk-get-rates-2026-04-01.xml",
                "cbu", "cbu-all-2026-04-01.json", "nbt", "nbt-2026-05-18.xml", "cbt", "cbt-20052026.xml",
                "cbr", "cbr-xml-daily-2026-04-25.xml");
        specimens.forEach((source, file) -> {
            JsonPath result = feed(source, Specimens.bytes(file));
            assertThat(result.getList("items")).as(source).isNotEmpty();
            assertThat(result.getList("items.source")).as(source).containsOnly(source);
            // CBU's manat of 01.04 (4037.68 sum, 3.02 manat per dollar) is 16 % off its next day's: held back as the
            // backfill met it, and again now
            assertThat(result.getList("items.findAll { it.outcome == 'rejected' }.quote"))
                    .as(source).isEqualTo(source.equals("cbu") ? List.of("TMT") : List.of());
        });
        given().auth().oauth2(Admin.TOKEN).contentType("text/html").body("<html>Access denied</html>")
                .when().post("/api/v1/admin/sources/cbt/documents").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("not a cbt document"))
                .body("detail", containsString("nothing was stored"));
        given().auth().oauth2(Admin.TOKEN).body("{}").when().post("/api/v1/admin/sources/ecb/documents").then()
                .statusCode(404).contentType("application/problem+json");
        // A date no bank publishes (a typo, or a hostile file) is refused: served, 2062 would hold KGS for good.
        // Two days after today in Bishkek is the latest date a bank may announce.
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Bishkek"));
        long sequence = Math.round(Metrics.value(Metrics.scrape(), "ticker_cluster_sequence"));
        for (String[] date : new String[][] {{"01.01.2062", "more than 2 days after today (" + today + " in Asia/Bishkek)"},
                {today.plusDays(3).format(DateTimeFormatter.ofPattern("dd.MM.yyyy")), "more than 2 days after today"},
                {"31.12.1900", "before ticker.sources.earliest (1992-01-01)"}}) {
            given().auth().oauth2(Admin.TOKEN).contentType("application/xml")
                    .body(utf8("<CurrencyRates Date=\"" + date[0] + "\"><Currency ISOCode=\"USD\"><Nominal>1</Nominal>"
                            + "<Value>88,1</Value></Currency></CurrencyRates>"))
                    .when().post("/api/v1/admin/sources/nbkr/documents").then()
                    .statusCode(422).contentType("application/problem+json")
                    .body("detail", containsString(date[1])).body("detail", containsString("nothing was stored"));
        }
        // and a value no bank publishes, refused on its text before any arithmetic (it once held the write lock for
        // a minute)
        given().auth().oauth2(Admin.TOKEN).contentType("application/xml")
                .body(utf8("<CurrencyRates Date=\"25.05.2026\"><Currency ISOCode=\"USD\"><Nominal>1</Nominal>"
                        + "<Value>1E+10000000</Value></Currency></CurrencyRates>"))
                .when().post("/api/v1/admin/sources/nbkr/documents").then()
                .statusCode(422).body("detail", containsString("out of range (1e-12 to 1e12): 1E+10000000"));
        assertThat(Math.round(Metrics.value(Metrics.scrape(), "ticker_cluster_sequence"))).as("nothing stored")
                .isEqualTo(sequence);
        given().body(Specimens.bytes("cbt-20052026.xml")).when().post("/api/v1/admin/sources/cbt/documents").then()
                .statusCode(401);
    }

    @Test
    void withEveryBankDownTheServiceKeepsServingAndSaysSo() {
        upstream.stop();
        try {
            JsonPath outcomes = given().auth().oauth2(Admin.TOKEN).when().post("/api/v1/admin/refresh").then()
                    .statusCode(200).extract().jsonPath();
            assertThat(outcomes.getList("outcome")).hasSize(6).containsOnly("error");
            when().get("/api/v1/sources").then().body("lastError", everyItem(containsString("cannot connect")));
            assertThat(fetches("nbt", "error")).isPositive();

            // five days on (from Monday, Saturday at least): past every bank's next publication after any date it
            // gave, at most two days ahead of Monday
            clock.advance(Duration.ofDays(5));
            when().get("/api/v1/rates").then().statusCode(200)
                    .body("rates", hasSize(5))
                    .body("rates.stale", everyItem(equalTo(true)))
                    .body("rates.find { it.currency == 'TJS' }.source", equalTo("nbt"));
            when().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name == 'rates-fresh' }.data.TJS", containsString("stale"));
        } finally {
            upstream.start();
        }
    }
}
