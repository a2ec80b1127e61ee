package io.rateticker.source;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import java.time.LocalTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rateticker.Observation;

/**
 * Central Bank of Uzbekistan: the JSON archive gives UZS per USD and per each other currency it lists
 * ({@code Rate / Nominal}, both strings).
 * The dateless address gives the rate in force today; tomorrow's, announced in the afternoon, only by date.
 */
@ApplicationScoped
public class CbuSource implements RateSource {

    private final ObjectMapper mapper;

    CbuSource(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    private static final Info INFO = new Info("cbu", "Central Bank of Uzbekistan", List.of("UZS"),
            "https://cbu.uz/en/arkhiv-kursov-valyut/json/",
            "0 */30 13-17 ? * MON-FRI", // tomorrow's rate is announced in the afternoon, Tashkent time
            new Calendar(ZoneId.of("Asia/Tashkent"), Calendar.WEEKDAYS,
                    LocalTime.of(13, 0), LocalTime.of(13, 0), Set.of()),
            "");

    @Override
    public Info info() {
        return INFO;
    }

    @Override
    public boolean aheadIsDated() {
        return true;
    }

    @Override
    public String datedPath(LocalDate date) {
        return "all/" + date + "/";
    }

    @Override
    public String mediaType() {
        return "application/json";
    }

    @Override
    public List<SourceRate> parse(byte[] body) throws DocumentException {
        Documents.expect(body, '[', "a JSON array of rates");
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new DocumentException("not well-formed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DocumentException("unreadable JSON: " + e.getMessage());
        }
        if (root == null || !root.isArray()) {
            throw new DocumentException("expected a JSON array of rates");
        }
        if (root.isEmpty()) {
            throw new DocumentException("an empty array: no rates for this date");
        }
        Documents.Table table = null;
        for (JsonNode element : root) {
            String code = element.path("Ccy").asText();
            if (table == null && code.equals(Observation.USD)) {
                // every element states the date; the dollar's is the document's
                table = new Documents.Table("UZS", Documents.date(field(element, "Date", code), "Date"));
            }
        }
        if (table == null) {
            throw new DocumentException("no USD element");
        }
        for (JsonNode element : root) {
            String code = element.path("Ccy").asText();
            table.add(code, () -> Documents.perUnit(field(element, "Rate", code), field(element, "Nominal", code), code));
        }
        return table.rows("no USD element");
    }

    private static String field(JsonNode element, String name, String code) throws DocumentException {
        JsonNode value = element.get(name);
        if (value == null || !value.isValueNode() || value.asText().isBlank()) {
            throw new DocumentException("the " + code + " element has no " + name);
        }
        return value.asText();
    }
}
