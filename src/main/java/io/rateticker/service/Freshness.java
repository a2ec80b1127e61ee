package io.rateticker.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.rateticker.Observation;
import io.rateticker.config.TickerConfig;
import io.rateticker.source.Calendar;

/**
 * The one staleness rule. A bank's rate is stale once a later publication of that bank is overdue by its calendar
 * ({@code ticker.freshness.grace} after the time the day's rate is normally out): over a weekend or a holiday nothing
 * is overdue, and a frozen feed is stale after its first missed publication. Rates of sources without a calendar
 * (manual, simulated) are stale {@code ticker.freshness.max-age} after they were received; bundled rates always.
 */
@ApplicationScoped
public class Freshness implements RateBook.Terms {

    private final Map<String, Calendar> calendars = new HashMap<>();
    private final TickerConfig.Freshness config;

    Freshness(Sources sources, TickerConfig config) {
        this.config = config.freshness();
        sources.all().forEach(source -> calendars.put(source.id(), source.calendar()));
    }

    /** The source's calendar with its configured holidays; null for a source without one. */
    public Calendar calendar(String source) {
        return calendars.get(source);
    }

    /** From when the observation, if served, is stale; null if never (a calendar without publication days ahead). */
    @Override
    public Instant staleAt(Observation o) {
        if (BundledRates.SOURCE.equals(o.source())) {
            return Instant.MIN;
        }
        Calendar calendar = calendars.get(o.source());
        return calendar == null ? o.fetchedAt().plus(config.maxAge()) : calendar.staleAt(o.asOf(), config.grace());
    }

    @Override
    public boolean calendared(String source) {
        return calendars.containsKey(source);
    }

    public boolean stale(Observation o, Instant now) {
        Instant staleAt = staleAt(o);
        return staleAt != null && !now.isBefore(staleAt);
    }

    /** The latest effective date the source should have published by now; null without a calendar. */
    public LocalDate expectedAsOf(String source, Instant now) {
        Calendar calendar = calendars.get(source);
        return calendar == null ? null : calendar.expectedAsOf(now, config.grace());
    }

    /** How many publications of the source are overdue after {@code latest}; null without a calendar or a latest. */
    public Integer publicationsMissed(String source, LocalDate latest, Instant now) {
        Calendar calendar = calendars.get(source);
        return calendar == null || latest == null ? null : calendar.missed(latest, now, config.grace());
    }
}
