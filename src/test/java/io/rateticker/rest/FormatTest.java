package io.rateticker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.rateticker.Observation;
import io.rateticker.service.Series;

/** CSV quoting and plain numbers, the choice of format from Accept, and rows written as they come. */
class FormatTest {

    record Row(String name, BigDecimal value, String note) {
    }

    @Test
    void csvQuotesOnlyWhatNeedsItAndWritesPlainDecimals() {
        byte[] csv = Format.CSV.bytes(new ObjectMapper(), Row.class, List.of(new Row("plain", new BigDecimal("1E-7"), null),
                new Row("a, b", new BigDecimal("12194.2148206"), "say \"hi\"\r\nagain")));
        String text = new String(csv, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("name,value,note\r\nplain,0.0000001,\r\n\"a, b\",12194.2148206,\"say \"\"hi\"\"\r\nagain\"\r\n");
        assertThat(HistoryFormatsTest.rfc4180(text)).containsExactly(List.of("name", "value", "note"),
                List.of("plain", "0.0000001", ""), List.of("a, b", "12194.2148206", "say \"hi\"\r\nagain"));
    }

    @Test
    void acceptPicksTheMostSpecificRangeAndItsQuality() {
        assertThat(Format.of(null, null)).isEqualTo(Format.JSON);
        assertThat(Format.of(null, "*/*")).isEqualTo(Format.JSON); // a tie goes to JSON
        assertThat(Format.of(null, "text/csv")).isEqualTo(Format.CSV);
        assertThat(Format.of(null, "application/*;q=0.9, text/csv;q=0.8")).isEqualTo(Format.JSON);
        assertThat(Format.of(null, "application/json;q=0, application/*")).isEqualTo(Format.NDJSON);
        assertThat(Format.of("CSV", "application/json")).isEqualTo(Format.CSV);
    }

    /**
     * Ten years of nine currencies' publications (some 23,000 rows, over a megabyte in every format) reach the stream in
     * pieces of at most two buffers, as they are made: the writer never holds the range. The JSON is whole all the
     * same, and its rows are every publication.
     */
    @Test
    void aTenYearSeriesOfNineCurrenciesIsWrittenAsItIsMadeNeverWhole() throws IOException {
        LocalDate from = LocalDate.parse("2016-12-05");
        LocalDate to = from.plusYears(10);
        Map<String, NavigableMap<LocalDate, Observation>> served = new LinkedHashMap<>();
        int rows = 0;
        for (String code : List.of("KGS", "KZT", "TJS", "UZS", "TMT", "EUR", "RUB", "CNY", "GBP")) {
            NavigableMap<LocalDate, Observation> series = new TreeMap<>();
            BigDecimal value = new BigDecimal("87.1234");
            for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
                if (date.getDayOfWeek().getValue() < 6) {
                    value = value.add(new BigDecimal("0.0017"));
                    series.put(date, new Observation(code, date, value, "cbr", Instant.parse("2026-12-05T00:00:00Z")));
                    rows++;
                }
            }
            served.put(code, series);
        }
        ObjectMapper mapper = new ObjectMapper().findAndRegisterModules()
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        for (Format format : Format.values()) {
            Pieces out = new Pieces();
            Format.Rows<Series.Day> writer = format.rows(out, mapper, Series.Day.class, Map.of("base", "USD"));
            for (Map.Entry<String, NavigableMap<LocalDate, Observation>> series : served.entrySet()) {
                Series.days(series.getKey(), "USD", served::get, from, to, writer);
            }
            writer.finish();
            assertThat(out.total).as(format + " bytes").isGreaterThan(1_000_000);
            assertThat(out.largest).as(format + ": the largest single write").isLessThanOrEqualTo(16_384);
            if (format == Format.JSON) {
                assertThat(mapper.readTree(out.bytes.toByteArray()).get("rows").size()).isEqualTo(rows);
            }
        }
    }

    /** Counts what it is given, and how much at once. */
    private static final class Pieces extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long total;
        int largest;

        @Override
        public void write(int b) {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            total += len;
            largest = Math.max(largest, len);
            bytes.write(b, off, len);
        }
    }
}
