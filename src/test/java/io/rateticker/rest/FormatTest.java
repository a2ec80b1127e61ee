package io.rateticker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** CSV quoting and plain numbers, and the choice of format from Accept. */
class FormatTest {

    record Row(String name, BigDecimal value, String note) {
    }

    @Test
    void csvQuotesOnlyWhatNeedsItAndWritesPlainDecimals() {
        byte[] csv = Format.csv(Row.class, List.of(new Row("plain", new BigDecimal("1E-7"), null),
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
}
