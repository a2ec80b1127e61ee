package io.rateticker.widget;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.Admin;
import io.rateticker.Observation;
import io.rateticker.TestClock;
import io.rateticker.service.RateService;

/**
 * The widget in a real headless Chromium (Debian's chromium and chromium-driver), embedded in pages served from
 * another origin (a second local port), fed by the real stream. In CI the browser must be there; elsewhere its
 * absence skips these tests, loudly.
 */
@QuarkusTest
class WidgetBrowserTest {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String UP = "rgb(10, 125, 50)";
    private static final String DOWN = "rgb(198, 40, 40)";

    private static ChromeDriver browser;
    private static HttpServer pages;
    private static final Map<String, String> PAGES = new ConcurrentHashMap<>();
    private static final AtomicInteger PAGE_IDS = new AtomicInteger();

    @TestHTTPResource("/")
    URL service;

    @Inject
    RateService rates;

    @BeforeAll
    static void startBrowser() throws IOException {
        boolean present = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        if (!present && System.getenv("CI") != null) {
            throw new IllegalStateException("CI needs chromium and chromium-driver (apt-get install chromium chromium-driver)");
        }
        if (!present) {
            System.err.println("\n*** SKIPPING the widget browser tests: no " + CHROMIUM + " / " + CHROMEDRIVER
                    + " (apt-get install -y chromium chromium-driver) ***\n");
        }
        Assumptions.assumeTrue(present, "chromium and chromium-driver are not installed");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1200,1000",
                "--user-data-dir=" + Files.createTempDirectory("rate-ticker-chromium"));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build(), options);
        browser.executeCdpCommand("Network.enable", Map.of());

        // The embedding site: another origin (127.0.0.1 and its own port; the service is localhost).
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", exchange -> {
            String html = PAGES.get(exchange.getRequestURI().getPath());
            byte[] body = html == null ? new byte[0] : html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(html == null ? 204 : 200, html == null ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        pages.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (pages != null) {
            pages.stop(0);
        }
    }

    @AfterEach
    void noConsoleErrors() {
        if (browser == null) {
            return;
        }
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // blocking the stream on purpose shows up as a network error of the browser, not of the script
                .filter(message -> !message.contains("net::ERR_BLOCKED_BY_CLIENT"))
                .toList();
        assertThat(errors).as("console errors").isEmpty();
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }

    /** Opens a page on the other origin that embeds the widget with these attributes. */
    private void open(String attributes) {
        String path = "/page-" + PAGE_IDS.incrementAndGet();
        String origin = service.toString().replaceAll("/$", "");
        PAGES.put(path, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>news</title>"
                + "<script src=\"" + origin + "/widget/rate-ticker.js\" defer></script></head><body>"
                + "<h1>Today's news</h1><rate-ticker id=\"t\" " + attributes + " style=\"width:420px\"></rate-ticker>"
                + "</body></html>");
        browser.get("http://127.0.0.1:" + pages.getAddress().getPort() + path);
        assertThat(browser.getCurrentUrl()).doesNotStartWith(origin);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, String>> items() {
        return (List<Map<String, String>>) browser.executeScript(
                "const t = document.getElementById('t');"
                        + "if (!t || !t.shadowRoot) return [];"
                        + "return [...t.shadowRoot.querySelectorAll('ul.items:not(.copy) li')].map(li => ({"
                        + " currency: li.dataset.currency, pair: li.querySelector('.pair').textContent,"
                        + " value: li.querySelector('.value').textContent, change: li.querySelector('.change').textContent,"
                        + " classes: li.className, title: li.title,"
                        + " color: getComputedStyle(li.querySelector('.change')).color}));");
    }

    private Object shadow(String script) {
        return browser.executeScript("const root = document.getElementById('t').shadowRoot; " + script);
    }

    /** Polls the widget's items until the condition holds; fails after the timeout. */
    private List<Map<String, String>> await(Duration timeout, String what, Predicate<List<Map<String, String>>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Map<String, String>> items = items();
        while (!condition.test(items)) {
            assertThat(System.nanoTime()).as("%s within %s; the widget shows %s", what, timeout, items)
                    .isLessThan(deadline);
            Thread.sleep(50);
            items = items();
        }
        return items;
    }

    private static Map<String, String> item(List<Map<String, String>> items, String currency) {
        return items.stream().filter(i -> currency.equals(i.get("currency"))).findFirst().orElse(Map.of());
    }

    @Test
    void rendersEveryTrackedPairFromTheSnapshotWithinFiveSeconds() throws Exception {
        open("");
        List<Map<String, String>> items = await(Duration.ofSeconds(5), "five pairs", i -> i.size() == 5);
        assertThat(items).extracting(i -> i.get("pair"))
                .containsExactly("KGS/USD", "KZT/USD", "TJS/USD", "UZS/USD", "TMT/USD");
        assertThat(shadow("return root.querySelector('ul.copy').getAttribute('aria-hidden');")).isEqualTo("true");
        assertThat((String) shadow("return root.querySelector('.viewport').getAttribute('aria-label');"))
                .startsWith("Exchange rates. KGS to USD: ");
        assertThat(item(items, "KGS").get("title")).contains("official rate of");
    }

    @Test
    void aWriteChangesValueSignArrowAndColourWithinTwoSecondsWithoutReload() throws Exception {
        open("symbols=\"KGS\"");
        await(Duration.ofSeconds(5), "KGS", i -> i.size() == 1);
        Object page = browser.executeScript("window.marker = 42; return window.marker;");

        // previous served KGS is the bundled 87.45 of 24.05: 90 per USD is the som falling 2.83 %
        Admin.write("KGS", "90");
        Map<String, String> down = item(await(Duration.ofSeconds(2), "KGS at 90",
                i -> "0.01111".equals(item(i, "KGS").get("value"))), "KGS");
        assertThat(down.get("change")).isEqualTo("▼ -2.83%");
        assertThat(down.get("classes")).contains("down").contains("changed"); // briefly highlighted
        assertThat(down.get("color")).isEqualTo(DOWN);

        Admin.write("KGS", "85");
        Map<String, String> up = item(await(Duration.ofSeconds(2), "KGS at 85",
                i -> "0.01176".equals(item(i, "KGS").get("value"))), "KGS");
        assertThat(up.get("change")).isEqualTo("▲ +2.88%");
        assertThat(up.get("color")).isEqualTo(UP);
        assertThat(browser.executeScript("return window.marker;")).isEqualTo(page); // no reload
    }

    @Test
    void symbolsModeDigitsAndStaticBehave() throws Exception {
        Admin.write("UZS", "12194.21");
        open("symbols=\"uzs,kgs\" mode=\"per-usd\" static");
        List<Map<String, String>> items = await(Duration.ofSeconds(5), "two pairs", i -> i.size() == 2);
        assertThat(items).extracting(i -> i.get("pair")).containsExactly("USD/KGS", "USD/UZS");
        assertThat(item(items, "UZS").get("value")).isEqualTo("12,194"); // never fewer digits than the integer part
        assertThat(shadow("return getComputedStyle(root.querySelector('.track')).animationName;")).isEqualTo("none");
        assertThat(shadow("return getComputedStyle(root.querySelector('ul.copy')).display;")).isEqualTo("none");

        open("symbols=\"UZS\"");
        Map<String, String> uzs = item(await(Duration.ofSeconds(5), "UZS", i -> i.size() == 1), "UZS");
        assertThat(uzs.get("value")).isEqualTo("0.00008201"); // 4 significant digits, not 0.00008
        open("symbols=\"UZS\" digits=\"6\"");
        assertThat(item(await(Duration.ofSeconds(5), "UZS", i -> i.size() == 1), "UZS").get("value"))
                .isEqualTo("0.0000820061");
    }

    @Test
    void scrollsPausesOnFocusAndStandsStillUnderReducedMotion() throws Exception {
        open("speed=\"200\"");
        await(Duration.ofSeconds(5), "five pairs", i -> i.size() == 5);
        String transform = "return getComputedStyle(root.querySelector('.track')).transform;";
        Object before = shadow(transform);
        Thread.sleep(400);
        assertThat(shadow(transform)).as("scrolling").isNotEqualTo(before);
        shadow("root.querySelector('.viewport').focus();");
        Thread.sleep(150); // the pause takes effect at the next frame
        Object paused = shadow(transform);
        Thread.sleep(400);
        assertThat(shadow(transform)).as("paused while focused").isEqualTo(paused);

        browser.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-reduced-motion", "value", "reduce"))));
        open("speed=\"200\"");
        await(Duration.ofSeconds(5), "five pairs", i -> i.size() == 5);
        assertThat(shadow("return getComputedStyle(root.querySelector('.track')).animationName;")).isEqualTo("none");
        Object still = shadow(transform);
        Thread.sleep(400);
        assertThat(shadow(transform)).isEqualTo(still);
    }

    @Test
    void withTheStreamBlockedItPollsAndStillUpdates() throws Exception {
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/api/v1/stream*")));
        open("symbols=\"TMT\" poll=\"1\"");
        await(Duration.ofSeconds(5), "TMT from polling", i -> i.size() == 1);
        Admin.write("TMT", "3.52");
        Map<String, String> tmt = item(await(Duration.ofSeconds(5), "TMT at 3.52 by polling",
                i -> "0.2841".equals(item(i, "TMT").get("value"))), "TMT");
        assertThat(tmt.get("pair")).isEqualTo("TMT/USD");
        assertThat(shadow("return root.querySelector('.status').textContent;")).isEqualTo("");

        // nothing answers at all: the widget says it is offline and keeps the last rates
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/api/v1/*")));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!"offline: rates may be out of date".equals(shadow("return root.querySelector('.status').textContent;"))) {
            assertThat(System.nanoTime()).as("offline shown").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(item(items(), "TMT").get("value")).isEqualTo("0.2841");
    }

    @Test
    void staleRatesAreDimmedAndMarked() throws Exception {
        // received 40 hours ago: past ticker.freshness.max-age (36 h)
        rates.ingest(List.of(new Observation("TMT", LocalDate.parse(TestClock.LATEST_AS_OF), new BigDecimal("3.49"),
                "manual", TestClock.START.minus(Duration.ofHours(40)))), false);
        Admin.write("KGS", "87.5");
        open("symbols=\"KGS,TMT\"");
        List<Map<String, String>> items = await(Duration.ofSeconds(5), "two pairs", i -> i.size() == 2);
        assertThat(item(items, "TMT").get("classes")).contains("stale");
        assertThat(item(items, "TMT").get("title")).contains("stale: last received");
        assertThat(shadow("return getComputedStyle(root.querySelector('li.stale .value'), '::after').content;"))
                .isEqualTo("\" (stale)\"");
        // dimmed to the grey that still passes WCAG AA, rather than made transparent
        assertThat(shadow("return getComputedStyle(root.querySelector('li.stale .value')).color;"))
                .isEqualTo("rgb(95, 99, 104)");
        assertThat(item(items, "KGS").get("classes")).doesNotContain("stale");
    }

    @Test
    void theDemoPageShowsEverythingAndIsSavedAsAScreenshot() throws Exception {
        browser.get(service.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Boolean.TRUE.equals(browser.executeScript(
                "return document.querySelectorAll('#rates tbody tr[data-currency]').length === 5"
                        + " && document.querySelectorAll('#rates svg polyline').length > 0"
                        + " && [...document.querySelectorAll('rate-ticker')].every(t => t.shadowRoot.querySelectorAll('li').length > 0)"))) {
            assertThat(System.nanoTime()).as("demo page filled").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(browser.executeScript("return document.querySelectorAll('rate-ticker').length;")).isEqualTo(3L);
        assertThat((String) browser.executeScript("return document.getElementById('snippet').textContent;"))
                .contains("/widget/rate-ticker.js\" defer></script>").contains("<rate-ticker></rate-ticker>");
        assertThat(browser.executeScript("return [...document.querySelectorAll('footer a')].map(a => a.getAttribute('href'));"))
                .asString().contains("/q/swagger-ui").contains("/q/metrics").contains("/q/health");
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("demo-page.png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
