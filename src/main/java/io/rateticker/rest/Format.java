package io.rateticker.rest;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rateticker.service.RequestException;

/**
 * The formats a table-shaped read answers in besides JSON: CSV (RFC 4180: a header row, CRLF, quoted only where a
 * field needs it, numbers as plain decimals) and NDJSON (one JSON object per line). Chosen by {@code format=}, else by
 * {@code Accept} (RFC 9110 negotiation, JSON on a tie).
 */
public enum Format {
    JSON("application/json"),
    CSV("text/csv;charset=utf-8;header=present"),
    NDJSON("application/x-ndjson");

    private final String contentType;

    Format(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The media type alone, as Accept names it. */
    String mediaType() {
        int semicolon = contentType.indexOf(';');
        return semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    }

    /** {@code format} if given (a 400 if it names none), else the one {@code accept} prefers, else JSON. */
    static Format of(String format, String accept) {
        if (format != null) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(format.trim())) {
                    return f;
                }
            }
            throw new RequestException(400, "format: '" + format + "' is not one of json, csv, ndjson");
        }
        if (accept == null) {
            return JSON;
        }
        Format best = JSON;
        double bestQuality = -1;
        for (Format f : values()) {
            double quality = ApiRoutes.quality(accept, f.mediaType());
            if (quality > bestQuality) {
                best = f;
                bestQuality = quality;
            }
        }
        return best;
    }

    /** A CSV table of records: a header row of their components' names, then one row per record; CRLF line ends. */
    static <R extends Record> byte[] csv(Class<R> type, List<R> rows) {
        RecordComponent[] columns = type.getRecordComponents();
        StringBuilder csv = new StringBuilder(64 * (rows.size() + 1));
        line(csv, Stream.of(columns).map(RecordComponent::getName).toList());
        for (R row : rows) {
            List<Object> fields = new ArrayList<>(columns.length);
            for (RecordComponent column : columns) {
                try {
                    fields.add(column.getAccessor().invoke(row));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + column.getName() + " of " + type.getSimpleName(), e);
                }
            }
            line(csv, fields);
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder csv, List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(field(fields.get(i)));
        }
        csv.append("\r\n");
    }

    private static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value instanceof BigDecimal number ? number.toPlainString() : value.toString();
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** One JSON document per line, each line ended by LF. */
    static byte[] ndjson(ObjectMapper mapper, List<?> rows) {
        StringBuilder lines = new StringBuilder(128 * rows.size());
        for (Object row : rows) {
            try {
                lines.append(mapper.writeValueAsString(row)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a row as JSON", e);
            }
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }
}
