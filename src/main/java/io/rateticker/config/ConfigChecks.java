package io.rateticker.config;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start with a {@code ticker.*} value out of its documented range, naming every such key. Written out
 * rather than as Bean Validation constraints: booting Hibernate Validator for these few checks cost half a second
 * of every start (docs/benchmarks.md).
 */
@ApplicationScoped
public class ConfigChecks {

    /** Ten years: the longest series the API serves. */
    static final int MAX_BACKFILL_DAYS = 3650;

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, TickerConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(TickerConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.currencies().isEmpty()) {
            problems.add("ticker.currencies must name at least one currency");
        }
        config.currencies().stream().filter(c -> !c.matches("[A-Z]{3}")).forEach(c -> problems.add(
                "ticker.currencies: '" + c + "' is not a three-letter upper-case ISO 4217 code"));
        config.quotes().stream().filter(c -> !c.matches("[A-Z]{3}")).forEach(c -> problems.add(
                "ticker.quotes: '" + c + "' is not a three-letter upper-case ISO 4217 code"));
        range(problems, "ticker.sources.backfill-days", config.sources().backfillDays(), 0, MAX_BACKFILL_DAYS);
        config.sources().source().forEach((id, source) -> source.backfillDays().ifPresent(days -> range(problems,
                "ticker.sources." + id + ".backfill-days", days, 0, MAX_BACKFILL_DAYS)));
        double rate = config.sources().backfillRate();
        if (!(rate > 0 && rate <= 1000)) {
            problems.add("ticker.sources.backfill-rate is " + rate + "; it must be above 0 and at most 1000");
        }
        range(problems, "ticker.sources.max-document-bytes", config.sources().maxDocumentBytes(), 1024, 67_108_864);
        range(problems, "ticker.sources.retries", config.sources().retries(), 0, Integer.MAX_VALUE);
        range(problems, "ticker.stream.retry", config.stream().retry(), 0, Long.MAX_VALUE);
        range(problems, "ticker.stream.replay-size", config.stream().replaySize(), 0, Integer.MAX_VALUE);
        range(problems, "ticker.stream.max-clients", config.stream().maxClients(), 1, Integer.MAX_VALUE);
        range(problems, "ticker.stream.max-clients-per-address", config.stream().maxClientsPerAddress(), 1,
                Integer.MAX_VALUE);
        range(problems, "ticker.admin.max-failures-per-minute", config.admin().maxFailuresPerMinute(), 1,
                Integer.MAX_VALUE);
        range(problems, "ticker.stream.queue-bytes", config.stream().queueBytes(), 1024, 16_777_216);
        range(problems, "ticker.stream.resume-cache-bytes", config.stream().resumeCacheBytes(), 0, 1_073_741_824);
        range(problems, "ticker.stream.max-rebuilds-per-minute", config.stream().maxRebuildsPerMinute(), 1,
                Integer.MAX_VALUE);
        range(problems, "ticker.guard.reference-max-age (days)", config.guard().referenceMaxAge().toDays(), 1, 3660);
        return problems;
    }

    private static void range(List<String> problems, String key, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(key + " is " + value + "; it must be " + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                    ? "at least " + min : "from " + min + " to " + max));
        }
    }
}
