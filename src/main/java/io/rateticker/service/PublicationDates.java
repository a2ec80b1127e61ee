package io.rateticker.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The one rule on how far ahead a rate may be dated, for a bank's document, a write by hand and a question alike: a
 * bank announces at most the next publication day's rate (two days ahead, over a weekend's Saturday), and a date
 * years ahead, once served, would hold a currency's served rate for good.
 */
public final class PublicationDates {

    public static final int MAX_DAYS_AHEAD = 2;

    private PublicationDates() {
    }

    /** Whether no rate can be dated {@code date} when it is {@code today} where it is published. */
    public static boolean tooFarAhead(LocalDate date, LocalDate today) {
        return date.isAfter(today.plusDays(MAX_DAYS_AHEAD));
    }

    /** A 400 for asking about a date no rate is dated on yet, wherever it is published (from today in UTC). */
    static void checkAsked(LocalDate date, Instant now) {
        if (tooFarAhead(date, LocalDate.ofInstant(now, ZoneOffset.UTC))) {
            throw new RequestException(400, "date: " + date + " is more than " + MAX_DAYS_AHEAD
                    + " days ahead; no rate is dated that far ahead");
        }
    }
}
