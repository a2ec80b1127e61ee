package io.rateticker.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Real upstream responses, byte for byte, from {@code src/test/resources/upstream} (see its README). */
public final class Specimens {

    /**
     * One real document of each bank, with the text of its USD value (for CBT, the element holding it) and of its
     * date, as they stand in the document: what a hostile variant replaces.
     */
    public record Document(String source, String file, String usdValue, String date) {

        /** The document with its USD value replaced by {@code value}. */
        public byte[] withUsdValue(String value) {
            String replacement = usdValue.startsWith("<rate_tmt>") ? "<rate_tmt>" + value + "<" : value;
            return replace(usdValue, replacement, false);
        }

        /** The document with its date (everywhere it is written) moved to {@code year}. */
        public byte[] withYear(int year) {
            return replace(date, date.replace("2026", String.valueOf(year)), true);
        }

        private byte[] replace(String text, String replacement, boolean everywhere) {
            // ISO-8859-1 keeps every byte as it is, whatever the document's own encoding
            String document = new String(bytes(file), StandardCharsets.ISO_8859_1);
            if (!document.contains(text)) {
                throw new IllegalStateException(file + " does not contain " + text);
            }
            String changed = everywhere ? document.replace(text, replacement)
                    : document.replaceFirst(Pattern.quote(text), Matcher.quoteReplacement(replacement));
            return changed.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    public static final List<Document> DOCUMENTS = List.of(
            new Document("nbkr", "nbkr-daily.xml", "87,4500", "24.05.2026"),
            new Document("nbk", "nbk-get-rates-2026-04-01.xml", "478.77", "01.04.2026"),
            new Document("cbu", "cbu-all-2026-04-01.json", "12194.21", "01.04.2026"),
            new Document("nbt", "nbt-2026-05-18.xml", "9.3450", "2026-05-18"),
            new Document("cbt", "cbt-20052026.xml", "<rate_tmt>3.5<", "20.05.2026"),
            new Document("cbr", "cbr-xml-daily-2026-04-25.xml", "75,5273", "25.04.2026"));

    private Specimens() {
    }

    /** A parser of each bank's documents, by source id, as the service has them. */
    public static Map<String, RateSource> parsers() {
        return Map.of("nbkr", new NbkrSource(), "nbk", new NbkSource(), "cbu", new CbuSource(new ObjectMapper()),
                "nbt", new NbtSource(), "cbt", new CbtSource(), "cbr", new CbrSource());
    }

    /** A minimal NBK document of one USD value, dated {@code date} (dd.MM.yyyy), as fed to the service by hand. */
    public static byte[] nbk(String date, String value) {
        return ("<rates><date>" + date + "</date><item><title>USD</title><description>" + value
                + "</description><quant>1</quant></item></rates>").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Specimens.class.getResourceAsStream("/upstream/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no specimen " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
