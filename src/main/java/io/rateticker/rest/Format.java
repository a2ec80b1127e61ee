package io.rateticker.rest;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rateticker.service.RequestException;
import io.rateticker.service.Series;

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

    /** Rows written one at a time, holding none; {@link #finish} ends the document and flushes, leaving the stream open. */
    interface Rows<R> extends Series.Sink<R> {
        void finish() throws IOException;
    }

    /**
     * A writer of rows of {@code type} on {@code out} in this format. CSV: a header row of the components' names, then
     * a row per record, CRLF line ends. NDJSON: a JSON object per row, each line ended by LF. JSON: an object of
     * {@code head}'s fields, then the rows in an array named {@code rows}.
     */
    <R extends Record> Rows<R> rows(OutputStream out, ObjectMapper mapper, Class<R> type, Map<String, ?> head)
            throws IOException {
        if (this == CSV) {
            return csv(out, type);
        }
        JsonGenerator json = mapper.createGenerator(out, JsonEncoding.UTF8).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        if (this == NDJSON) {
            json.setRootValueSeparator(null); // Jackson puts a space between root values: a line starts with its '{'
            return new Rows<>() {
                @Override
                public void add(R row) throws IOException {
                    json.writeObject(row);
                    json.writeRaw('\n');
                }

                @Override
                public void finish() throws IOException {
                    json.flush();
                }
            };
        }
        json.writeStartObject();
        for (Map.Entry<String, ?> field : head.entrySet()) {
            json.writeObjectField(field.getKey(), field.getValue());
        }
        json.writeArrayFieldStart("rows");
        return new Rows<>() {
            @Override
            public void add(R row) throws IOException {
                json.writeObject(row);
            }

            @Override
            public void finish() throws IOException {
                json.writeEndArray();
                json.writeEndObject();
                json.flush();
            }
        };
    }

    /** {@code rows} as one document in this format (CSV or NDJSON: JSON has a head). */
    <R extends Record> byte[] bytes(ObjectMapper mapper, Class<R> type, List<R> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 * (rows.size() + 1));
        try {
            Rows<R> writer = rows(out, mapper, type, Map.of());
            for (R row : rows) {
                writer.add(row);
            }
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by a stream in memory
        }
        return out.toByteArray();
    }

    private static <R extends Record> Rows<R> csv(OutputStream out, Class<R> type) throws IOException {
        RecordComponent[] columns = type.getRecordComponents();
        Writer csv = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 8192);
        line(csv, Stream.of(columns).map(RecordComponent::getName).toList());
        return new Rows<>() {
            @Override
            public void add(R row) throws IOException {
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

            @Override
            public void finish() throws IOException {
                csv.flush();
            }
        };
    }

    private static void line(Writer csv, List<?> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.write(',');
            }
            csv.write(field(fields.get(i)));
        }
        csv.write("\r\n");
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
}
