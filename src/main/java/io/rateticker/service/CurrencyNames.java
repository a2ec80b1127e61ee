package io.rateticker.service;

import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Currency names in the languages of the region: the banks' own wording where their documents give it, else CLDR.
 * The CLDR names are copied here rather than read from the JDK at run time, so that a JDK upgrade cannot rename a
 * currency under a client (Java 17 and 25 disagree on every Tajik name); a code not listed here gets the JDK's.
 * docs/translations.md lists every term with its source and review.
 */
public final class CurrencyNames {

    /** Language tags in the order docs/widget.md lists them; {@code uz} is Latin script, as CBU's {@code CcyNm_UZ}. */
    public static final List<String> LANGUAGES = List.of("en", "ru", "ky", "kk", "uz", "uz-Cyrl", "tg", "tk");

    private static final Map<String, Map<String, String>> NAMES = Map.of(
            // CBU's CcyNm_EN (cbu-all-2026-04-01.json); UZS, which CBU does not list: ISO 4217's name
            "en", Map.of("KGS", "Kyrgyzstan Som", "KZT", "Kazakhstan Tenge", "UZS", "Uzbekistan Sum",
                    "TJS", "Tajikistan Somoni", "TMT", "Turkmenistan New Manat", "USD", "US Dollar",
                    "EUR", "Euro", "RUB", "Russian Ruble", "CNY", "Yuan Renminbi"),
            // CBU's CcyNm_RU; UZS: CLDR ru ("узбекский сум"), capitalised as CBU writes names
            "ru", Map.of("KGS", "Киргизский сом", "KZT", "Казахстанский тенге", "UZS", "Узбекский сум",
                    "TJS", "Сомони", "TMT", "Новый туркменский манат", "USD", "Доллар США",
                    "EUR", "Евро", "RUB", "Российский рубль", "CNY", "Юань ренминби"),
            // CLDR ky (no bank publishes Kyrgyz names: NBKR's daily.xml has codes only)
            "ky", Map.of("KGS", "Кыргызстан сому", "KZT", "Казакстан теңгеси", "UZS", "Өзбекстан суму",
                    "TJS", "Тажикстан сомониси", "TMT", "Түркмөнстан манаты", "USD", "АКШ доллары",
                    "EUR", "Евро", "RUB", "Орус рублу", "CNY", "Кытай юаны"),
            // CLDR kk (NBK's rates document names currencies in Russian only)
            "kk", Map.of("KGS", "Қырғызстан сомы", "KZT", "Қазақстан теңгесі", "UZS", "Өзбекстан сомы",
                    "TJS", "Тәжікстан сомониі", "TMT", "Түрікменстан манаты", "USD", "АҚШ доллары",
                    "EUR", "Еуро", "RUB", "Ресей рублі", "CNY", "Қытай юані"),
            // CBU's CcyNm_UZ; UZS: CLDR uz; EUR: CBU's "EVRO" in sentence case
            "uz", Map.of("KGS", "Qirg‘iz somi", "KZT", "Qozog‘iston tengesi", "UZS", "O‘zbekiston so‘mi",
                    "TJS", "Tojikiston somonisi", "TMT", "Turkmaniston manati", "USD", "AQSH dollari",
                    "EUR", "Evro", "RUB", "Rossiya rubli", "CNY", "Xitoy yuani"),
            // CBU's CcyNm_UZC, EUR in sentence case (CBU writes "EВРО", its E a Latin letter); UZS: CLDR uz-Cyrl
            // ("Ўзбекистон сўм") with the possessive -и of CBU's names and CLDR uz
            "uz-Cyrl", Map.of("KGS", "Қирғиз соми", "KZT", "Қозоғистон тенгеси", "UZS", "Ўзбекистон сўми",
                    "TJS", "Тожикистон сомониси", "TMT", "Туркманистон манати", "USD", "АҚШ доллари",
                    "EUR", "Евро", "RUB", "Россия рубли", "CNY", "Хитой юани"),
            // CLDR tg as in Java 25 (Java 17's has English for all but TJS), in Tajik letters where it has Russian or
            // Uzbek ones (Казокистон, Сўми); TJS: Java 17's "Сомонӣ", the word NBT uses; CNY: CLDR's "Иенаи хитоӣ"
            // names the yen (иена), so the yuan (юан) in its place
            "tg", Map.of("KGS", "Соми Қирғизистон", "KZT", "Тангаи Қазоқистон", "UZS", "Сӯми Ӯзбекистон",
                    "TJS", "Сомонӣ", "TMT", "Манати Туркманистон", "USD", "Доллари ИМА",
                    "EUR", "Евро", "RUB", "Рубли русӣ", "CNY", "Юани хитоӣ"),
            // CBT's <name> (cbt-20052026.xml), in sentence case, CNY without its parenthesis and EUR without
            // "/ ABŞ-NYŇ DOLLARY"; TMT, which CBT does not list, and USD, whose name there (ABŞ-NYŇ DOLLARY) starts
            // with an abbreviation that sentence case would break: CLDR tk
            "tk", Map.of("KGS", "Gyrgyz somy", "KZT", "Gazak teňňesi", "UZS", "Özbek sumy",
                    "TJS", "Täjik somonisi", "TMT", "Türkmen manady", "USD", "ABŞ dollary",
                    "EUR", "Ýewro", "RUB", "Rus rubly", "CNY", "Hytaý ýuany"));

    private CurrencyNames() {
    }

    /** The name of {@code code} in {@code language} (one of {@link #LANGUAGES}). */
    public static String name(String code, String language) {
        String name = NAMES.get(language).get(code);
        if (name != null) {
            return name;
        }
        try {
            return Currency.getInstance(code).getDisplayName(Locale.forLanguageTag(language));
        } catch (IllegalArgumentException e) {
            return code;
        }
    }

    /**
     * The language to answer in: {@code lang} if given (a 400 if none of {@link #LANGUAGES} matches it), else the
     * best match of an {@code Accept-Language} header, else English (no header, a malformed one, or no match).
     */
    public static String negotiate(String lang, String acceptLanguage) {
        if (lang != null) {
            String chosen = lookup(lang);
            if (chosen == null) {
                throw new RequestException(400, "lang: '" + lang + "' is not one of " + String.join(", ", LANGUAGES));
            }
            return chosen;
        }
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return "en";
        }
        String chosen = lookup(acceptLanguage);
        return chosen == null ? "en" : chosen;
    }

    private static String lookup(String ranges) {
        try {
            return Locale.lookupTag(Locale.LanguageRange.parse(ranges), LANGUAGES);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
