package io.rateticker.widget;

import static io.rateticker.widget.Browser.await;
import static io.rateticker.widget.Browser.item;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Observation;
import io.rateticker.TestClock;
import io.rateticker.service.RateWriter;

/**
 * The widget in each language, crediting the banks, and fitting the host page. Its TJS comes from NBT (two
 * publications, the somoni rising), so it has an application of its own, whose data no other test changes.
 */
@QuarkusTest
@TestProfile(WidgetLanguagesTest.Profile.class)
class WidgetLanguagesTest {

    /** No overrides: a profile of its own only for an application whose TJS nobody else writes. */
    public static class Profile implements QuarkusTestProfile {
    }

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL service;

    @Inject
    RateWriter rates;

    @BeforeEach
    void setUp() {
        Browser.driver();
        LocalDate latest = LocalDate.parse(TestClock.LATEST_AS_OF);
        rates.ingest(List.of(
                new Observation("TJS", latest.minusDays(1), new BigDecimal("9.5"), "nbt", TestClock.START),
                new Observation("TJS", latest, new BigDecimal("9.4"), "nbt", TestClock.START)), false);
    }

    @AfterEach
    void noConsoleErrors() {
        assertThat(Browser.consoleErrorsAndReset()).as("console errors").isEmpty();
    }

    /**
     * Every word of the line in the page's language, then in the {@code locale} attribute's on an English page: the
     * region's label, the move, the currency's name (the service's, for that language), the bank's name in the
     * tooltip, and the credit: the bank's abbreviation, linking to its site. Expected words are the widget's
     * translations as docs/translations.md lists them.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "en      | Exchange rates    | up       | National Bank of Tajikistan | NBT",
            "ru      | Курсы валют       | рост     | Национальный банк Таджикистана | НБТ",
            "ky      | Валюта курстары   | өсүш     | Тажикстан Улуттук банкы | НБТ",
            "kk      | Валюта бағамдары  | өсу      | Тәжікстан Ұлттық банкі | НБТ",
            "uz      | Valyuta kurslari  | o‘sish   | Tojikiston Milliy banki | NBT",
            "uz-Cyrl | Валюта курслари   | ўсиш     | Тожикистон Миллий банки | НБТ",
            "tg      | Қурби асъор       | афзоиш   | Бонки миллии Тоҷикистон | БМТ",
            "tk      | Walýuta hümmetleri | ýokarlandy | Täjigistanyň Milli banky | NBT" })
    void everyWordInTheReadersLanguage(String lang, String ratesWord, String up, String nbt, String abbreviation)
            throws Exception {
        String name = given().queryParam("lang", lang).get("/api/v1/currencies").jsonPath()
                .getString("find { it.code == 'TJS' }.name");
        for (boolean byAttribute : List.of(false, true)) {
            if (byAttribute) {
                Browser.open(service, "en", "symbols=\"TJS\" locale=\"" + lang + "\"", "");
            } else {
                Browser.open(service, lang, "symbols=\"TJS\"", "");
            }
            String label = await(WAIT, lang + " label with the name", () -> (String) Browser.shadow(
                    "return root.querySelector('.viewport').getAttribute('aria-label');"),
                    l -> l.contains(name));
            assertThat(label).as("by %s", byAttribute ? "locale" : "the page's lang")
                    .startsWith(ratesWord + ". " + name + " (TJS/USD): ").contains(", " + up + " ");
            Map<String, String> tjs = item(Browser.items(), "TJS");
            assertThat(tjs.get("title")).startsWith(name + " (TJS/USD) ").contains(nbt);
            assertThat(Browser.shadow("return [...root.querySelectorAll('.credit a')].map(a => [a.textContent,"
                    + " a.href, a.title]);")).isEqualTo(List.of(List.of(abbreviation, "https://nbt.tj/", nbt)));
        }
    }

    /** The credit is on by default, visible (no hover needed), and attribution="off" hides it. */
    @Test
    void theCreditIsVisibleAndCanBeHidden() throws Exception {
        Browser.open(service, "symbols=\"TJS,KGS\"");
        await(WAIT, "the credit", () -> ((Number) Browser.shadow(
                "return root.querySelector('.credit').getBoundingClientRect().width;")).doubleValue(), w -> w > 0);
        assertThat(Browser.shadow("return root.querySelector('.credit').textContent;")).isEqualTo("NBT");
        Browser.open(service, "symbols=\"TJS,KGS\" attribution=\"off\"");
        await(WAIT, "TJS", i -> i.size() == 2);
        assertThat(Browser.shadow("return getComputedStyle(root.querySelector('.credit')).display;")).isEqualTo("none");
    }

    /**
     * Transparent on the host's background, in the host's text colour, and every colour of the line at AA contrast
     * (4.5:1) on a light page and on a dark one that declares its color-scheme; a background of the site's choosing
     * by attribute or custom property.
     */
    @Test
    void itFitsLightAndDarkPagesAtAaContrast() throws Exception {
        String colours = "const t = document.getElementById('t'), r = t.shadowRoot;"
                + "const c = s => getComputedStyle(s).color;"
                + "return {bg: getComputedStyle(r.querySelector('.box')).backgroundColor, page: getComputedStyle(document.documentElement).backgroundColor,"
                + " fg: c(r.querySelector('li:not(.stale) .value')), stale: c(r.querySelector('li.stale .value')), up: c(r.querySelector('li.up .change')), flat: c(r.querySelector('li:not(.up) .change')),"
                + " bullet: getComputedStyle(r.querySelector('li+li'), '::before').color, credit: c(r.querySelector('.credit'))};";
        Map<String, String> pages = Map.of(
                "light", "document.documentElement.style.cssText = 'background:#fff;color:#202124';",
                "dark", "document.documentElement.style.cssText = 'color-scheme:dark;background:#121212;color:#e8eaed';");
        for (var page : pages.entrySet()) {
            // scrolling, not static: its bullets are shown
            Browser.open(service, "en", "symbols=\"TJS,KGS\"", page.getValue());
            await(WAIT, "two pairs", i -> i.size() == 2);
            @SuppressWarnings("unchecked")
            Map<String, String> seen = (Map<String, String>) Browser.script(colours);
            assertThat(seen.get("bg")).as("the widget's own background, %s page", page.getKey()).isEqualTo("rgba(0, 0, 0, 0)");
            String background = seen.get("page");
            for (String part : List.of("fg", "stale", "up", "flat", "bullet", "credit")) {
                assertThat(contrast(seen.get(part), background)).as("%s on the %s page (%s on %s)", part,
                        page.getKey(), seen.get(part), background).isGreaterThanOrEqualTo(4.5);
            }
        }
        Browser.open(service, "symbols=\"TJS\" background=\"#fffbe6\"");
        await(WAIT, "TJS", i -> i.size() == 1);
        assertThat(Browser.shadow("return getComputedStyle(root.querySelector('.box')).backgroundColor;"))
                .isEqualTo("rgb(255, 251, 230)");
        Browser.open(service, "en", "symbols=\"TJS\"", "document.documentElement.style.setProperty('--rate-ticker-bg', '#e6f4ff');");
        await(WAIT, "TJS", i -> i.size() == 1);
        assertThat(Browser.shadow("return getComputedStyle(root.querySelector('.box')).backgroundColor;"))
                .isEqualTo("rgb(230, 244, 255)");
    }

    /** The line is as tall before the rates come as after: the page does not move when they arrive. */
    @Test
    void nothingMovesWhenTheRatesArrive() throws Exception {
        Browser.open(service, "en", "symbols=\"TJS,KGS\"", "const fetched = window.fetch; let open;"
                + " const gate = new Promise(resolve => open = resolve); window.release = () => open();"
                + " window.fetch = (url, init) => gate.then(() => fetched(url, init));"
                + " window.EventSource = class { addEventListener() {} close() {} }; window.EventSource.CLOSED = 2;");
        double before = height();
        assertThat(Browser.items()).isEmpty();
        Browser.script("window.release();");
        await(WAIT, "two pairs", i -> i.size() == 2);
        assertThat(height()).isEqualTo(before);
    }

    /**
     * With all eight languages the script stays under 20 KB as served and 8 KB gzipped (as served to browsers), and
     * docs/widget.md gives its sizes as they are.
     */
    @Test
    void theScriptWithEveryLanguageStaysWithinItsBudget() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI script = service.toURI().resolve("/widget/rate-ticker.js");
        byte[] plain = http.send(HttpRequest.newBuilder(script).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(script).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        System.out.printf("Widget: %,d bytes, %,d gzipped%n", plain.length, gzipped.body().length);
        assertThat(plain.length).isLessThan(20_000);
        assertThat(gzipped.body().length).isLessThan(8_000);
        assertThat(Files.readString(Path.of("docs/widget.md"))).as("the sizes docs/widget.md gives")
                .contains(String.format(Locale.ROOT, "%,d bytes as served", plain.length))
                .contains(String.format(Locale.ROOT, "%,d bytes gzipped", gzipped.body().length));
        assertThat(new String(plain, StandardCharsets.UTF_8)).contains("Walýuta hümmetleri", "Қурби асъор")
                .doesNotContainPattern("(?m)^\\s*//");
    }

    private static double height() {
        return ((Number) Browser.script("return document.getElementById('t').getBoundingClientRect().height;"))
                .doubleValue();
    }

    /** WCAG 2 contrast ratio of two CSS rgb() colours. */
    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String rgb) {
        String[] parts = rgb.replaceAll("[^0-9.,]", "").split(",");
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Double.parseDouble(parts[i]) / 255;
            c[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }
}
