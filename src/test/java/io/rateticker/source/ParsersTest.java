package io.rateticker.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Every parser on the real specimens: exact published values, nominal scaling and effective dates. */
class ParsersTest {

    private final NbkrSource nbkr = new NbkrSource();
    private final NbkSource nbk = new NbkSource();
    private final CbuSource cbu = new CbuSource(new ObjectMapper());
    private final NbtSource nbt = new NbtSource();
    private final CbtSource cbt = new CbtSource();
    private final CbrSource cbr = new CbrSource();

    private static void assertRate(List<SourceRate> rates, String currency, String asOf, String perUsd) {
        assertThat(rates).filteredOn(r -> r.currency().equals(currency) && r.quote().equals("USD")).singleElement()
                .satisfies(r -> {
                    assertThat(r.asOf()).isEqualTo(LocalDate.parse(asOf));
                    assertThat(r.value()).isEqualByComparingTo(perUsd);
                });
    }

    /** The dollar rows of {@code rates}, by currency. */
    private static List<SourceRate> dollarRows(List<SourceRate> rates) {
        return rates.stream().filter(r -> r.quote().equals("USD")).toList();
    }

    /**
     * Every row of every specimen, as {@code expected-rows.csv} has it: the published value ÷ the nominal, worked out
     * by {@code expected-rows.py} with Python's own XML, JSON and decimal modules, not by these parsers. The Bank of
     * Russia's specimen gives the rouble's table (its crosses are checked above).
     */
    @Test
    void everyRowOfEverySpecimenIsThePublishedValueOverTheNominal() throws Exception {
        Map<String, RateSource> parsers = Map.of("nbkr", nbkr, "nbk", nbk, "cbu", cbu, "nbt", nbt, "cbt", cbt, "cbr", cbr);
        Map<String, List<String>> expected = new TreeMap<>();
        for (String line : new String(Specimens.bytes("expected-rows.csv"), StandardCharsets.UTF_8).lines().skip(1)
                .toList()) {
            String[] f = line.split(",");
            expected.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1] + " " + f[2] + " " + f[3] + " " + f[4]);
        }
        assertThat(expected).hasSize(10);
        expected.forEach((specimen, rows) -> {
            RateSource parser = parsers.get(specimen.replaceAll("-.*", ""));
            List<String> parsed = new ArrayList<>();
            try {
                parser.parse(Specimens.bytes(specimen)).stream()
                        .filter(r -> parser != cbr || r.currency().equals("RUB"))
                        .forEach(r -> {
                            assertThat(r.refused()).as("%s %s", specimen, r.quote()).isNull();
                            parsed.add(r.currency() + " " + r.quote() + " " + r.asOf() + " "
                                    + r.value().stripTrailingZeros().toPlainString());
                        });
            } catch (DocumentException e) {
                throw new AssertionError(specimen, e);
            }
            assertThat(parsed).as(specimen).containsExactlyInAnyOrderElementsOf(rows);
        });
    }

    @Test
    void nbkrDailyInWindows1251WithCommaDecimals() throws Exception {
        assertRate(nbkr.parse(Specimens.bytes("nbkr-daily.xml")), "KGS", "2026-05-24", "87.45");
    }

    @Test
    void nbkByDate() throws Exception {
        assertRate(nbk.parse(Specimens.bytes("nbk-get-rates-2026-04-01.xml")), "KZT", "2026-04-01", "478.77");
        assertRate(nbk.parse(Specimens.bytes("nbk-get-rates-2026-04-02.xml")), "KZT", "2026-04-02", "475.09");
        assertThat(nbk.datedPath(LocalDate.of(2026, 4, 2))).isEqualTo("?fdate=02.04.2026");
    }

    @Test
    void cbuJsonWithStringValues() throws Exception {
        assertRate(cbu.parse(Specimens.bytes("cbu-all-2026-04-01.json")), "UZS", "2026-04-01", "12194.21");
        assertRate(cbu.parse(Specimens.bytes("cbu-all-2026-04-02.json")), "UZS", "2026-04-02", "12142.10");
        assertThat(cbu.datedPath(LocalDate.of(2026, 4, 2))).isEqualTo("all/2026-04-02/");
    }

    @Test
    void nbtWithIsoDates() throws Exception {
        assertRate(nbt.parse(Specimens.bytes("nbt-2026-05-18.xml")), "TJS", "2026-05-18", "9.3450");
        assertRate(nbt.parse(Specimens.bytes("nbt-2026-05-19.xml")), "TJS", "2026-05-19", "9.3371");
        assertThat(nbt.datedPath(LocalDate.of(2026, 5, 19))).isEqualTo("?date=2026-05-19&export=xmlout");
    }

    @Test
    void cbtUsesRateTmtOverMultiplier() throws Exception {
        assertRate(cbt.parse(Specimens.bytes("cbt-20052026.xml")), "TMT", "2026-05-20", "3.5");
        assertRate(cbt.parse(Specimens.bytes("cbt-21052026.xml")), "TMT", "2026-05-21", "3.5");
        assertThat(cbt.datedPath(LocalDate.of(2026, 5, 1))).isEqualTo("2026/01052026.xml");
    }

    @Test
    void cbrGivesAllFiveAsCrossesThroughTheRoubleScaledByTheirNominals() throws Exception {
        List<SourceRate> rates = cbr.parse(Specimens.bytes("cbr-xml-daily-2026-04-25.xml"));
        assertThat(dollarRows(rates)).extracting(SourceRate::currency)
                .containsExactly("KGS", "KZT", "TJS", "UZS", "TMT", "RUB");
        // USD 75,5273 RUB; KZT 16,3172 per 100; KGS 86,4125 per 100; TJS 80,0866 per 10; UZS 62,8322 per 10000
        assertRate(rates, "KZT", "2026-04-25", "462.8692422719584242394528473022332");
        assertRate(rates, "KGS", "2026-04-25", "87.40321134095182988572255171416172");
        assertRate(rates, "TJS", "2026-04-25", "9.430703763176361588580361758396536");
        assertRate(rates, "UZS", "2026-04-25", "12020.47676191506902511769443056267");
        assertRate(rates, "TMT", "2026-04-25", "3.500004634092088677986208941944094");
        assertThat(cbr.datedPath(LocalDate.of(2026, 4, 25))).isEqualTo("?date_req=25/04/2026");
    }

    @Test
    void wrongDocumentsAreRejectedWithAReason() {
        byte[] html = "<!DOCTYPE html><html><body>Service temporarily unavailable</body></html>".getBytes(StandardCharsets.UTF_8);
        // a firewall's or a proxy's page is named as such, with its first words, and never parsed
        assertThatThrownBy(() -> nbkr.parse(html)).isInstanceOf(DocumentException.class)
                .hasMessage("expected a <CurrencyRates> document, but the answer is an HTML page, beginning "
                        + "'<!DOCTYPE html><html><body>Service temporarily unavailable</body></html>'");
        byte[] rejected = ("\uFEFF\r\n  <HTML><HEAD><TITLE>Request Rejected</TITLE></HEAD><BODY>The requested URL was "
                + "rejected. Please consult with your administrator.<br><br>Your support ID is: 1234567890123456789"
                + "</BODY></HTML>").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> cbr.parse(rejected)).hasMessage("expected a <ValCurs> document, but the answer is an "
                + "HTML page, beginning '<HTML><HEAD><TITLE>Request Rejected</TITLE></HEAD><BODY>The requested URL was "
                + "rejected. Please consu…'");
        assertThatThrownBy(() -> cbu.parse(rejected)).hasMessageStartingWith("expected a JSON array of rates, but the "
                + "answer is an HTML page, beginning '<HTML><HEAD><TITLE>Request Rejected");
        assertThatThrownBy(() -> cbu.parse("Access denied\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("expected a JSON array of rates, but the answer is something else, beginning 'Access denied '");
        assertThatThrownBy(() -> nbt.parse(new byte[0])).hasMessage("expected a <ValCurs> document, but the answer is empty");
        byte[] nbtDaily = Specimens.bytes("nbt-2026-05-18.xml");
        assertThatThrownBy(() -> nbkr.parse(nbtDaily)).hasMessageContaining("expected a <CurrencyRates>");
        byte[] truncated = Arrays.copyOf(Specimens.bytes("cbr-xml-daily-2026-04-25.xml"), 3000);
        assertThatThrownBy(() -> cbr.parse(truncated)).isInstanceOf(DocumentException.class)
                .hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> cbu.parse("[]".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("empty array");
        assertThatThrownBy(() -> cbu.parse("{\"error\":1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("JSON array");
        assertThatThrownBy(() -> nbt.parse("<ValCurs Date=\"2026-05-18\" name=\"x\"/>".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no USD row");
        assertThatThrownBy(() -> nbk.parse(("<rates><date>01.04.2026</date><item><title>USD</title>"
                + "<description>-4</description><quant>1</quant></item></rates>").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not positive");
    }

    @Test
    void externalEntitiesAreNeverResolved() {
        byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<CurrencyRates Date=\"24.05.2026\"><Currency ISOCode=\"USD\"><Nominal>1</Nominal>"
                + "<Value>&x;</Value></Currency></CurrencyRates>").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> nbkr.parse(xxe)).isInstanceOf(DocumentException.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void decimalsWithEitherSeparatorAndExponents() throws Exception {
        assertThat(Documents.decimal("87,4500", "v")).isEqualByComparingTo("87.45");
        assertThat(Documents.decimal("5,39256E-05", "v")).isEqualByComparingTo(new BigDecimal("0.0000539256"));
        assertThat(Documents.date("2026-05-18", "d")).isEqualTo(LocalDate.of(2026, 5, 18));
        assertThat(Documents.date("18.05.2026", "d")).isEqualTo(LocalDate.of(2026, 5, 18));
    }

    /**
     * A hostile or broken USD value in every bank's format, put into its real specimen: refused with the reason,
     * at once (checked on the text, before any arithmetic; the value 1E+10000000 once held the write lock for a
     * minute), and never a zero.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostileValues")
    void hostileNumbersAreRefusedWithTheReason(String source, String value, String reason) {
        Specimens.Document document = Specimens.DOCUMENTS.stream().filter(d -> d.source().equals(source)).findFirst()
                .orElseThrow();
        RateSource parser = Map.of("nbkr", nbkr, "nbk", nbk, "cbu", cbu, "nbt", nbt, "cbt", cbt, "cbr", cbr).get(source);
        byte[] hostile = document.withUsdValue(value);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(() -> parser.parse(hostile))
                .isInstanceOf(DocumentException.class).hasMessageContaining(reason));
    }

    /** In the Bank of Russia's table of five cross rates, one bad row costs that currency only. */
    @Test
    void aBadRowOfTheBankOfRussiaIsRefusedAloneAndABadDollarRowRefusesAll() throws Exception {
        String text = new String(Specimens.bytes("cbr-xml-daily-2026-04-25.xml"), StandardCharsets.ISO_8859_1);
        byte[] badKgs = text.replace("86,4125", "1E+10000000").getBytes(StandardCharsets.ISO_8859_1);
        List<SourceRate> rates = dollarRows(cbr.parse(badKgs));
        assertThat(rates).extracting(SourceRate::currency).containsExactly("KGS", "KZT", "TJS", "UZS", "TMT", "RUB");
        assertThat(rates.get(0).value()).isNull();
        assertThat(rates.get(0).refused()).contains("out of range (1e-12 to 1e12): 1E+10000000");
        assertThat(rates.subList(1, 6)).allSatisfy(r -> assertThat(r.refused()).isNull());
        // the rouble's own row of KGS, refused alike, and no other
        assertThat(cbr.parse(badKgs)).filteredOn(r -> r.refused() != null)
                .extracting(r -> r.currency() + "/" + r.quote()).containsExactlyInAnyOrder("KGS/USD", "RUB/KGS");
        assertRate(rates, "KZT", "2026-04-25", "462.8692422719584242394528473022332");
        assertThatThrownBy(() -> cbr.parse(Specimens.DOCUMENTS.get(5).withUsdValue("1E-40")))
                .hasMessageContaining("no cross rates can be made");
    }

    /** Value and nominal each in range can still make a quotient that is not: it is bounded as they are. */
    @Test
    void theValueOverTheNominalIsBoundedAsTheValueIs() throws Exception {
        byte[] tiny = ("<rates><date>22.05.2026</date><item><title>USD</title><description>480.00</description>"
                + "<quant>1</quant></item><item><title>EUR</title><description>0.000000000001</description>"
                + "<quant>999999999999</quant></item><item><title>GBP</title><description>999999999999</description>"
                + "<quant>0.000000000001</quant></item></rates>").getBytes(StandardCharsets.UTF_8);
        List<SourceRate> rates = nbk.parse(tiny);
        assertThat(rates).filteredOn(r -> r.quote().equals("EUR") || r.quote().equals("GBP"))
                .hasSize(2).allSatisfy(r -> {
                    assertThat(r.value()).isNull();
                    assertThat(r.refused()).contains("out of range (1e-12 to 1e12)");
                });
        assertRate(rates, "KZT", "2026-05-22", "480.00");
    }

    static Stream<Arguments> hostileValues() {
        List<String[]> values = List.of(new String[] {"1E+10000000", "out of range"},
                new String[] {"1E-40", "out of range"}, new String[] {"9".repeat(400), "longer than"},
                new String[] {"1234567890123456789012345678901", "more than 30 significant digits"},
                new String[] {"0", "not positive"}, new String[] {"-0,0", "not positive"},
                // Java 25 reads 1e2147483648 (scale Integer.MIN_VALUE), which Java 17 refused; one more is no number
                new String[] {"1e2147483648", "out of range"}, new String[] {"1e2147483649", "not a number"},
                new String[] {"NaN", "not a number"});
        return Stream.of("nbkr", "nbk", "cbu", "nbt", "cbt", "cbr")
                .flatMap(source -> values.stream().map(v -> Arguments.of(source, v[0], v[1])));
    }
}
