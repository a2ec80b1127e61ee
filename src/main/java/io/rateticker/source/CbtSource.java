package io.rateticker.source;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.time.DayOfWeek;
import java.util.Set;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.w3c.dom.Element;

/**
 * Central Bank of Turkmenistan: the day file gives TMT per USD and per each other currency it lists
 * ({@code rate_tmt / multiplier}; the {@code rate_usd} cross changes direction between rows and is not used). The site
 * refuses many foreign addresses: its documents can also be fed by hand through the admin API.
 */
@ApplicationScoped
public class CbtSource implements RateSource {

    private static final DateTimeFormatter FILE = DateTimeFormatter.ofPattern("uuuu/ddMMuuuu");

    private static final Info INFO = new Info("cbt", "Central Bank of Turkmenistan", List.of("TMT"),
            "https://cbt.tm/kurs/",
            "0 0 9-18/3 ? * MON-SAT", // files appear around midday of the previous business day; none on Sundays
            new Calendar(ZoneId.of("Asia/Ashgabat"), EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY),
                    LocalTime.of(12, 0), LocalTime.of(15, 0), Set.of()),
            "");

    @Override
    public Info info() {
        return INFO;
    }

    @Override
    public boolean latestIsDated() {
        return true;
    }

    @Override
    public boolean aheadIsDated() {
        return true;
    }

    @Override
    public String datedPath(LocalDate date) {
        return FILE.format(date) + ".xml";
    }

    @Override
    public List<SourceRate> parse(byte[] body) throws DocumentException {
        Element root = Documents.xml(body, "cbt_currency_rate");
        LocalDate asOf = Documents.date(Documents.text(root, "date"), "date");
        Documents.Table table = new Documents.Table("TMT", asOf);
        for (Element rate : Documents.children(root, "rate")) {
            String code = rate.getAttribute("code");
            table.add(code, () -> Documents.perUnit(Documents.text(rate, "rate_tmt"), Documents.text(rate, "multiplier"),
                    code));
        }
        return table.rows("no USD rate");
    }
}
