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

import io.rateticker.Observation;

/**
 * Bank of Russia: its table of the rouble against every currency it quotes, and, since it quotes all five, each of
 * them per USD as a cross ({@code USD per rouble ÷ currency per rouble}), served only where the issuing bank's value
 * is missing.
 */
@ApplicationScoped
public class CbrSource implements RateSource {

    private static final List<String> GIVES = List.of("KGS", "KZT", "TJS", "UZS", "TMT");
    private static final String RUB = "RUB";
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
        return RUB.equals(currency);
    }

    @Override
    public String datedPath(LocalDate date) {
        return "?date_req=" + DATE_REQ.format(date);
    }

    @Override
    public List<SourceRate> parse(byte[] body) throws DocumentException {
        Element root = Documents.xml(body, "ValCurs");
        LocalDate asOf = Documents.date(root.getAttribute("Date"), "ValCurs/@Date");
        Documents.Table table = new Documents.Table(RUB, asOf);
        for (Element row : Documents.children(root, "Valute")) {
            String code = Documents.text(row, "CharCode");
            table.add(code, () -> {
                try {
                    return Documents.perUnit(Documents.text(row, "Value"), Documents.text(row, "Nominal"), code);
                } catch (DocumentException e) {
                    throw code.equals(Observation.USD)
                            ? new DocumentException(e.getMessage() + ": no cross rates can be made") : e;
                }
            });
        }
        List<SourceRate> rubles = table.rows("no USD row: no cross rates can be made");
        Map<String, SourceRate> byCode = new HashMap<>();
        rubles.forEach(row -> byCode.put(row.quote(), row));
        BigDecimal usd = byCode.get(Observation.USD).value();
        List<SourceRate> rates = new ArrayList<>();
        for (String currency : GIVES) {
            SourceRate row = byCode.get(currency);
            if (row != null && row.refused() == null) {
                rates.add(new SourceRate(currency, asOf, usd.divide(row.value(), MathContext.DECIMAL128)));
            } else if (row != null) {
                rates.add(SourceRate.refused(currency, Observation.USD, asOf, row.refused())); // that currency only
            }
        }
        rates.addAll(rubles);
        return rates;
    }
}
