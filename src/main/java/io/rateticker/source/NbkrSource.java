package io.rateticker.source;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import java.time.LocalTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.w3c.dom.Element;

/**
 * National Bank of the Kyrgyz Republic: {@code daily.xml} gives KGS per USD and per each other currency it lists
 * ({@code Value / Nominal}). Latest only; the {@code Date} attribute is the effective date, which can be the day after
 * publication.
 */
@ApplicationScoped
public class NbkrSource implements RateSource {

    private static final Info INFO = new Info("nbkr", "National Bank of the Kyrgyz Republic", List.of("KGS"),
            "https://www.nbkr.kg/XML/daily.xml",
            "0 */30 14-17 ? * MON-FRI", // published around 16:00 Bishkek time
            new Calendar(ZoneId.of("Asia/Bishkek"), Calendar.WEEKDAYS,
                    LocalTime.of(17, 0), LocalTime.of(14, 0), Set.of()),
            "");

    @Override
    public Info info() {
        return INFO;
    }

    @Override
    public String datedPath(LocalDate date) {
        return null;
    }

    @Override
    public List<SourceRate> parse(byte[] body) throws DocumentException {
        Element root = Documents.xml(body, "CurrencyRates");
        LocalDate asOf = Documents.date(root.getAttribute("Date"), "CurrencyRates/@Date");
        Documents.Table table = new Documents.Table("KGS", asOf);
        for (Element row : Documents.children(root, "Currency")) {
            String code = row.getAttribute("ISOCode");
            table.add(code, () -> Documents.perUnit(Documents.text(row, "Value"), Documents.text(row, "Nominal"), code));
        }
        return table.rows("no USD row");
    }
}
