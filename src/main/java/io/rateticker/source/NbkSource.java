package io.rateticker.source;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.w3c.dom.Element;

/** National Bank of Kazakhstan: the USD item of {@code get_rates.cfm} gives KZT ({@code description / quant}). */
@ApplicationScoped
public class NbkSource implements RateSource {

    private static final DateTimeFormatter FDATE = DateTimeFormatter.ofPattern("dd.MM.uuuu");

    @Override
    public String id() {
        return "nbk";
    }

    @Override
    public String name() {
        return "National Bank of Kazakhstan";
    }

    @Override
    public List<String> currencies() {
        return List.of("KZT");
    }

    @Override
    public String defaultUrl() {
        return "https://nationalbank.kz/rss/get_rates.cfm";
    }

    @Override
    public String defaultSchedule() {
        return "0 */30 14-17 ? * MON-FRI"; // published in the afternoon, Almaty time
    }

    @Override
    public ZoneId zone() {
        return ZoneId.of("Asia/Almaty");
    }

    @Override
    public String latestPath(LocalDate today) {
        return "";
    }

    @Override
    public String datedPath(LocalDate date) {
        return "?fdate=" + FDATE.format(date);
    }

    @Override
    public List<SourceRate> parse(byte[] body) throws DocumentException {
        Element root = Documents.root(Documents.xml(body), "rates");
        LocalDate asOf = Documents.date(Documents.text(root, "date"), "rates/date");
        for (Element item : Documents.children(root, "item")) {
            if ("USD".equals(Documents.text(item, "title"))) {
                return List.of(new SourceRate("KZT", asOf,
                        Documents.perUnit(Documents.text(item, "description"), Documents.text(item, "quant"), "USD")));
            }
        }
        throw new DocumentException("no USD item");
    }
}
