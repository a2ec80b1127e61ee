package io.rateticker.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * {@code GET /api/v1/currencies} in each language, chosen by {@code ?lang=} and by {@code Accept-Language}. Where a
 * bank publishes names, the expectation is read from the bank's own document (the specimens of
 * {@code src/test/resources/upstream}), not from the service; elsewhere it is CLDR's name, written out here.
 */
@QuarkusTest
class CurrencyNamesTest {

    /** The tracked currencies, then USD, which every rate is quoted against, then the other quotes of the tables. */
    private static final List<String> LISTED = List.of("KGS", "KZT", "TJS", "UZS", "TMT", "USD", "EUR", "RUB", "CNY");

    /**
     * Each language: a header that must select it, then the names of KGS, KZT, TJS, UZS, TMT, USD, EUR, RUB and CNY,
     * "cbu" or "cbt" where the bank's document gives it. CBU writes EUR in capitals ("EVRO", "EВРО" with a Latin E),
     * CBT adds "/ ABŞ-NYŇ DOLLARY" to EUR and "(YUAN RENMINBI)" to CNY: those are written out in sentence case.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "en      | en-GB,en;q=0.9              | cbu | cbu | cbu | Uzbekistan Sum | cbu | cbu | cbu | cbu | cbu",
            "ru      | ru-RU,ru;q=0.9,en;q=0.8     | cbu | cbu | cbu | Узбекский сум | cbu | cbu | cbu | cbu | cbu",
            "ky      | ky-KG,ru;q=0.5              | Кыргызстан сому | Казакстан теңгеси | Тажикстан сомониси | Өзбекстан суму | Түркмөнстан манаты | АКШ доллары | Евро | Орус рублу | Кытай юаны",
            "kk      | kk                          | Қырғызстан сомы | Қазақстан теңгесі | Тәжікстан сомониі | Өзбекстан сомы | Түрікменстан манаты | АҚШ доллары | Еуро | Ресей рублі | Қытай юані",
            "uz      | uz-Latn-UZ                  | cbu | cbu | cbu | O‘zbekiston so‘mi | cbu | cbu | Evro | cbu | cbu",
            "uz-Cyrl | uz-Cyrl-UZ,uz;q=0.9         | cbu | cbu | cbu | Ўзбекистон сўми | cbu | cbu | Евро | cbu | cbu",
            "tg      | tg-TJ,ru;q=0.8              | Соми Қирғизистон | Тангаи Қазоқистон | Сомонӣ | Сӯми Ӯзбекистон | Манати Туркманистон | Доллари ИМА | Евро | Рубли русӣ | Юани хитоӣ",
            "tk      | de;q=0.9,tk;q=0.8           | cbt | cbt | cbt | cbt | Türkmen manady | ABŞ dollary | Ýewro | cbt | Hytaý ýuany" })
    void eachLanguageNamesEveryCurrency(String lang, String acceptLanguage, String kgs, String kzt, String tjs,
            String uzs, String tmt, String usd, String eur, String rub, String cny) throws Exception {
        Map<String, String> expected = new HashMap<>();
        String[] given = { kgs, kzt, tjs, uzs, tmt, usd, eur, rub, cny };
        for (int i = 0; i < LISTED.size(); i++) {
            String code = LISTED.get(i);
            expected.put(code, switch (given[i]) {
                case "cbu" -> cbu(code, lang);
                case "cbt" -> cbt(code);
                default -> given[i];
            });
        }
        for (Response response : List.of(given().queryParam("lang", lang).get("/api/v1/currencies"),
                given().header("Accept-Language", acceptLanguage).get("/api/v1/currencies"))) {
            response.then().statusCode(200).header("Content-Language", lang)
                    .header("Vary", containsString("Accept-Language"));
            assertThat(response.jsonPath().getList("code")).isEqualTo(LISTED);
            for (String code : LISTED) {
                assertThat(response.jsonPath().getString("find { it.code == '" + code + "' }.name"))
                        .as("%s in %s", code, lang).isEqualTo(expected.get(code));
            }
        }
    }

    @Test
    void englishWhenNothingMatchesAndAProblemForAnUnknownLang() {
        for (String header : List.of("", "fr-FR,de;q=0.5", "*", "not a ;; range")) {
            given().header("Accept-Language", header).get("/api/v1/currencies").then().statusCode(200)
                    .header("Content-Language", "en")
                    .body("find { it.code == 'KGS' }.name", equalTo("Kyrgyzstan Som"));
        }
        given().queryParam("lang", "fr").get("/api/v1/currencies").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("lang: 'fr' is not one of en, ru, ky, kk, uz, uz-Cyrl, tg, tk"));
    }

    /** Each language is its own representation: its own ETag, and a tag of one never validates another. */
    @Test
    void eachLanguageHasItsOwnEtag() {
        String ru = given().queryParam("lang", "ru").get("/api/v1/currencies").header("ETag");
        String tk = given().queryParam("lang", "tk").get("/api/v1/currencies").header("ETag");
        assertThat(ru).isNotEqualTo(tk);
        given().queryParam("lang", "ru").header("If-None-Match", ru).get("/api/v1/currencies").then().statusCode(304)
                .header("Vary", containsString("Accept-Language"));
        given().queryParam("lang", "tk").header("If-None-Match", ru).get("/api/v1/currencies").then().statusCode(200);
    }

    /** CBU's name of {@code code} in the field for {@code lang} (CcyNm_EN, _RU, _UZ for Latin, _UZC for Cyrillic). */
    private static String cbu(String code, String lang) throws Exception {
        String field = "CcyNm_" + Map.of("en", "EN", "ru", "RU", "uz", "UZ", "uz-Cyrl", "UZC").get(lang);
        try (InputStream in = CurrencyNamesTest.class.getResourceAsStream("/upstream/cbu-all-2026-04-01.json")) {
            for (JsonNode row : new ObjectMapper().readTree(in)) {
                if (code.equals(row.get("Ccy").asText())) {
                    return row.get(field).asText();
                }
            }
        }
        throw new AssertionError("CBU lists no " + code);
    }

    /** CBT's name of {@code code}, which it writes in capitals, in sentence case. */
    private static String cbt(String code) throws Exception {
        try (InputStream in = CurrencyNamesTest.class.getResourceAsStream("/upstream/cbt-20052026.xml")) {
            NodeList rates = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in)
                    .getElementsByTagName("rate");
            for (int i = 0; i < rates.getLength(); i++) {
                Element rate = (Element) rates.item(i);
                if (code.equals(rate.getAttribute("code"))) {
                    String name = rate.getElementsByTagName("name").item(0).getTextContent().trim()
                            .toLowerCase(Locale.forLanguageTag("tk"));
                    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
                }
            }
        }
        throw new AssertionError("CBT lists no " + code);
    }
}
