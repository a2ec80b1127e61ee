package io.rateticker.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import io.rateticker.Observation;
import io.rateticker.Packaged;

/** The last-known rates shipped in the jar, with which an empty store starts (served as stale, never as current). */
final class BundledRates {

    static final String SOURCE = "bundled";
    private static final String FILE = "bundled-rates.csv";

    private BundledRates() {
    }

    /** The bundled rates of the tracked currencies; received "at" their effective date, so they are served as stale. */
    static List<Observation> of(List<String> currencies) {
        return Packaged.text(FILE).lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith("currency,"))
                .map(line -> line.split(",", 4))
                .filter(fields -> currencies.contains(fields[0]))
                .map(fields -> {
                    LocalDate asOf = LocalDate.parse(fields[1]);
                    return new Observation(fields[0], asOf, new BigDecimal(fields[2]), SOURCE,
                            asOf.atStartOfDay().toInstant(ZoneOffset.UTC));
                })
                .toList();
    }
}
