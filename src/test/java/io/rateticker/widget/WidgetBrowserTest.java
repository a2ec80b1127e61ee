package io.rateticker.widget;

import static io.rateticker.widget.Browser.await;
import static io.rateticker.widget.Browser.item;
import static io.rateticker.widget.Browser.items;
import static io.rateticker.widget.Browser.shadow;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.Admin;
import io.rateticker.Observation;
import io.rateticker.TestClock;
import io.rateticker.service.RateWriter;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The widget in a real headless Chromium ({@link Browser}), embedded in pages served from
 * another origin (a second local port), fed by the real stream. Without the browser each test is skipped ({@code Tool}).
 */
@QuarkusTest
class WidgetBrowserTest {

    /** How long a page may take to show a state: bounded, never judged as speed. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String UP = "rgb(10, 125, 50)";
    private static final String DOWN = "rgb(198, 40, 40)";

    private static ChromeDriver browser;

    @TestHTTPResource("/")
    URL service;

    @Inject
    RateWriter rates;

    @BeforeEach
    void startBrowser() {
        browser = Browser.driver();
    }

    @AfterEach
    void noConsoleErrors() {
        assertThat(Browser.consoleErrorsAndReset()).as("console errors").isEmpty();
    }

    private void open(String attributes) {
        Browser.open(service, attributes);
    }

    @Test
    void rendersEveryTrackedPairFromTheSnapshot() throws Exception {
        open("");
        List<Map<String, String>> items = await(WAIT, "five pairs", i -> i.size() == 5);
        assertThat(items).extracting(i -> i.get("pair"))
                .containsExactly("KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD");
        assertThat(shadow("return root.querySelector('ul.copy').getAttribute('aria-hidden');")).isEqualTo("true");
        // in plain words, with the currency's name once the service has given it
        await(WAIT, "the region's label", () -> (String) shadow("return root.querySelector('.viewport').getAttribute('aria-label');"),
                label -> label.startsWith("Exchange rates. Kyrgyzstan Som (KGS/USD): "));
        assertThat(item(items, "KGS").get("title")).contains("official rate of");
    }

    /** {@code base="KZT"}: the dollar in tenge, then the crosses, live from the stream in tenge. */
    @Test
    void againstTheTengeTheDollarComesFirstAndMovesLive() throws Exception {
        // 480 on the 26th and now: no move yet
        Admin.post("{\"rates\":[{\"currency\":\"KZT\",\"asOf\":\"2026-05-26\",\"perUsd\":480},"
                + Admin.item("KZT", "480") + "," + Admin.item("KGS", "88") + "]}").statusCode(200);
        open("base=\"KZT\" symbols=\"USD,KGS\"");
        List<Map<String, String>> items = await(WAIT, "two pairs in tenge", i -> i.size() == 2
                && "480".equals(item(i, "USD").get("value")));
        assertThat(items).extracting(i -> i.get("pair")).containsExactly("USD/KZT", "KGS/KZT");
        assertThat(item(items, "KGS").get("value")).isEqualTo("5.455"); // 480 / 88
        Admin.write("KZT", "484.8");
        // two events of one write, each applied as it comes: both awaited
        List<Map<String, String>> moved = await(WAIT, "the tenge falls", i -> "484.8".equals(item(i, "USD").get("value"))
                && "5.509".equals(item(i, "KGS").get("value"))); // 484.8 / 88
        assertThat(item(moved, "USD").get("change")).isEqualTo("▲ +1%"); // the dollar buys 1 % more tenge
    }

    /** A bank's own row of another currency (no dollar rate: its perUsd is null) is highlighted when it moves too. */
    @Test
    void aBanksOwnRowInTengeMovesAndIsHighlighted() throws Exception {
        Admin.post("{\"rates\":[{\"currency\":\"KZT\",\"quote\":\"EUR\",\"asOf\":\"2026-05-26\",\"perUsd\":550},"
                + "{\"currency\":\"KZT\",\"quote\":\"EUR\",\"asOf\":\"" + TestClock.LATEST_AS_OF + "\",\"perUsd\":550}]}")
                .statusCode(200);
        open("base=\"KZT\" symbols=\"EUR\"");
        await(WAIT, "EUR in tenge", i -> i.size() == 1 && "550".equals(item(i, "EUR").get("value")));
        recordHighlights();
        Admin.post("{\"rates\":[{\"currency\":\"KZT\",\"quote\":\"EUR\",\"asOf\":\"" + TestClock.LATEST_AS_OF
                + "\",\"perUsd\":555.5}]}").statusCode(200);
        Map<String, String> up = item(await(WAIT, "EUR at 555.5", i -> "555.5".equals(item(i, "EUR").get("value"))),
                "EUR");
        assertThat(up.get("pair")).isEqualTo("EUR/KZT");
        assertThat(up.get("change")).isEqualTo("▲ +1%");
        assertThat(browser.executeScript("return window.highlighted;")).as("briefly highlighted").asList()
                .contains("EUR");
    }

    @Test
    void aWriteChangesValueSignArrowAndColourWithoutReload() throws Exception {
        open("symbols=\"KGS\"");
        await(WAIT, "KGS", i -> i.size() == 1);
        Object page = browser.executeScript("window.marker = 42; return window.marker;");
        recordHighlights();

        // the previous manual KGS is 87.45 of 26.05: 90 per USD is the som falling 2.83 %
        Admin.post("{\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"2026-05-26\",\"perUsd\":87.45}]}").statusCode(200);
        Admin.write("KGS", "90");
        Map<String, String> down = item(await(WAIT, "KGS at 90",
                i -> "0.01111".equals(item(i, "KGS").get("value"))), "KGS");
        assertThat(down.get("change")).isEqualTo("▼ -2.83%");
        assertThat(down.get("classes")).contains("down");
        assertThat(browser.executeScript("return window.highlighted;")).as("briefly highlighted")
                .asList().contains("KGS");
        assertThat(down.get("color")).isEqualTo(DOWN);

        Admin.write("KGS", "85");
        Map<String, String> up = item(await(WAIT, "KGS at 85",
                i -> "0.01176".equals(item(i, "KGS").get("value"))), "KGS");
        assertThat(up.get("change")).isEqualTo("▲ +2.88%");
        assertThat(up.get("color")).isEqualTo(UP);
        assertThat(browser.executeScript("return window.marker;")).isEqualTo(page); // no reload
    }

    @Test
    void symbolsModeDigitsAndStaticBehave() throws Exception {
        Admin.write("UZS", "12194.21");
        open("symbols=\"uzs,kgs\" mode=\"per-usd\" static");
        List<Map<String, String>> items = await(WAIT, "two pairs", i -> i.size() == 2);
        assertThat(items).extracting(i -> i.get("pair")).containsExactly("USD/KGS", "USD/UZS");
        assertThat(item(items, "UZS").get("value")).isEqualTo("12,194"); // never fewer digits than the integer part
        assertThat(shadow("return getComputedStyle(root.querySelector('.track')).animationName;")).isEqualTo("none");
        assertThat(shadow("return getComputedStyle(root.querySelector('ul.copy')).display;")).isEqualTo("none");

        open("symbols=\"UZS\"");
        Map<String, String> uzs = item(await(WAIT, "UZS", i -> i.size() == 1), "UZS");
        assertThat(uzs.get("value")).isEqualTo("0.00008201"); // 4 significant digits, not 0.00008
        open("symbols=\"UZS\" digits=\"6\"");
        assertThat(item(await(WAIT, "UZS", i -> i.size() == 1), "UZS").get("value"))
                .isEqualTo("0.0000820061");
    }

    @Test
    void scrollsPausesOnFocusAndStandsStillUnderReducedMotion() throws Exception {
        open("speed=\"200\"");
        await(WAIT, "five pairs", i -> i.size() == 5);
        Object before = transform();
        await(WAIT, "scrolling", WidgetBrowserTest::transform, moved -> !moved.equals(before));
        shadow("root.querySelector('.viewport').focus();");
        assertThat(shadow("return getComputedStyle(root.querySelector('.track')).animationPlayState;"))
                .isEqualTo("paused");
        // The pause shows at the next frame, which a busy machine may draw late, and two reads may fall in one frame
        // while it still moves: what holds is a transform that stays put for 400 ms, at whatever point it stopped.
        Object[] last = {transform()};
        Awaitility.await("paused while focused").during(Duration.ofMillis(400)).atMost(WAIT)
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    Object now = transform();
                    boolean same = now.equals(last[0]);
                    last[0] = now;
                    return same;
                });

        browser.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-reduced-motion", "value", "reduce"))));
        open("speed=\"200\"");
        await(WAIT, "five pairs", i -> i.size() == 5);
        assertThat(shadow("return getComputedStyle(root.querySelector('.track')).animationName;")).isEqualTo("none");
        Object still = transform();
        Awaitility.await("still under reduced motion").during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5))
                .until(() -> transform().equals(still));
    }

    private static Object transform() {
        return shadow("return getComputedStyle(root.querySelector('.track')).transform;");
    }

    /**
     * The first paint comes from the JSON, asked at once beside the stream, whether the stream's connection keeps
     * failing (as a browser sees a proxy that resets it: an error, then a retry 3 s later) or is held open without a
     * byte (a buffering proxy). Both are EventSources of the page's own, which behave so. The oracle is causal, not a
     * clock: the failing stream had not failed once when the rates showed (before, the widget asked the JSON only
     * after three failures), and the silent one never says anything (before, nothing showed). The time from the
     * script to the paint, the 1 s target, is printed, not judged: speed is measured in bench/.
     */
    @Test
    void theFirstPaintComesFromTheJsonWhateverTheStreamDoes() throws Exception {
        String firstPaint = "window.streamErrors = 0; window.firstPaint = new Promise(resolve => {"
                + " setTimeout(() => resolve(null), 20000);"
                + " const check = () => { const t = document.getElementById('t');"
                + " if (t && t.shadowRoot && t.shadowRoot.querySelector('ul.items li .value'))"
                + " resolve({at: performance.now(), streamErrors: window.streamErrors});"
                + " else requestAnimationFrame(check); }; requestAnimationFrame(check); });";
        Map<String, String> streams = Map.of(
                "failing", "window.EventSource = class { constructor() { this.readyState = 0;"
                        + " this.timer = setInterval(() => { window.streamErrors++;"
                        + " if (this.onerror) this.onerror(new Event('error')); }, 3000); }"
                        + " addEventListener() {} close() { clearInterval(this.timer); this.readyState = 2; } };"
                        + " window.EventSource.CLOSED = 2;",
                "silent", "window.EventSource = class { constructor() { this.readyState = 0; }"
                        + " addEventListener() {} close() {} }; window.EventSource.CLOSED = 2;");
        for (String stream : List.of("failing", "silent")) {
            Browser.open(service, "symbols=\"KGS,TJS\"", firstPaint + streams.get(stream));
            @SuppressWarnings("unchecked")
            Map<String, Number> painted = (Map<String, Number>) Browser.script("return window.firstPaint;");
            assertThat(painted).as("a first paint with the stream %s", stream).isNotNull();
            assertThat(painted.get("streamErrors").intValue()).as("stream failures before the first paint, stream %s",
                    stream).isZero();
            assertThat(items()).hasSize(2);
            double arrived = ((Number) Browser.script("return performance.getEntriesByType('resource')"
                    + ".find(e => e.name.includes('/widget/rate-ticker.js')).responseEnd;")).doubleValue();
            System.out.printf("First paint %.0f ms after the widget's script arrived, the stream %s%n",
                    painted.get("at").doubleValue() - arrived, stream);
        }
    }

    @Test
    void withTheStreamBlockedItPollsAndStillUpdates() throws Exception {
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/api/v1/stream*")));
        open("symbols=\"TMT\" poll=\"1\"");
        await(WAIT, "TMT from polling", i -> i.size() == 1);
        Admin.write("TMT", "3.52");
        Map<String, String> tmt = item(await(WAIT, "TMT at 3.52 by polling",
                i -> "0.2841".equals(item(i, "TMT").get("value"))), "TMT");
        assertThat(tmt.get("pair")).isEqualTo("TMT/USD");
        assertThat(shadow("return root.querySelector('.status').textContent;")).isEqualTo("");

        // nothing answers at all: the widget says it is offline and keeps the last rates
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/api/v1/*")));
        await(WAIT, "offline shown", () -> shadow("return root.querySelector('.status').textContent;"),
                "offline, rates may be old"::equals);
        assertThat(item(items(), "TMT").get("value")).isEqualTo("0.2841");
    }

    @Test
    void staleRatesAreDimmedAndMarked() throws Exception {
        // received 40 hours ago: past ticker.freshness.max-age (36 h)
        rates.ingest(List.of(new Observation("TMT", LocalDate.parse(TestClock.LATEST_AS_OF), new BigDecimal("3.49"),
                "manual", TestClock.START.minus(Duration.ofHours(40)))), false);
        Admin.write("KGS", "87.5");
        open("symbols=\"KGS,TMT\"");
        List<Map<String, String>> items = await(WAIT, "two pairs", i -> i.size() == 2);
        assertThat(item(items, "TMT").get("classes")).contains("stale");
        assertThat(item(items, "TMT").get("title")).contains("; stale, received ");
        assertThat(shadow("return root.querySelector('li.stale .mark').textContent;")).isEqualTo("(stale)");
        // dimmed to the grey that still passes WCAG AA, rather than made transparent
        assertThat(shadow("return getComputedStyle(root.querySelector('li.stale .value')).color;"))
                .isEqualTo("rgb(95, 99, 104)");
        assertThat(item(items, "KGS").get("classes")).doesNotContain("stale");
    }

    @Test
    void theDemoPageShowsEverythingAndIsSavedAsAScreenshot() throws Exception {
        // written as rate, as README's example does: its perUsd (1 / rate) is stored with 34 digits, served with 12
        Admin.post("{\"source\":\"manual\",\"rates\":[{\"currency\":\"UZS\",\"asOf\":\"" + TestClock.LATEST_AS_OF
                + "\",\"rate\":0.0000820061}]}").statusCode(200);
        openDemoPage();
        assertThat(browser.executeScript("return document.querySelectorAll('rate-ticker').length;")).isEqualTo(4L);
        assertThat(browser.executeScript("return [...document.getElementById('ticker-tenge').shadowRoot"
                + ".querySelectorAll('ul.items:not(.copy) .pair')].map(p => p.textContent);"))
                .isEqualTo(JsonPath.from(RestAssured.get("/api/v1/rates?base=KZT&symbols=USD,EUR,RUB,CNY").asString())
                        .getList("rates.pair"));
        // a table per bank, each row as the rates in its currency give it, crosses marked
        assertThat(browser.executeScript("return [...document.querySelectorAll('#tables figure')].map(f => f.dataset.base);"))
                .isEqualTo(List.of("KGS", "KZT", "UZS", "TJS", "TMT", "RUB"));
        JsonNode tenge = new ObjectMapper().readTree(RestAssured.get("/api/v1/rates?base=KZT").asString()).get("rates");
        List<List<Object>> rows = new ArrayList<>();
        tenge.forEach(rate -> rows.add(List.of(rate.get("pair").asText(), rate.get("rate").asText(),
                rate.get("cross").asBoolean())));
        assertThat(browser.executeScript("return [...document.querySelectorAll('#tables figure[data-base=KZT] tr')]"
                + ".map(tr => [tr.dataset.pair, tr.children[1].textContent, tr.classList.contains('cross')]);"))
                .isEqualTo(rows);
        assertThat(browser.executeScript("return [...document.querySelectorAll('#rates tr[data-currency=UZS] td.num')]"
                + ".map(td => [td.textContent, td.title]);"))
                .as("UZS's rate with 12 significant digits at most; perUsd rounded as the widget shows it, in full on hover")
                .isEqualTo(List.of(List.of("0.0000820061", ""), List.of("12,194", "12194.2148206")));
        assertThat((String) browser.executeScript("return document.getElementById('snippet').textContent;"))
                .contains("/widget/rate-ticker.js\" defer></script>").contains("<rate-ticker></rate-ticker>");
        assertThat(browser.executeScript("return [...document.querySelectorAll('footer a')].map(a => a.getAttribute('href'));"))
                .asString().contains("/q/swagger-ui").contains("/q/metrics").contains("/q/health/ready");
        // README's picture shows the snippet with README's host, not this test's random port
        browser.executeScript("const s = document.getElementById('snippet');"
                + " s.textContent = s.textContent.replace(location.origin, 'https://rates.example');");
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("demo-page.png"), browser.getScreenshotAs(OutputType.BYTES));
        Files.write(SCREENSHOTS.resolve("demo-tables.png"), browser.findElement(
                org.openqa.selenium.By.cssSelector("section[aria-labelledby=tables-title]")).getScreenshotAs(OutputType.BYTES));
    }

    /**
     * A year's chart of each currency: a point per official date of the service's own series, in date order and
     * placed by date, the highest value at the top, the axes labelled without overlap at real size, and a CSV link to
     * the same year.
     */
    @Test
    void theDemoPageChartsEachCurrencysYearWithItsCsv() throws Exception {
        openDemoPage();
        JsonPath series = JsonPath.from(RestAssured.get("/api/v1/timeseries").asString());
        assertThat(browser.executeScript("return [...document.querySelectorAll('#charts figure')].map(f => f.dataset.currency);"))
                .isEqualTo(series.getList("symbols"));
        List<Map<String, Object>> kzt = series.getList("rows.findAll { it.currency == 'KZT' }");
        assertThat(kzt).hasSizeGreaterThanOrEqualTo(2); // the bundled two, and what other tests wrote
        @SuppressWarnings("unchecked")
        Map<String, Object> chart = (Map<String, Object>) browser.executeScript("""
                const f = document.querySelector('#charts figure[data-currency=KZT]');
                const svg = f.querySelector('svg');
                const points = svg.querySelector('polyline').getAttribute('points').trim().split(' ')
                  .map(p => p.split(',').map(Number));
                const boxes = l => [...svg.querySelectorAll('text.' + l)].map(t => t.getBBox());
                return { points, label: svg.getAttribute('aria-label'), y: [...svg.querySelectorAll('text.y')].map(t => t.textContent),
                  highest: new Intl.NumberFormat('en', { maximumSignificantDigits: 4 }).format(arguments[0]),
                  x: [...svg.querySelectorAll('text.x')].map(t => t.textContent),
                  xOverlaps: boxes('x').some((b, i, all) => i > 0 && all[i - 1].x + all[i - 1].width > b.x),
                  textPx: svg.querySelector('text.y').getBoundingClientRect().height,
                  csv: f.querySelector('a[download]').getAttribute('href') };""",
                kzt.stream().mapToDouble(r -> Double.parseDouble(String.valueOf(r.get("perUsd")))).max().orElseThrow());
        @SuppressWarnings("unchecked")
        List<List<Number>> points = (List<List<Number>>) chart.get("points");
        assertThat(points).as("a point per official date").hasSize(kzt.size());
        for (int i = 1; i < points.size(); i++) {
            assertThat(points.get(i).get(0).doubleValue()).as("placed by date").isGreaterThan(points.get(i - 1).get(0).doubleValue());
        }
        int highest = 0;
        for (int i = 0; i < kzt.size(); i++) {
            if (new BigDecimal(String.valueOf(kzt.get(i).get("perUsd")))
                    .compareTo(new BigDecimal(String.valueOf(kzt.get(highest).get("perUsd")))) > 0) {
                highest = i;
            }
        }
        double top = points.stream().mapToDouble(p -> p.get(1).doubleValue()).min().orElseThrow();
        assertThat(points.get(highest).get(1).doubleValue()).as("the most tenge per dollar at the top").isEqualTo(top);
        assertThat((String) chart.get("label")).startsWith("USD/KZT: " + kzt.size() + " official dates from "
                + kzt.get(0).get("asOf") + " to " + kzt.get(kzt.size() - 1).get("asOf"));
        assertThat((List<Object>) chart.get("y")).as("lowest, middle, highest").hasSize(3).last().isEqualTo(chart.get("highest"));
        assertThat((List<Object>) chart.get("x")).isNotEmpty().allMatch(label -> String.valueOf(label).matches("\\d{4}-\\d{2}"));
        assertThat(chart.get("xOverlaps")).isEqualTo(Boolean.FALSE);
        assertThat(((Number) chart.get("textPx")).doubleValue()).as("axis labels at real size").isGreaterThanOrEqualTo(11);

        String csv = RestAssured.get((String) chart.get("csv")).then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();
        assertThat(csv.lines().toList()).hasSize(kzt.size() + 1).first().asString().startsWith("asOf,pair,currency,base,rate,perUsd");
        assertThat((String) chart.get("csv")).contains("from=" + series.getString("from")).contains("to=" + series.getString("to"));

        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("demo-charts.png"), browser.findElement(
                org.openqa.selenium.By.cssSelector("section[aria-labelledby=year-title]")).getScreenshotAs(OutputType.BYTES));

        // in tenge: a chart per pair the tenge quotes, each a point per date of the pair's own series
        JsonPath inTenge = JsonPath.from(RestAssured.get("/api/v1/timeseries?base=KZT").asString());
        browser.executeScript("const s = document.getElementById('chart-base'); s.value = 'KZT';"
                + " s.dispatchEvent(new Event('change'));");
        List<String> pairs = inTenge.getList("symbols", String.class).stream().map(c -> c + "/KZT").toList();
        await(WAIT, "charts in tenge", () -> browser.executeScript(
                "return [...document.querySelectorAll('#charts figure')].map(f => f.dataset.pair);"), pairs::equals);
        await(WAIT, "each drawn", () -> browser.executeScript(
                "return document.querySelectorAll('#charts figure > :is(svg, p)').length;"),
                drawn -> ((Number) drawn).intValue() == pairs.size());
        assertThat(browser.executeScript("return document.querySelector('#charts figure[data-pair=\"USD/KZT\"] polyline')"
                + ".getAttribute('points').trim().split(' ').length;"))
                .isEqualTo((long) inTenge.getList("rows.findAll { it.currency == 'USD' }").size());
        assertThat(browser.executeScript("return document.querySelector('#charts figure[data-pair=\"USD/KZT\"] a[download]')"
                + ".getAttribute('href');")).asString().startsWith("/api/v1/timeseries?base=KZT&symbols=USD&");
        Files.write(SCREENSHOTS.resolve("demo-charts-tenge.png"), browser.findElement(
                org.openqa.selenium.By.cssSelector("section[aria-labelledby=year-title]")).getScreenshotAs(OutputType.BYTES));
    }

    /**
     * The highlight lasts 1.5 s, which a busy machine's polling may miss: records in {@code window.highlighted} every
     * item that gets it.
     */
    private static void recordHighlights() {
        shadow("window.highlighted = []; new MutationObserver(records => records.forEach(r =>"
                + " [r.target, ...r.addedNodes].forEach(n => n.querySelectorAll && [n, ...n.querySelectorAll('li')]"
                + " .filter(li => li.classList.contains('changed')).forEach(li => window.highlighted.push(li.dataset.currency)))))"
                + " .observe(root, {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});");
    }

    /** Opens the demo page and waits until every table and widget on it is filled. */
    private void openDemoPage() throws InterruptedException {
        browser.get(service.toString());
        await(WAIT, "demo page filled", () -> browser.executeScript(
                "return document.querySelectorAll('#rates tbody tr[data-currency]').length === 5"
                        + " && document.querySelectorAll('#rates svg polyline').length > 0"
                        + " && document.querySelectorAll('#sources tbody tr').length > 1"
                        + " && document.querySelectorAll('#charts figure').length === 5"
                        + " && document.querySelectorAll('#charts figure > :is(svg, p)').length === 5"
                        + " && document.querySelectorAll('#tables figure').length === 6"
                        + " && [...document.querySelectorAll('rate-ticker')].every(t => t.shadowRoot.querySelectorAll('li[data-currency]').length > 0)"),
                Boolean.TRUE::equals);
    }

    /**
     * The demo page on a phone (360 CSS px wide, dark mode): nothing scrolls sideways (the wide tables scroll in their
     * own boxes), the page is dark, and the language picker shows the widgets in each of the eight languages. Saves
     * the phone's view and the widgets in Russian and in Uzbek for README.
     */
    @Test
    void theDemoPageFitsAPhoneInTheDarkAndSpeaksEveryLanguage() throws Exception {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 360, "height", 780, "deviceScaleFactor", 2, "mobile", true));
        browser.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        openDemoPage();
        assertThat(browser.executeScript("return innerWidth;")).isEqualTo(360L);
        assertThat(browser.executeScript("return document.documentElement.scrollWidth;")).as("the page's width")
                .isEqualTo(360L);
        assertThat(browser.executeScript("return getComputedStyle(document.documentElement).backgroundColor;"))
                .isEqualTo("rgb(18, 18, 18)");
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("demo-phone.png"), browser.getScreenshotAs(OutputType.BYTES));

        Map<String, String> labels = new java.util.LinkedHashMap<>();
        for (Object lang : (List<?>) browser.executeScript("return [...document.querySelectorAll('#lang option')].map(o => o.value);")) {
            browser.executeScript("const s = document.getElementById('lang'); s.value = arguments[0];"
                    + " s.dispatchEvent(new Event('change'));", lang);
            String label = await(WAIT, lang + " on every widget", () -> (String) browser.executeScript(
                    "const t = [...document.querySelectorAll('rate-ticker')];"
                            + " const l = t.map(x => x.shadowRoot.querySelector('.viewport').getAttribute('aria-label'));"
                            + " return t.every(x => x.getAttribute('locale') === arguments[0]) && l.every(x => x.includes('(KGS/USD)') || x.includes('(USD/KGS)') || x.includes('(USD/KZT)'))"
                            + " && new Set(l.map(x => x.split('.')[0])).size === 1 ? l[0] : null;", lang), shown -> shown != null);
            labels.put((String) lang, label.substring(0, label.indexOf('.')));
            if (lang.equals("ru") || lang.equals("uz")) {
                browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
                Files.write(SCREENSHOTS.resolve("widgets-" + lang + ".png"), browser.findElement(
                        org.openqa.selenium.By.cssSelector("section[aria-labelledby=live]")).getScreenshotAs(OutputType.BYTES));
                browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                        Map.of("width", 360, "height", 780, "deviceScaleFactor", 2, "mobile", true));
            }
        }
        assertThat(labels).hasSize(8);
        assertThat(Set.copyOf(labels.values())).as("the region's label in eight languages: %s", labels).hasSize(8);
        assertThat(browser.executeScript("return document.documentElement.scrollWidth;")).as("the page's width, in the"
                + " longest language").isEqualTo(360L);
    }
}
