package io.rateticker.service;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.rateticker.source.SourceRate;

/**
 * What this replica knows of fetching one source: written by its fetches and its backfill, read by the status view
 * and the gauges.
 */
public final class FetchState {

    /** The validators and rows of the last latest-document of a source, for conditional GET. */
    record Cached(String url, String etag, String lastModified, List<SourceRate> rates) {
    }

    volatile Instant lastAttemptAt;
    volatile Instant lastSuccessAt;
    volatile String lastError;
    final AtomicInteger consecutiveFailures = new AtomicInteger();
    volatile Cached latest;
    /** Days to fill are owed since this replica took over; filled at the first fetch that reaches the bank. */
    final AtomicBoolean backfillDue = new AtomicBoolean();
    final AtomicBoolean backfilling = new AtomicBoolean();
    volatile SourceStatuses.Backfill backfill;

    /** Whether a backfill is owed or under way. */
    boolean backfillPending() {
        return backfillDue.get() || backfilling.get();
    }
}
