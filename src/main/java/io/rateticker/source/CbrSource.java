package io.rateticker.source;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.time.DayOfWeek;
import java.util.Set;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.w3c.dom.Element;

/**
 * Bank of Russia: quotes all five against the rouble, so it gives each of them per USD as a cross
 * ({@code USD per rouble ÷ currency per rouble}). Served only where the issuing bank's value is missing.
 */
@ApplicationScoped
public class CbrSource implements RateSource {

    private static final List<String> GIVES = List.of("KGS", "KZT", "TJS", "UZS", "TMT");
    private static final DateTimeFormatter DATE_REQ = DateTimeFormatter.ofPattern("dd/MM/uuuu");

    private static final Info INFO = new Info("cbr", "Bank of Russia (cross rates via RUB)", GIVES,
            "https://www.cbr.ru/scripts/XML_daily.asp",
            "0 */30 15-18 ? * MON-FRI", // set in the afternoon, Moscow time, for the next day
            new Calendar(ZoneId.of("Europe/Moscow"), EnumSet.range(DayOfWeek.TUESDAY, DayOfWeek.SATURDAY),
                    LocalTime.MIDNIGHT, LocalTime.of(15, 0), Set.of()),
            "");

    @Override
    public Info info() {
        return INFO;
    }

    /** It issues the rouble alone: what it gives of the five are crosses. */
    @Override
    public boolean issues(String currency) {
        return false;
    }

    @Override
    public String datedPath(LocalDate date) {
        return "?date_req=" + DATE_REQ.format(date);
    }

    @Override
    public List<SourceRate> parse(byte[] body) throws DocumentException {
        Element root = Documents.root(Documents.xml(body), "ValCurs");
        LocalDate asOf = Documents.date(root.getAttribute("Date"), "ValCurs/@Date");
        Map<String, BigDecimal> rublesPerUnit = new HashMap<>();
        Map<String, String> refused = new HashMap<>();
        for (Element row : Documents.children(root, "Valute")) {
            String code = Documents.text(row, "CharCode");
            if (code.equals("USD") || GIVES.contains(code)) {
                try {
                    rublesPerUnit.put(code, Documents.perUnit(Documents.text(row, "Value"), Documents.text(row, "Nominal"), code));
                } catch (DocumentException e) {
                    if (code.equals("USD")) {
                        throw new DocumentException(e.getMessage() + ": no cross rates can be made");
                    }
                    refused.put(code, e.getMessage()); // one bad row costs that currency only
                }
            }
        }
        BigDecimal usd = rublesPerUnit.get("USD");
        if (usd == null) {
            throw new DocumentException("no USD row: no cross rates can be made");
        }
        List<SourceRate> rates = new ArrayList<>();
        for (String currency : GIVES) {
            BigDecimal perUnit = rublesPerUnit.get(currency);
            if (perUnit != null) {
                rates.add(new SourceRate(currency, asOf, usd.divide(perUnit, MathContext.DECIMAL128)));
            } else if (refused.containsKey(currency)) {
                rates.add(SourceRate.refused(currency, asOf, refused.get(currency)));
            }
        }
        return rates;
    }
}
