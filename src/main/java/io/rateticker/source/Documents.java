package io.rateticker.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

import io.rateticker.Observation;

/** Reading the pieces the bank formats share: XML from bytes, decimals with either separator, two date styles. */
final class Documents {

    private static final DateTimeFormatter DOTTED = DateTimeFormatter.ofPattern("dd.MM.uuuu");
    private static final Pattern HTML = Pattern.compile("<(!doctype\\s+html|html|head|body)\\b", Pattern.CASE_INSENSITIVE);

    private Documents() {
    }

    /**
     * The root element, which must have this name, of XML parsed from the raw bytes, so that the parser honours the
     * encoding the prolog declares (windows-1251 for NBKR and CBR). No DTDs and no external entities: a document is
     * data, never instructions to fetch more. What is not XML at all (a firewall's HTML page, a proxy's text) is
     * refused before any parsing, quoting its first characters.
     */
    static Element xml(byte[] body, String root) throws DocumentException {
        expect(body, '<', "a <" + root + "> document");
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // throws on fatal errors instead of printing them
            document = builder.parse(new ByteArrayInputStream(body));
        } catch (SAXException e) {
            throw new DocumentException("not well-formed XML: " + e.getMessage());
        } catch (IOException | ParserConfigurationException e) {
            throw new DocumentException("unreadable XML: " + e.getMessage());
        }
        Element element = document.getDocumentElement();
        if (!element.getTagName().equals(root)) {
            throw new DocumentException("expected a <" + root + "> document, found <" + element.getTagName() + ">");
        }
        return element;
    }

    /**
     * Refuses, quoting its first characters, a body that does not open as the bank's format does ({@code first}, after
     * any byte order mark and white space) or that is an HTML page.
     */
    static void expect(byte[] body, char first, String what) throws DocumentException {
        String start = new String(body, 0, Math.min(body.length, 512), StandardCharsets.UTF_8)
                .replaceFirst("^\uFEFF?\\s*", "");
        boolean html = HTML.matcher(start).lookingAt();
        if (html || start.isEmpty() || start.charAt(0) != first) {
            throw new DocumentException("expected " + what + ", but the answer is "
                    + (html ? "an HTML page" : start.isEmpty() ? "empty" : "something else")
                    + (start.isEmpty() ? "" : ", beginning '" + beginning(start) + "'"));
        }
    }

    /** At most 100 characters, each run of white space one space: enough to recognise a page in a log line. */
    private static String beginning(String start) {
        String flat = start.replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?");
        return flat.length() <= 100 ? flat : flat.substring(0, 100) + "…";
    }

    static List<Element> children(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        List<Element> elements = new ArrayList<>(nodes.getLength());
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    /** The trimmed text of the first {@code name} element inside {@code parent}, which must be there. */
    static String text(Element parent, String name) throws DocumentException {
        NodeList nodes = parent.getElementsByTagName(name);
        if (nodes.getLength() == 0 || nodes.item(0).getTextContent().isBlank()) {
            throw new DocumentException("<" + parent.getTagName() + "> has no <" + name + ">");
        }
        return nodes.item(0).getTextContent().trim();
    }

    /**
     * A positive decimal written with a dot or a comma ({@code 87,4500}), an exponent allowed ({@code 5,39E-05}),
     * of at most 30 significant digits between 1e-12 and 1e12. The text is bounded before it is parsed and the value
     * before any arithmetic: a hostile {@code 1E+10000000} would otherwise cost minutes in the division and the
     * store, and {@code 1E-40} would be served as a zero.
     */
    static BigDecimal decimal(String text, String what) throws DocumentException {
        String trimmed = text.trim();
        if (trimmed.length() > 60) {
            throw new DocumentException(what + " is longer than 60 characters: '" + trimmed.substring(0, 20) + "...'");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(trimmed.replace(',', '.'));
        } catch (NumberFormatException e) {
            throw new DocumentException(what + " is not a number: '" + trimmed + "'");
        }
        if (value.signum() <= 0) {
            throw new DocumentException(what + " is not positive: " + trimmed);
        }
        BigDecimal canonical = value.stripTrailingZeros();
        if (canonical.precision() > 30) {
            throw new DocumentException(what + " has more than 30 significant digits: " + trimmed);
        }
        if (!inRange(canonical)) {
            throw new DocumentException(what + " is out of range (1e-12 to 1e12): " + trimmed);
        }
        return value;
    }

    /** Whether a positive value's decimal exponent is within -12 and 12. */
    private static boolean inRange(BigDecimal positive) {
        long exponent = (long) positive.precision() - positive.scale() - 1;
        return exponent >= -12 && exponent <= 12;
    }

    /**
     * {@code value / nominal}: units of local currency per one unit of the foreign one, bounded as each of them is,
     * since two values in range can make one that is not ({@code 1e-12} per {@code 999999999999}).
     */
    static BigDecimal perUnit(String value, String nominal, String what) throws DocumentException {
        BigDecimal perUnit = decimal(value, what + " value").divide(decimal(nominal, what + " nominal"), MathContext.DECIMAL128);
        if (!inRange(perUnit)) {
            throw new DocumentException(what + " value over its nominal is out of range (1e-12 to 1e12): "
                    + value.trim() + " / " + nominal.trim());
        }
        return perUnit;
    }

    /** Reads one row's value; a bad one throws. */
    @FunctionalInterface
    interface Value {
        BigDecimal read() throws DocumentException;
    }

    /**
     * A bank's table being read, row by row: {@code currency} per unit of each code. A row whose value cannot be read
     * costs that row alone, except the dollar row, without which the document is of no use. A code that is not three
     * letters, the bank's own currency, or a code already read is not a row.
     */
    static final class Table {
        private final String currency;
        private final LocalDate asOf;
        private final List<SourceRate> rows = new ArrayList<>();
        private final Set<String> codes = new HashSet<>();

        Table(String currency, LocalDate asOf) {
            this.currency = currency;
            this.asOf = asOf;
        }

        void add(String published, Value value) throws DocumentException {
            String code = published.equals("RUR") ? "RUB" : published; // the rouble's pre-1998 code, in older feeds
            if (!code.matches("[A-Z]{3}") || code.equals(currency) || !codes.add(code)) {
                return;
            }
            try {
                rows.add(new SourceRate(currency, code, asOf, value.read(), null));
            } catch (DocumentException e) {
                if (code.equals(Observation.USD)) {
                    throw e;
                }
                rows.add(SourceRate.refused(currency, code, asOf, e.getMessage()));
            }
        }

        /** Every row read, the dollar row first; {@code noDollar} says why a table without one fails. */
        List<SourceRate> rows(String noDollar) throws DocumentException {
            if (!codes.contains(Observation.USD)) {
                throw new DocumentException(noDollar);
            }
            List<SourceRate> ordered = new ArrayList<>(rows);
            ordered.sort(Comparator.comparing(row -> !row.quote().equals(Observation.USD)));
            return ordered;
        }
    }

    /** A date as {@code dd.MM.yyyy} or {@code yyyy-MM-dd}, whichever the text is. */
    static LocalDate date(String text, String what) throws DocumentException {
        String trimmed = text.trim();
        try {
            return trimmed.length() == 10 && trimmed.charAt(4) == '-' ? LocalDate.parse(trimmed)
                    : LocalDate.parse(trimmed, DOTTED);
        } catch (DateTimeParseException e) {
            throw new DocumentException(what + " is not a date: '" + trimmed + "'");
        }
    }
}
