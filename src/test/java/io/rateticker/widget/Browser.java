package io.rateticker.widget;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;

import org.awaitility.Awaitility;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import com.sun.net.httpserver.HttpServer;

import io.rateticker.Tool;

/**
 * One headless Chromium (Debian's chromium and chromium-driver) for the whole test run, and an embedding site on
 * another origin (127.0.0.1 and a port of its own; the service is localhost) that serves pages with the widget.
 * Each test asks for it in its own set-up, so that without the browser every test is counted as skipped
 * ({@link Tool}).
 */
final class Browser {

    // The tests send DevTools commands through chromedriver (executeCdpCommand), not through Selenium's versioned
    // DevTools bindings, whose absence for this Chromium Selenium would otherwise report at every start.
    private static final java.util.logging.Logger CDP_VERSION_FINDER = java.util.logging.Logger.getLogger(
            "org.openqa.selenium.devtools.CdpVersionFinder");
    private static final Map<String, String> PAGES = new ConcurrentHashMap<>();
    private static final AtomicInteger PAGE_IDS = new AtomicInteger();
    private static ChromeDriver driver;
    private static HttpServer site;

    private Browser() {
    }

    /** The shared browser, started on first use and quit when the JVM exits; aborts the test without one. */
    static synchronized ChromeDriver driver() {
        Path chromium = Tool.CHROMIUM.require();
        Path chromedriver = Tool.CHROMEDRIVER.require();
        if (driver == null) {
            try {
                start(chromium, chromedriver);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                driver.quit();
                site.stop(0);
            }));
        }
        return driver;
    }

    private static void start(Path chromium, Path chromedriver) throws IOException {
        CDP_VERSION_FINDER.setLevel(Level.OFF);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1200,1000",
                "--user-data-dir=" + Files.createTempDirectory("rate-ticker-chromium"));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .build(), options);
        driver.executeCdpCommand("Network.enable", Map.of());
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/", exchange -> {
            String html = PAGES.get(exchange.getRequestURI().getPath());
            byte[] body = html == null ? new byte[0] : html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(html == null ? 204 : 200, html == null ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        site.start();
    }

    /** Severe console messages since the last call, then no blocked URLs, emulated media or device any more. */
    static List<String> consoleErrorsAndReset() {
        if (driver == null) {
            return List.of(); // the test was skipped: no browser
        }
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // the network failures tests cause on purpose (a blocked stream, a proxy that resets or holds the
                // connection) show up as errors of the browser's network, not of the script
                .filter(message -> !message.contains("net::ERR_"))
                .toList();
        driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        return errors;
    }

    /** Opens a page on the other origin that embeds the widget of {@code service} with these attributes. */
    static void open(URL service, String attributes) {
        open(service, attributes, "");
    }

    /** The same, with a script of the page's own running before the widget's. */
    static void open(URL service, String attributes, String pageScript) {
        open(service, "en", attributes, pageScript);
    }

    /** The same, on a page in the language {@code lang}. */
    static void open(URL service, String lang, String attributes, String pageScript) {
        String path = "/page-" + PAGE_IDS.incrementAndGet();
        String origin = service.toString().replaceAll("/$", "");
        PAGES.put(path, "<!doctype html><html lang=\"" + lang + "\"><head><meta charset=\"utf-8\"><title>news</title>"
                + (pageScript.isEmpty() ? "" : "<script>" + pageScript + "</script>")
                + "<script src=\"" + origin + "/widget/rate-ticker.js\" defer></script></head><body>"
                + "<h1>Today's news</h1><rate-ticker id=\"t\" " + attributes + " style=\"width:420px\"></rate-ticker>"
                + "</body></html>");
        driver.get("http://127.0.0.1:" + site.getAddress().getPort() + path);
        assertThat(driver.getCurrentUrl()).doesNotStartWith(origin);
    }

    /** The widget's items as shown: pair, value, change, classes, tooltip and the change's colour. */
    @SuppressWarnings("unchecked")
    static List<Map<String, String>> items() {
        return (List<Map<String, String>>) driver.executeScript(
                "const t = document.getElementById('t');"
                        + "if (!t || !t.shadowRoot) return [];"
                        + "return [...t.shadowRoot.querySelectorAll('ul.items:not(.copy) li[data-currency]')].map(li => ({"
                        + " currency: li.dataset.currency, pair: li.querySelector('.pair').textContent,"
                        + " value: li.querySelector('.value').textContent, change: li.querySelector('.change').textContent,"
                        + " classes: li.className, title: li.title,"
                        + " color: getComputedStyle(li.querySelector('.change')).color}));");
    }

    /** Runs a script in the page, with {@code arguments}. */
    static Object script(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    /** Runs a script with {@code root} bound to the widget's shadow root. */
    static Object shadow(String script) {
        return driver.executeScript("const root = document.getElementById('t').shadowRoot; " + script);
    }

    /** Polls the widget's items until the condition holds; fails after the timeout. */
    static List<Map<String, String>> await(Duration timeout, String what, Predicate<List<Map<String, String>>> condition)
            throws InterruptedException {
        return await(timeout, what, Browser::items, condition);
    }

    /** Reads the value every 50 ms until the condition holds; fails after the timeout, showing the last value read. */
    static <T> T await(Duration timeout, String what, Supplier<T> read, Predicate<T> condition) {
        return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(read::get, condition::test);
    }

    static Map<String, String> item(List<Map<String, String>> items, String currency) {
        return items.stream().filter(i -> currency.equals(i.get("currency"))).findFirst().orElse(Map.of());
    }
}
