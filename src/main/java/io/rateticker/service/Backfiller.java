package io.rateticker.service;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.context.ManagedExecutor;

import io.quarkus.logging.Log;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.Fetcher.Attempt;
import io.rateticker.service.Sources.Source;
import io.rateticker.source.Calendar;

/**
 * Fills the publication days of each source's last {@code backfill-days} for which the store has nothing from it,
 * newest first, paced, in the background, so that a restart asks only for what is still missing.
 */
@ApplicationScoped
public class Backfiller {

    /** Backfills asking for at least this many days log their progress. */
    private static final int LOGGED = 100;

    private final Sources sources;
    private final Fetcher fetcher;
    private final RateWriter writer;
    private final Clock clock;
    private final ManagedExecutor executor;
    private final double rate;

    Backfiller(Sources sources, Fetcher fetcher, RateWriter writer, Clock clock, ManagedExecutor executor,
            TickerConfig config) {
        this.sources = sources;
        this.fetcher = fetcher;
        this.writer = writer;
        this.clock = clock;
        this.executor = executor;
        this.rate = config.sources().backfillRate();
    }

    /**
     * Starts the source's backfill in the background if one is owed and none is under way (a scheduled fetch and a
     * refresh may both get here); it runs while {@code fetching} holds.
     */
    void startIfDue(Source source, BooleanSupplier fetching) {
        FetchState state = source.state();
        if (state.backfillDue.get() && state.backfilling.compareAndSet(false, true)) {
            state.backfillDue.set(false);
            executor.runAsync(() -> {
                try {
                    fill(source, fetching);
                } finally {
                    state.backfilling.set(false);
                }
            });
        }
    }

    /**
     * At most {@code ticker.sources.backfill-rate} requests a second. It stops when the bank cannot be reached (the
     * rest is owed until a fetch reaches it again) and when this replica no longer fetches (stopping, or another
     * took over). A progress line per tenth of a long backfill.
     */
    private void fill(Source source, BooleanSupplier fetching) {
        LocalDate to = source.today(clock);
        int days = source.backfillDays();
        if (days == 0 || source.bank().datedPath(to) == null) {
            return;
        }
        LocalDate from = to.minusDays(days - 1L);
        Calendar calendar = source.calendar();
        Set<LocalDate> have = writer.datesFrom(source.id());
        List<LocalDate> missing = new ArrayList<>();
        int total = 0;
        for (LocalDate date = to; !date.isBefore(from); date = date.minusDays(1)) {
            if (calendar.publishes(date)) {
                total++;
                if (!have.contains(date)) {
                    missing.add(date);
                }
            }
        }
        int done = total - missing.size();
        FetchState state = source.state();
        state.backfill = new SourceStatuses.Backfill(from, to, done, total);
        long interval = (long) (1e9 / rate);
        long next = System.nanoTime();
        int filled = 0;
        for (int i = 0; i < missing.size(); i++) {
            try {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stopping
                return;
            }
            if (!fetching.getAsBoolean()) {
                return; // stopping, or another replica fetches (and fills) from now on
            }
            next = System.nanoTime() + interval;
            LocalDate date = missing.get(i);
            Attempt attempt = fetcher.fetch(source, source.url() + source.bank().datedPath(date), date, false);
            if (attempt.outcome().error() == null) {
                filled++;
            } else if (attempt.unreachable()) {
                state.backfillDue.set(true);
                Log.debugf("Backfill of %s stopped at %s: %s", source.id(), date, attempt.outcome().error());
                return;
            } else {
                Log.debugf("Backfill of %s for %s: %s", source.id(), date, attempt.outcome().error());
            }
            state.backfill = new SourceStatuses.Backfill(from, to, ++done, total);
            if (missing.size() >= LOGGED && (i + 1) * 10 / missing.size() > i * 10 / missing.size()
                    && i + 1 < missing.size()) {
                Log.infof("Backfill of %s: %d%% (%d of %d missing days asked, back to %s)", source.id(),
                        (i + 1) * 100 / missing.size(), i + 1, missing.size(), date);
            }
        }
        Log.infof("Backfill of %s: %d of %d missing publication days since %s fetched", source.id(), filled,
                missing.size(), from);
    }

    /**
     * The earliest date that a fetch still owed here may give a rate of (a backfill owed or under way), or null when
     * none is: an answer about an earlier day changes only by a correction.
     */
    public LocalDate pendingFrom() {
        LocalDate earliest = null;
        for (Source source : sources.all()) {
            if (!source.enabled() || !source.state().backfillPending()) {
                continue;
            }
            LocalDate today = source.today(clock);
            if (source.backfillDays() > 0 && source.bank().datedPath(today) != null) {
                LocalDate from = today.minusDays(source.backfillDays() - 1L);
                earliest = earliest == null || from.isBefore(earliest) ? from : earliest;
            }
        }
        return earliest;
    }
}
