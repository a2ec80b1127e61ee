package io.rateticker.source;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.time.DayOfWeek;
import java.util.Set;
import java.time.LocalTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.w3c.dom.Element;

/**
 * National Bank of Tajikistan: {@code export_xml.php} gives TJS per USD and per each other currency it lists. Rows
 * are keyed on {@code CharCode} (the numeric ids are unreliable in history); the English feed is used, whose encoding
 * declaration is right.
 */
@ApplicationScoped
public class NbtSource implements RateSource {

    private static final Info INFO = new Info("nbt", "National Bank of Tajikistan", List.of("TJS"),
            "https://www.nbt.tj/en/kurs/export_xml.php",
            "0 */30 9-12 * * ?", // every day, weekends included, in the morning Dushanbe time
            new Calendar(ZoneId.of("Asia/Dushanbe"), EnumSet.allOf(DayOfWeek.class),
                    LocalTime.of(12, 0), null, Set.of()),
            "Attribution required: 'When using materials from the site, the reference to www.nbt.tj is obligatory.'");

    @Override
    public Info info() {
        return INFO;
    }

    @Override
    public boolean latestIsDated() {
        return true;
    }

    @Override
    public String datedPath(LocalDate date) {
        return "?date=" + date + "&export=xmlout";
    }

    @Override
    public List<SourceRate> parse(byte[] body) throws DocumentException {
        Element root = Documents.xml(body, "ValCurs");
        LocalDate asOf = Documents.date(root.getAttribute("Date"), "ValCurs/@Date");
        Documents.Table table = new Documents.Table("TJS", asOf);
        for (Element row : Documents.children(root, "Valute")) {
            String code = Documents.text(row, "CharCode");
            table.add(code, () -> Documents.perUnit(Documents.text(row, "Value"), Documents.text(row, "Nominal"), code));
        }
        return table.rows("no USD row (a day without quotes gives an empty ValCurs)");
    }
}
