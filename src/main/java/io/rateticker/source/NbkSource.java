package io.rateticker.source;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.w3c.dom.Element;

/**
 * National Bank of Kazakhstan: {@code get_rates.cfm} gives KZT per USD and per each other currency it lists
 * ({@code description / quant}).
 */
@ApplicationScoped
public class NbkSource implements RateSource {

    private static final DateTimeFormatter FDATE = DateTimeFormatter.ofPattern("dd.MM.uuuu");

    private static final Info INFO = new Info("nbk", "National Bank of Kazakhstan", List.of("KZT"),
            "https://nationalbank.kz/rss/get_rates.cfm",
            "0 */30 14-17 ? * MON-FRI", // published in the afternoon, Almaty time
            new Calendar(ZoneId.of("Asia/Almaty"), Calendar.WEEKDAYS,
                    LocalTime.of(17, 0), LocalTime.of(14, 0), Set.of()),
            "");

    @Override
    public Info info() {
        return INFO;
    }

    @Override
    public String datedPath(LocalDate date) {
        return "?fdate=" + FDATE.format(date);
    }

    @Override
    public List<SourceRate> parse(byte[] body) throws DocumentException {
        Element root = Documents.xml(body, "rates");
        LocalDate asOf = Documents.date(Documents.text(root, "date"), "rates/date");
        Documents.Table table = new Documents.Table("KZT", asOf);
        for (Element item : Documents.children(root, "item")) {
            String code = Documents.text(item, "title");
            table.add(code, () -> Documents.perUnit(Documents.text(item, "description"), Documents.text(item, "quant"),
                    code));
        }
        return table.rows("no USD item");
    }
}
