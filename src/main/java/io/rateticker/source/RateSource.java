package io.rateticker.source;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * One upstream publisher of official rates: where its documents are and how to read them. Parsing works on the
 * bytes exactly as served (each format declares its own encoding), and takes every value and date from the body.
 */
public interface RateSource {

    /**
     * What a source is, and where and when it publishes by default.
     *
     * @param id short id, as in {@code ticker.sources.<id>.*} and in the {@code source} field of rates
     * @param currencies the currencies it gives against USD
     * @param defaultSchedule Quartz cron in the calendar's zone, around the bank's publication time
     * @param calendar when the bank publishes (without holidays: those are configured), in its own time zone:
     *        schedules run in it and "today" means its date
     * @param terms terms of use worth knowing (attribution, restrictions), or an empty string
     */
    record Info(String id, String name, List<String> currencies, String defaultUrl, String defaultSchedule,
            Calendar calendar, String terms) {

        public ZoneId zone() {
            return calendar.zone();
        }
    }

    Info info();

    default String id() {
        return info().id();
    }

    /** Whether this is the central bank that issues {@code currency}, whose own dollar rate it gives. */
    default boolean issues(String currency) {
        return info().currencies().contains(currency);
    }

    /**
     * The type of the bank's documents, named first in every request's {@code Accept}: a bank's firewall has answered
     * requests without it with an HTML page and status 200.
     */
    default String mediaType() {
        return "application/xml";
    }

    /**
     * Whether the bank has no dateless address for its latest document, so that the latest one is asked for by
     * today's date (and must then be for today).
     */
    default boolean latestIsDated() {
        return false;
    }

    /**
     * Whether the next publication day's rate, announced ahead (the calendar's {@code aheadFrom}), is only at its dated
     * address, the latest document giving today's until midnight.
     */
    default boolean aheadIsDated() {
        return false;
    }

    /** The address of the latest document below the base URL; {@code today} is the bank's date. */
    default String latestPath(LocalDate today) {
        return latestIsDated() ? datedPath(today) : "";
    }

    /** The address of the document for {@code date} below the base URL, or null when the bank has none by date. */
    String datedPath(LocalDate date);

    /**
     * Every row of the document's table (its currency per USD first, then per each other currency), and for the Bank of
     * Russia the crosses it makes, with the effective date the document states.
     */
    List<SourceRate> parse(byte[] body) throws DocumentException;
}
