package io.rateticker.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.rateticker.Observation;

/** The last-known rates shipped in the jar, with which an empty store starts (served as stale, never as current). */
final class BundledRates {

    static final String SOURCE = "bundled";
    private static final String FILE = "bundled-rates.csv";

    private BundledRates() {
    }

    /** The bundled rates of the tracked currencies; received "at" their effective date, so they are served as stale. */
    static List<Observation> of(List<String> currencies) {
        List<Observation> rates = new ArrayList<>();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(FILE);
                BufferedReader reader = new BufferedReader(new InputStreamReader(
                        Objects.requireNonNull(in, FILE + " is missing"), StandardCharsets.UTF_8))) {
            reader.lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith("currency,"))
                    .map(line -> line.split(",", 4))
                    .filter(fields -> currencies.contains(fields[0]))
                    .forEach(fields -> {
                        LocalDate asOf = LocalDate.parse(fields[1]);
                        rates.add(new Observation(fields[0], asOf, new BigDecimal(fields[2]), SOURCE,
                                asOf.atStartOfDay().toInstant(ZoneOffset.UTC)));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rates;
    }
}
